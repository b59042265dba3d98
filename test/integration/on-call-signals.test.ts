import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { type InboundEnvironment, startInboundEnvironment } from '../support/inbound-environment.js';
import {
  BUSINESS,
  eumEnvelope,
  sqsEvent,
  sqsRecordFor,
  textMessage,
  webhookChange,
} from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';

/** Every EMF document printed that declares `metric`, with the unit it declared. */
function emfDocuments(output: CapturedOutput, metric: string) {
  return output.lines
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } })
    .filter((doc) => metric in doc)
    .map((doc) => {
      const declared = doc._aws.CloudWatchMetrics.flatMap(
        (entry) => (entry as { Metrics: { Name: string; Unit: string }[] }).Metrics,
      ).find((entry) => entry.Name === metric);
      return { values: ([] as number[]).concat(doc[metric] as number | number[]), unit: declared?.Unit, doc };
    });
}

/** Log lines (not EMF) printed by the function, parsed. */
function logLines(output: CapturedOutput) {
  return output.lines
    .filter((line) => line.startsWith('{') && !line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('what on-call sees when a customer writes in', () => {
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

  it('publishes how long the message took since WhatsApp stamped it and since EUM Social received it, in milliseconds', async () => {
    // Prepare
    const stampedAt = Math.floor(Date.now() / 1000) - 90;
    const eumReceivedAt = new Date(Date.now() - 30_000).toISOString();
    const envelope = {
      ...eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'Hello?', timestamp: stampedAt })] }),
      message_timestamp: eumReceivedAt,
    };

    // Act
    const before = Date.now();
    await env.handler(sqsEvent(sqsRecordFor(envelope)));
    const after = Date.now();

    // Assess
    const [sinceWhatsApp] = emfDocuments(output, 'InboundLatency');
    const [sinceEum] = emfDocuments(output, 'InboundLatencySinceEum');
    expect(sinceWhatsApp?.unit).toBe('Milliseconds');
    expect(sinceEum?.unit).toBe('Milliseconds');
    expect(sinceWhatsApp?.values[0]).toBeGreaterThanOrEqual(before - stampedAt * 1000);
    expect(sinceWhatsApp?.values[0]).toBeLessThanOrEqual(after - stampedAt * 1000);
    expect(sinceEum?.values[0]).toBeGreaterThanOrEqual(before - Date.parse(eumReceivedAt));
    expect(sinceEum?.values[0]).toBeLessThanOrEqual(after - Date.parse(eumReceivedAt));
  });

  it('counts every event per business number, so a number that goes silent can be seen', async () => {
    // Prepare
    const record = sqsRecordFor(
      eumEnvelope({
        messages: [
          textMessage({ from: CUSTOMER, body: 'One' }),
          textMessage({ from: CUSTOMER, body: 'Two' }),
        ],
      }),
    );

    // Act
    await env.handler(sqsEvent(record));

    // Assess
    expect(output.metric('InboundEvents', { BusinessNumber: BUSINESS.phoneNumberId })).toBe(2);
  });

  it('puts the WhatsApp message id, the chat and the hashed conversation on the relayed line, with its latency', async () => {
    // Prepare
    const message = textMessage({ from: CUSTOMER, body: 'Where is my order?' });

    // Act
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message] }))));

    // Assess
    const relayed = logLines(output).find((line) => line.message === 'Message relayed to Connect');
    expect(relayed).toMatchObject({
      whatsAppMessageId: message.id,
      contactId: expect.stringMatching(/.+/),
      conversation: expect.stringMatching(/.+/),
      latencyMs: expect.any(Number),
    });
    const started = logLines(output).find((line) => line.message === 'Chat started');
    expect(started?.contactId).toBe(relayed?.contactId);
    expect(started?.conversation).toBe(relayed?.conversation);
    expect(JSON.stringify(logLines(output))).not.toContain(CUSTOMER);
  });

  it('counts a flagged number as a warning and an upgrade as information, for the account health alarm', async () => {
    // Prepare
    const record = sqsRecordFor(
      eumEnvelope({
        changes: [
          webhookChange('phone_number_quality_update', { event: 'FLAGGED', current_limit: 'TIER_1K' }),
          webhookChange('phone_number_quality_update', { event: 'UPGRADE', current_limit: 'TIER_10K' }),
          webhookChange('account_update', { event: 'ACCOUNT_RESTRICTION' }),
          webhookChange('account_update', { event: 'SOMETHING_META_ADDS_LATER' }),
        ],
      }),
    );

    // Act
    await env.handler(sqsEvent(record));

    // Assess
    expect(output.metric('AccountHealthEvents', { Severity: 'Warning' })).toBe(3);
    expect(output.metric('AccountHealthEvents', { Severity: 'Info' })).toBe(1);
  });
});
