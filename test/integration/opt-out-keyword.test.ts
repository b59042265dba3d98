import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { type InboundEnvironment, startInboundEnvironment } from '../support/inbound-environment.js';
import { userPreferenceEvent } from '../support/marketing-preferences.js';
import { BUSINESS, eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const conversationKey = { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: CUSTOMER };

function textEvent(body: string, timestamp?: number) {
  return sqsEvent(
    sqsRecordFor(
      eumEnvelope({
        messages: [textMessage({ from: CUSTOMER, body, ...(timestamp ? { timestamp } : {}) })],
      }),
    ),
  );
}

describe('opt-out keywords: a customer who writes STOP', () => {
  let env: InboundEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startInboundEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  function transcript(): string[] {
    const [contact] = [...env.connect.contacts.values()];
    return env.connect.transcript(contact?.contactId ?? '');
  }

  it('records a Portuguese "Parar!" as a marketing opt-out and tells the agent, after relaying the message', async () => {
    // Prepare
    const sentAt = Math.floor(Date.now() / 1000);

    // Act
    const response = await env.handler(textEvent('Parar!', sentAt));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const lines = transcript();
    expect(lines[0]).toBe('Parar!');
    expect(lines[1]?.startsWith(NOTICE_PREFIX)).toBe(true);
    expect(lines[1]).toContain('asked to stop marketing messages');
    expect(lines).toHaveLength(2);
    const stored = await env.store.get(conversationKey);
    expect(stored?.marketing).toEqual({ state: 'opted-out', at: sentAt * 1000, source: 'keyword' });
    expect(output.metric('MarketingChoices', { Reason: 'OptedOut', Source: 'keyword' })).toBe(1);
    expect(output.lines.join('\n')).not.toContain('Parar!');
  });

  it('does not opt out a customer who writes "stop sending offers"', async () => {
    // Act
    await env.handler(textEvent('stop sending offers'));

    // Assess
    expect(transcript()).toEqual(['stop sending offers']);
    const stored = await env.store.get(conversationKey);
    expect(stored?.marketing).toBeUndefined();
    expect(output.metric('MarketingChoices', { Source: 'keyword' })).toBe(0);
  });

  it('lets a customer who wrote STOP opt back in with START', async () => {
    // Prepare
    const stoppedAt = Math.floor(Date.now() / 1000) - 60;
    await env.handler(textEvent('STOP', stoppedAt));

    // Act
    await env.handler(textEvent('start please', stoppedAt + 30));

    // Assess
    const stored = await env.store.get(conversationKey);
    expect(stored?.marketing).toEqual({ state: 'opted-in', at: (stoppedAt + 30) * 1000, source: 'keyword' });
    expect(transcript().filter((line) => line.startsWith(NOTICE_PREFIX))).toHaveLength(2);
  });

  it('never lifts with START an opt-out the customer made in WhatsApp itself', async () => {
    // Prepare: WhatsApp would refuse marketing messages anyway until the customer resumes there.
    const stoppedAt = Math.floor(Date.now() / 1000) - 60;
    await env.handler(userPreferenceEvent({ waId: CUSTOMER }, 'stop', stoppedAt));

    // Act
    await env.handler(textEvent('START', stoppedAt + 30));

    // Assess
    const stored = await env.store.get(conversationKey);
    expect(stored?.marketing).toEqual({ state: 'opted-out', at: stoppedAt * 1000, source: 'meta' });
    expect(output.metric('MarketingChoices', { Reason: 'KeepsWhatsAppOptOut', Source: 'keyword' })).toBe(1);
    expect(transcript().at(-1)).toContain('in WhatsApp');
  });

  it('uses the keywords configured for the business number instead of the defaults', async () => {
    // Prepare
    const handler = await env.container({
      BUSINESS_NUMBERS: JSON.stringify([
        {
          phoneNumberId: BUSINESS.phoneNumberId,
          inboundFlowId: 'f1f2f3f4-0000-1111-2222-333344445555',
          optOutKeywords: ['NO MORE PROMOS'],
        },
      ]),
    });

    // Act
    await handler(textEvent('stop'));
    const afterStop = await env.store.get(conversationKey);
    await handler(textEvent('No more promos, please'));

    // Assess
    expect(afterStop?.marketing).toBeUndefined();
    expect((await env.store.get(conversationKey))?.marketing).toMatchObject({ state: 'opted-out' });
  });
});
