import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/outbound/handler.js';
import { PermanentDeliveryError, RetryableError } from '../../../shared/domain/errors.js';
import type { StreamingItem } from '../../../shared/domain/streaming-item.js';
import { InMemoryRejectedRecordSink } from '../../support/fakes/rejected-record-sink.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';
import { agentText } from '../../support/streaming-events.js';
import { rawSqsRecord, sqsEvent } from '../../support/whatsapp-events.js';

const AT = Date.UTC(2025, 5, 2, 9, 0, 0);
const at = (seconds: number) => new Date(AT + seconds * 1000);

/** The outbound handler with a stub relay: each Connect item id can be scripted to fail. */
function outboundHandler() {
  const relayed: StreamingItem[] = [];
  const failures = new Map<string, Error>();
  const rejectedRecords = new InMemoryRejectedRecordSink();
  const telemetry = new RecordingTelemetry();
  const handler = makeHandler({
    relayItem: {
      execute: async (item: StreamingItem) => {
        const failure = failures.get(item.id);
        if (failure) throw failure;
        relayed.push(item);
      },
    },
    rejectedRecords,
    telemetry,
    concurrency: 4,
  });
  return { handler, relayed, failures, rejectedRecords, telemetry };
}

describe('the outbound handler', () => {
  it("relays a chat's items to WhatsApp in the order its FIFO group delivers them", async () => {
    // Prepare: the ordering stage put the chat's items in order before the FIFO queue.
    const world = outboundHandler();
    const earlier = agentText('contact-1', 'First', { id: 'item-1', absoluteTime: at(1) });
    const later = agentText('contact-1', 'Second', { id: 'item-2', absoluteTime: at(2) });
    // Act
    const response = await world.handler(sqsEvent(earlier, later));
    // Assess
    expect(world.relayed.map((item) => [item.id, item.content])).toEqual([
      ['item-1', 'First'],
      ['item-2', 'Second'],
    ]);
    expect(response.batchItemFailures).toEqual([]);
  });

  it('holds back a transferred contact’s later reply when an earlier one of the same chat failed', async () => {
    // Prepare
    const world = outboundHandler();
    world.failures.set('item-1', new RetryableError('WhatsApp throttled', 'Throttled'));
    const beforeTransfer = agentText('contact-1', 'Hello', { id: 'item-1', absoluteTime: at(1) });
    const afterTransfer = agentText('contact-1', 'I am Bo', {
      id: 'item-2',
      contactId: 'contact-2',
      absoluteTime: at(5),
    });
    const otherChat = agentText('contact-9', 'Hi', { id: 'item-9', absoluteTime: at(3) });
    // Act
    const response = await world.handler(sqsEvent(beforeTransfer, afterTransfer, otherChat));
    // Assess
    expect(world.relayed.map((item) => item.id)).toEqual(['item-9']);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [beforeTransfer.messageId, afterTransfer.messageId].sort(),
    );
    expect(world.telemetry.counted('RelayFailures', { Reason: 'Throttled' })).toBe(1);
  });

  it('dead-letters a record that is not a streaming notification, and relays the rest', async () => {
    // Prepare
    const world = outboundHandler();
    const broken = rawSqsRecord('{"Type":"Notification"}', 'sqs-broken');
    const good = agentText('contact-1', 'Hello', { id: 'item-1' });
    // Act
    const response = await world.handler(sqsEvent(broken, good));
    // Assess
    expect(world.rejectedRecords.rejected.map((r) => r.sourceMessageId)).toEqual(['sqs-broken']);
    expect(world.rejectedRecords.rejected[0]?.reason).not.toBe('');
    expect(world.relayed.map((item) => item.id)).toEqual(['item-1']);
    expect(response.batchItemFailures).toEqual([]);
  });

  it('dead-letters an item WhatsApp refused for good, after the relay told the agent', async () => {
    // Prepare
    const world = outboundHandler();
    world.failures.set('item-1', new PermanentDeliveryError('invalid parameter', 'SendRejected'));
    const record = agentText('contact-1', 'Hello', { id: 'item-1' });
    // Act
    const response = await world.handler(sqsEvent(record));
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.rejectedRecords.rejected.map((r) => [r.sourceMessageId, r.reason])).toEqual([
      [record.messageId, 'SendRejected'],
    ]);
  });
});
