import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeInboundOrdering } from '../../functions/inbound-ordering/handler.js';
import { makeHandler as makeOutboundOrdering } from '../../functions/outbound-ordering/handler.js';
import { decodeWhatsAppWebhook } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { conversationKeyString } from '../../shared/domain/conversation.js';
import { hashForLogs } from '../../shared/domain/tokens.js';
import type { OrderedMessage, OrderedQueue } from '../../shared/ports/ordered-queue.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { MetricName, Telemetry } from '../../shared/ports/telemetry.js';
import { agentText } from '../support/streaming-events.js';
import {
  BUSINESS,
  eumEnvelope,
  rawSqsRecord,
  sqsRecordFor,
  textMessage,
} from '../support/whatsapp-events.js';

/** A FIFO queue that records each SendMessageBatch call, and refuses the messages `refuse` picks. */
function fakeFifo(refuse: (message: OrderedMessage) => boolean = () => false) {
  const calls: OrderedMessage[][] = [];
  const queue: OrderedQueue = {
    async send(messages) {
      calls.push([...messages]);
      return messages.filter(refuse);
    },
  };
  return { queue, calls, sent: () => calls.flat().filter((message) => !refuse(message)) };
}

function fakeDeadLetters() {
  const rejected: { body: string; reason: string; sourceMessageId: string }[] = [];
  const sink: RejectedRecordSink = {
    async reject(record) {
      rejected.push(record);
    },
  };
  return { sink, rejected };
}

function fakeTelemetry() {
  const counts: Partial<Record<MetricName, number>> = {};
  const telemetry: Telemetry = {
    count: (metric) => {
      counts[metric] = (counts[metric] ?? 0) + 1;
    },
    measure: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  return { telemetry, counts };
}

const event = (...records: SQSEvent['Records']): SQSEvent => ({ Records: records });
const conversationGroup = (customer: string) =>
  hashForLogs(conversationKeyString({ businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: customer }));
const textsIn = (messages: readonly OrderedMessage[]) =>
  messages.flatMap((message) =>
    decodeWhatsAppWebhook(message.body).items.flatMap((item) =>
      item.kind === 'message' && item.message.content.kind === 'text' ? [item.message.content.body] : [],
    ),
  );

describe('inbound ordering stage', () => {
  it("splits one webhook into one FIFO message per item: the customer's texts in their conversation's group, in Meta's time order, and each status in a group of its own", async () => {
    // Prepare
    const fifo = fakeFifo();
    const handler = makeInboundOrdering({
      queue: fifo.queue,
      rejectedRecords: fakeDeadLetters().sink,
      telemetry: fakeTelemetry().telemetry,
    });
    const later = textMessage({ from: '5511991110001', body: 'second', timestamp: 1_800_000_002 });
    const earlier = textMessage({ from: '5511991110001', body: 'first', timestamp: 1_800_000_001 });
    const record = sqsRecordFor(
      eumEnvelope({
        messages: [later, earlier],
        statuses: [
          { id: 'wamid.OUT1', status: 'delivered', timestamp: '1800000001', recipient_id: '5511991110001' },
        ],
      }),
    );

    // Act
    const response = await handler(event(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const sent = fifo.sent();
    const texts = sent.filter((message) => message.groupId === conversationGroup('5511991110001'));
    expect(textsIn(texts)).toEqual(['first', 'second']);
    expect(texts.map((message) => message.deduplicationId)).toEqual([
      `message#${earlier.id}`,
      `message#${later.id}`,
    ]);
    const statuses = sent.filter((message) => !texts.includes(message));
    expect(statuses.map((message) => message.deduplicationId)).toEqual(['status#wamid.OUT1#delivered']);
    expect(statuses[0]?.groupId).not.toBe(conversationGroup('5511991110001'));
    // One item of a group per call: the group's order cannot be mixed up inside a batch send.
    for (const call of fifo.calls) expect(new Set(call.map((m) => m.groupId)).size).toBe(call.length);
  });

  it('groups a customer by the business-scoped user id when Meta sends one, and by the wa_id otherwise', async () => {
    // Prepare
    const fifo = fakeFifo();
    const handler = makeInboundOrdering({
      queue: fifo.queue,
      rejectedRecords: fakeDeadLetters().sink,
      telemetry: fakeTelemetry().telemetry,
    });
    const withUserId = sqsRecordFor(
      eumEnvelope({
        messages: [textMessage({ from: '5511991110002', body: 'with BSUID' })],
        contacts: [{ wa_id: '5511991110002', user_id: 'BR.1234567890', profile: { name: 'Ana' } }],
      }),
    );
    const waIdOnly = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '5511991110003', body: 'no BSUID' })] }),
    );

    // Act
    await handler(event(withUserId, waIdOnly));

    // Assess
    expect(fifo.sent().map((message) => message.groupId)).toEqual(
      expect.arrayContaining([conversationGroup('BR.1234567890'), conversationGroup('5511991110003')]),
    );
  });

  it('dead-letters a malformed message with its reason and still forwards its valid sibling', async () => {
    // Prepare
    const fifo = fakeFifo();
    const dlq = fakeDeadLetters();
    const { telemetry, counts } = fakeTelemetry();
    const handler = makeInboundOrdering({ queue: fifo.queue, rejectedRecords: dlq.sink, telemetry });
    const good = textMessage({ from: '5511991110004', body: 'still here' });
    const record = sqsRecordFor(eumEnvelope({ messages: [good, { from: '5511991110004', type: 'text' }] }));

    // Act
    const response = await handler(event(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(textsIn(fifo.sent())).toEqual(['still here']);
    expect(dlq.rejected).toHaveLength(1);
    expect(dlq.rejected[0]?.reason).toMatch(/Invalid/);
    // The dead letter holds only the bad message, so a redrive cannot repeat its sibling.
    expect(dlq.rejected[0]?.body).not.toContain(good.id);
    expect(counts.RejectedRecords).toBe(1);
  });

  it('dead-letters a record that is not a webhook with its reason, and forwards the rest of the batch', async () => {
    // Prepare
    const fifo = fakeFifo();
    const dlq = fakeDeadLetters();
    const handler = makeInboundOrdering({
      queue: fifo.queue,
      rejectedRecords: dlq.sink,
      telemetry: fakeTelemetry().telemetry,
    });
    const broken = rawSqsRecord('this is not JSON');
    const fine = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '5511991110005', body: 'hi' })] }),
    );

    // Act
    const response = await handler(event(broken, fine));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(dlq.rejected).toEqual([
      expect.objectContaining({
        body: 'this is not JSON',
        reason: 'BodyNotJson',
        sourceMessageId: broken.messageId,
      }),
    ]);
    expect(textsIn(fifo.sent())).toEqual(['hi']);
  });

  it("holds back a conversation's later text when its earlier one cannot be sent, retries both records, and lets other conversations go on", async () => {
    // Prepare
    const fifo = fakeFifo((message) => textsIn([message]).includes('text 1'));
    const handler = makeInboundOrdering({
      queue: fifo.queue,
      rejectedRecords: fakeDeadLetters().sink,
      telemetry: fakeTelemetry().telemetry,
    });
    const at = 1_800_000_000;
    const one = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '5511991110006', body: 'text 1', timestamp: at })] }),
    );
    const two = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '5511991110006', body: 'text 2', timestamp: at + 1 })] }),
    );
    const other = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: '5511991110007', body: 'other' })] }),
    );

    // Act
    const response = await handler(event(two, other, one));

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [one.messageId, two.messageId].sort(),
    );
    expect(textsIn(fifo.sent())).toEqual(['other']);
    expect(textsIn(fifo.calls.flat())).not.toContain('text 2');
  });
});

describe('outbound ordering stage', () => {
  it("forwards each chat item unchanged into its chat's group (InitialContactId), deduplicated by Connect's item id, in AbsoluteTime order", async () => {
    // Prepare
    const fifo = fakeFifo();
    const handler = makeOutboundOrdering({
      queue: fifo.queue,
      rejectedRecords: fakeDeadLetters().sink,
      telemetry: fakeTelemetry().telemetry,
    });
    const step2 = agentText('contact-a', 'Step 2', {
      id: 'item-2',
      absoluteTime: new Date('2026-01-01T10:00:01Z'),
    });
    const step1 = agentText('contact-a', 'Step 1', {
      id: 'item-1',
      absoluteTime: new Date('2026-01-01T10:00:00Z'),
    });
    const elsewhere = agentText('contact-b', 'Hello', { id: 'item-3' });

    // Act
    const response = await handler(event(step2, elsewhere, step1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const inChatA = fifo.sent().filter((message) => message.groupId === 'contact-a');
    expect(inChatA.map((message) => message.deduplicationId)).toEqual(['item-1', 'item-2']);
    expect(inChatA.map((message) => message.body)).toEqual([step1.body, step2.body]);
    expect(fifo.sent().find((message) => message.groupId === 'contact-b')?.deduplicationId).toBe('item-3');
  });

  it('dead-letters a record that is not a chat item, with its reason', async () => {
    // Prepare
    const dlq = fakeDeadLetters();
    const fifo = fakeFifo();
    const handler = makeOutboundOrdering({
      queue: fifo.queue,
      rejectedRecords: dlq.sink,
      telemetry: fakeTelemetry().telemetry,
    });

    // Act
    const response = await handler(event(rawSqsRecord('{"Type":"Notification"}')));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(dlq.rejected.map((record) => record.reason)).toEqual(['NotSnsNotification']);
    expect(fifo.calls.flat()).toEqual([]);
  });
});
