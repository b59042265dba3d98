import { describe, expect, it } from 'vitest';
import { registeredMessageTypes } from '../../shared/decoders/whatsapp/registry.js';
import { decodeWhatsAppWebhook } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { renderForAgent } from '../../shared/domain/agent-rendering.js';
import { eumEnvelope, sqsRecordFor } from '../support/whatsapp-events.js';
import { loadMessageFixtures } from '../support/whatsapp-fixtures.js';

/**
 * One realistic Meta message object per registered WhatsApp type (docs/adding-a-message-type.md).
 * A type registered without a fixture, or a fixture for a type nobody registered, fails here.
 */

const fixtures = loadMessageFixtures();

describe('WhatsApp message fixtures (test/fixtures/whatsapp)', () => {
  it.each(registeredMessageTypes())('has a fixture for the registered type %s', (type) => {
    expect(fixtures.map((fixture) => fixture.name)).toContain(type);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s is for a registered type',
    (_name, fixture) => {
      expect(registeredMessageTypes()).toContain(fixture.type);
    },
  );

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    '%s decodes with its registered parser and reads as something for the agent',
    (_name, fixture) => {
      // Prepare
      const body = sqsRecordFor(eumEnvelope({ messages: [fixture.message] })).body;

      // Act
      const [item] = decodeWhatsAppWebhook(body).items;

      // Assess
      if (item?.kind !== 'message') throw new Error(`expected a message, got ${item?.kind}`);
      expect(item.message.type).toBe(fixture.type);
      expect(item.message.content).not.toEqual(
        expect.objectContaining({ reason: expect.stringMatching(/new to the relay|incomplete/) }),
      );
      expect(renderForAgent(item.message).trim()).not.toBe('');
    },
  );
});
