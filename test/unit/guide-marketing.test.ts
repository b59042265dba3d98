import { describe, expect, it } from 'vitest';
import type { ContactFacts } from '../../shared/domain/guide-context.js';
import type { ConnectContacts } from '../../shared/ports/connect-contacts.js';
import { findGuideContext } from '../../shared/use-cases/find-guide-context.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { InMemoryMarketingPreferences } from '../support/fakes/marketing-preferences.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';

const SENDER = 'phone-number-id-0123456789abcdef0123456789abcdef';
const GUIDE = 'guide-contact';
const CHAT = 'customer-contact';
const BSUID = 'GB.1234567890123456';

function contactsWith(attributes: Record<string, string>): ConnectContacts {
  const facts: Record<string, ContactFacts> = {
    [GUIDE]: { contactId: GUIDE, relatedContactId: CHAT, attributes: {} },
    [CHAT]: { contactId: CHAT, agentId: '7d3c2b1a-1111-2222-3333-444455556666', attributes },
  };
  return { describe: async (id) => facts[id] };
}

function world() {
  const preferences = new InMemoryMarketingPreferences();
  const telemetry = new RecordingTelemetry();
  const lookup = { businessPhoneNumberId: SENDER, keys: new InMemoryCustomerKeys(), preferences };
  return { preferences, telemetry, lookup };
}

describe('the guide knows the customer’s marketing choice', () => {
  it('puts the opt-out of the chat’s customer, found by their BSUID, on the guide context', async () => {
    // Prepare
    const { preferences, telemetry, lookup } = world();
    const optOut = { state: 'opted-out', at: Date.parse('2026-11-20T09:30:00Z'), source: 'meta' } as const;
    preferences.choices.set(`${SENDER}#${BSUID}`, optOut);
    const contacts = contactsWith({ customerPhoneNumber: '+447700900999', customerWhatsAppUserId: BSUID });

    // Act
    const context = await findGuideContext(contacts, GUIDE, telemetry, lookup);

    // Assess
    expect(context.marketing).toEqual(optOut);
    expect(telemetry.counted('GuideMarketingLookups', { Choice: 'opted-out' })).toBe(1);
  });

  it('says unknown for a customer who never made a choice', async () => {
    // Prepare
    const { telemetry, lookup } = world();

    // Act
    const context = await findGuideContext(
      contactsWith({ customerPhoneNumber: '+447700900123' }),
      GUIDE,
      telemetry,
      lookup,
    );

    // Assess
    expect(context.marketing).toEqual({ state: 'unknown' });
  });

  it('leaves the choice out, and still finds the agent, when the table cannot be read', async () => {
    // Prepare
    const { preferences, telemetry, lookup } = world();
    preferences.failReadsWith = new Error('table unreachable');

    // Act
    const context = await findGuideContext(
      contactsWith({ customerPhoneNumber: '+447700900123' }),
      GUIDE,
      telemetry,
      lookup,
    );

    // Assess
    expect(context.marketing).toBeUndefined();
    expect(context.agent.armed).toBe(true);
    expect(telemetry.counted('GuideMarketingLookups', { Choice: 'Failed' })).toBe(1);
  });
});
