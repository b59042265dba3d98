import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/inbound/handler.js';
import { PermanentDeliveryError, RetryableError } from '../../../shared/domain/errors.js';
import type { InboundMessage, MessageStatus } from '../../../shared/domain/inbound-message.js';
import type { UserPreference } from '../../../shared/domain/webhook-notifications.js';
import { InMemoryRejectedRecordSink } from '../../support/fakes/rejected-record-sink.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';
import {
  BUSINESS,
  changeMetadata,
  eumEnvelope,
  rawSqsRecord,
  SECOND_BUSINESS,
  sqsEvent,
  sqsRecordFor,
  textMessage,
  webhookChange,
} from '../../support/whatsapp-events.js';

const ANA = '447700900123';
const BEN = '447700900456';
const T = 1_748_854_800;

/** The inbound handler with stub use cases: each message id can be scripted to fail. */
function inboundHandler() {
  const relayed: { id: string; firstDelivery: boolean }[] = [];
  const statuses: MessageStatus[] = [];
  const preferences: UserPreference[] = [];
  const failures = new Map<string, Error>();
  const rejectedRecords = new InMemoryRejectedRecordSink();
  const telemetry = new RecordingTelemetry();
  let flushes = 0;
  const handler = makeHandler({
    relayMessage: {
      execute: async (message: InboundMessage, receipt: { firstDelivery: boolean }) => {
        const failure = failures.get(message.id);
        if (failure) throw failure;
        relayed.push({ id: message.id, firstDelivery: receipt.firstDelivery });
      },
    },
    relayStatus: { execute: async (status: MessageStatus) => statuses.push(status) },
    recordMarketingChoice: {
      fromWebhook: async (preference: UserPreference) => {
        preferences.push(preference);
      },
    },
    isConfiguredNumber: (phoneNumberId) => phoneNumberId === BUSINESS.phoneNumberId,
    rejectedRecords,
    telemetry,
    concurrency: 4,
    flush: () => {
      flushes += 1;
    },
  });
  return {
    handler,
    relayed,
    statuses,
    preferences,
    failures,
    rejectedRecords,
    telemetry,
    flushes: () => flushes,
  };
}

const text = (from: string, id: string, timestamp: number) =>
  textMessage({ from, body: `text of ${id}`, id, timestamp });

describe('the inbound handler', () => {
  it("relays a conversation's messages in the order its FIFO group delivers them, as first deliveries", async () => {
    // Prepare: the ordering stage already put them in order; a tie or a late arrival keeps that order.
    const world = inboundHandler();
    const first = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.2', T + 1)] }));
    const second = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.1', T)] }));
    // Act
    const response = await world.handler(sqsEvent(first, second));
    // Assess: the relay never re-sorts what its FIFO queue ordered.
    expect(world.relayed).toEqual([
      { id: 'wamid.2', firstDelivery: true },
      { id: 'wamid.1', firstDelivery: true },
    ]);
    expect(response.batchItemFailures).toEqual([]);
    expect(world.flushes()).toBe(1);
  });

  it('tells the relay a redelivered record is not a first delivery', async () => {
    // Prepare
    const world = inboundHandler();
    const record = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.1', T)] }), { receiveCount: 2 });
    // Act
    await world.handler(sqsEvent(record));
    // Assess
    expect(world.relayed).toEqual([{ id: 'wamid.1', firstDelivery: false }]);
  });

  it('hands a delivery status to the status relay', async () => {
    // Prepare
    const world = inboundHandler();
    const status = { id: 'wamid.sent', status: 'read', timestamp: String(T), recipient_id: ANA };
    // Act
    await world.handler(sqsEvent(sqsRecordFor(eumEnvelope({ statuses: [status] }))));
    // Assess
    expect(world.statuses.map((s) => [s.messageId, s.status])).toEqual([['wamid.sent', 'read']]);
  });

  it('acknowledges and counts a message to a business number this relay does not serve', async () => {
    // Prepare
    const world = inboundHandler();
    const record = sqsRecordFor(
      eumEnvelope({ business: SECOND_BUSINESS, messages: [text(ANA, 'wamid.x', T)] }),
    );
    // Act
    const response = await world.handler(sqsEvent(record));
    // Assess
    expect(world.relayed).toEqual([]);
    expect(response.batchItemFailures).toEqual([]);
    expect(world.telemetry.counted('UnconfiguredNumberEvents')).toBe(1);
  });

  it('records a marketing preference only for a business number this relay serves', async () => {
    // Prepare
    const world = inboundHandler();
    const preference = (business: typeof BUSINESS | typeof SECOND_BUSINESS) =>
      sqsRecordFor(
        eumEnvelope({
          business,
          changes: [
            webhookChange('user_preferences', {
              messaging_product: 'whatsapp',
              metadata: changeMetadata(business),
              user_preferences: [{ wa_id: ANA, category: 'marketing_messages', value: 'stop', timestamp: T }],
            }),
          ],
        }),
      );
    // Act
    const response = await world.handler(sqsEvent(preference(BUSINESS), preference(SECOND_BUSINESS)));
    // Assess
    expect(world.preferences.map((p) => p.business.phoneNumberId)).toEqual([BUSINESS.phoneNumberId]);
    expect(response.batchItemFailures).toEqual([]);
    expect(world.telemetry.counted('UnconfiguredNumberEvents')).toBe(1);
  });

  it('dead-letters a record that is not JSON with its reason, and relays the rest of the batch', async () => {
    // Prepare
    const world = inboundHandler();
    const broken = rawSqsRecord('{not json', 'sqs-broken');
    const good = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.1', T)] }));
    // Act
    const response = await world.handler(sqsEvent(broken, good));
    // Assess
    expect(world.rejectedRecords.rejected).toEqual([
      { body: '{not json', reason: 'BodyNotJson', detail: expect.any(String), sourceMessageId: 'sqs-broken' },
    ]);
    expect(world.relayed.map((r) => r.id)).toEqual(['wamid.1']);
    expect(response.batchItemFailures).toEqual([]);
    expect(world.telemetry.counted('RejectedRecords', { Reason: 'BodyNotJson' })).toBe(1);
  });

  it('dead-letters a record holding a malformed message while relaying its good sibling', async () => {
    // Prepare
    const world = inboundHandler();
    const malformed = { from: ANA, type: 'text', text: { body: 'no id, no time' } };
    const record = sqsRecordFor(eumEnvelope({ messages: [malformed, text(BEN, 'wamid.ben', T)] }), {
      messageId: 'sqs-mixed',
    });
    // Act
    const response = await world.handler(sqsEvent(record));
    // Assess
    expect(world.relayed.map((r) => r.id)).toEqual(['wamid.ben']);
    expect(world.rejectedRecords.rejected.map((r) => [r.sourceMessageId, r.reason])).toEqual([
      ['sqs-mixed', 'MessageInvalid'],
    ]);
    expect(response.batchItemFailures).toEqual([]);
    expect(world.telemetry.counted('MalformedItems', { Reason: 'MessageInvalid' })).toBe(1);
  });

  it("retries only the failed conversation's records, holding back its later message", async () => {
    // Prepare
    const world = inboundHandler();
    world.failures.set('wamid.ana-1', new RetryableError('Connect throttled', 'Throttled'));
    const anaFirst = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.ana-1', T)] }), {
      messageId: 'sqs-a1',
    });
    const anaSecond = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.ana-2', T + 5)] }), {
      messageId: 'sqs-a2',
    });
    const ben = sqsRecordFor(eumEnvelope({ messages: [text(BEN, 'wamid.ben', T + 1)] }), {
      messageId: 'sqs-b',
    });
    // Act
    const response = await world.handler(sqsEvent(anaFirst, ben, anaSecond));
    // Assess
    expect(world.relayed.map((r) => r.id)).toEqual(['wamid.ben']);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['sqs-a1', 'sqs-a2']);
    expect(world.telemetry.counted('RelayFailures', { Reason: 'Throttled' })).toBe(1);
  });

  it('dead-letters a message the relay can never deliver instead of retrying it', async () => {
    // Prepare
    const world = inboundHandler();
    world.failures.set('wamid.1', new PermanentDeliveryError('no flow', 'NoInboundFlow'));
    const record = sqsRecordFor(eumEnvelope({ messages: [text(ANA, 'wamid.1', T)] }), { messageId: 'sqs-1' });
    // Act
    const response = await world.handler(sqsEvent(record));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.rejectedRecords.rejected.map((r) => [r.sourceMessageId, r.reason])).toEqual([
      ['sqs-1', 'NoInboundFlow'],
    ]);
  });

  it('retries a record it could not dead-letter, so nothing is lost', async () => {
    // Prepare
    const world = inboundHandler();
    world.rejectedRecords.failWith = new Error('SQS unreachable');
    // Act
    const response = await world.handler(sqsEvent(rawSqsRecord('{not json', 'sqs-broken')));
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'sqs-broken' }]);
  });
});
