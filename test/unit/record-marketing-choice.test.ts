import { describe, expect, it } from 'vitest';
import { marketingKeywords } from '../../shared/domain/marketing-consent.js';
import { RecordMarketingChoice } from '../../shared/use-cases/record-marketing-choice.js';
import { CONVERSATION_KEY } from '../support/conversation-builders.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { InMemoryMarketingPreferences } from '../support/fakes/marketing-preferences.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { customerText } from '../support/inbound-messages.js';

const AT = Date.parse('2026-11-20T09:30:00Z');

function world() {
  const preferences = new InMemoryMarketingPreferences();
  const telemetry = new RecordingTelemetry();
  const notes: { content: string; clientToken: string }[] = [];
  let failNotes = 0;
  const chat = {
    contactId: 'contact-1',
    sendNote: async (content: string, clientToken: string) => {
      if (failNotes > 0) {
        failNotes -= 1;
        throw new Error('Connect throttled');
      }
      notes.push({ content, clientToken });
    },
  };
  const keywords = marketingKeywords({});
  const useCase = new RecordMarketingChoice({
    keys: new InMemoryCustomerKeys(),
    preferences,
    telemetry,
    keywordsFor: () => keywords,
  });
  return { preferences, telemetry, notes, chat, useCase, failNextNote: () => (failNotes += 1) };
}

describe('a customer’s STOP keyword, when its delivery is retried', () => {
  it('still tells the agent about START once the notice goes through', async () => {
    // Prepare: the customer wrote STOP, then START; START's first attempt records the opt-in but
    // Connect refuses the notice.
    const w = world();
    await w.useCase.afterRelay(CONVERSATION_KEY, customerText('wamid.stop', 'STOP', AT), w.chat);
    const message = customerText('wamid.start', 'Start', AT + 60_000);
    w.failNextNote();
    await expect(w.useCase.afterRelay(CONVERSATION_KEY, message, w.chat)).rejects.toThrow('throttled');

    // Act: SQS delivers the message again.
    await w.useCase.afterRelay(CONVERSATION_KEY, message, w.chat);

    // Assess
    expect(w.notes.map((note) => note.content)).toEqual([
      expect.stringContaining('asked to stop marketing messages'),
      expect.stringContaining('asked for marketing messages again'),
    ]);
    expect(w.telemetry.counted('MarketingChoices', { Reason: 'OptedIn', Source: 'keyword' })).toBe(2);
  });

  it('says nothing to the agent about an older keyword processed after a newer choice', async () => {
    // Prepare: the customer wrote START after STOP, and START was processed first.
    const w = world();
    await w.useCase.afterRelay(CONVERSATION_KEY, customerText('wamid.start', 'START', AT + 60_000), w.chat);

    // Act
    await w.useCase.afterRelay(CONVERSATION_KEY, customerText('wamid.stop', 'stop', AT), w.chat);

    // Assess
    expect(w.notes).toHaveLength(1);
    expect(await w.preferences.marketingPreferenceOf(CONVERSATION_KEY)).toMatchObject({ state: 'opted-in' });
    expect(w.telemetry.counted('MarketingChoices', { Reason: 'Superseded', Source: 'keyword' })).toBe(1);
  });
});
