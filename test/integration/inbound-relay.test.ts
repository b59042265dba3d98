import { StartChatContactCommand, StartContactStreamingCommand } from '@aws-sdk/client-connect';
import { CreateParticipantConnectionCommand } from '@aws-sdk/client-connectparticipant';
import { SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/domain/conversation.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import {
  DLQ_URL,
  INBOUND_FLOW_ID,
  INSTANCE_ID,
  type InboundEnvironment,
  STREAMING_TOPIC_ARN,
  startInboundEnvironment,
} from '../support/inbound-environment.js';
import {
  BUSINESS,
  eumEnvelope,
  rawSqsRecord,
  sqsEvent,
  sqsRecordFor,
  textMessage,
  wamid,
} from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const conversationKey = { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: CUSTOMER };

function textEvent(body: string, options: { from?: string; id?: string; timestamp?: number } = {}) {
  return sqsRecordFor(
    eumEnvelope({ messages: [textMessage({ from: options.from ?? CUSTOMER, body, ...options })] }),
  );
}

describe('inbound relay: WhatsApp text into Amazon Connect chat', () => {
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

  it('starts one chat for a first text, with the text visible to the agent at once', async () => {
    // Prepare
    const record = textEvent('Olá, my order has not arrived');

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.connectMock).toHaveReceivedCommandTimes(StartChatContactCommand, 1);
    expect(env.connect.connectMock).toHaveReceivedCommandWith(StartChatContactCommand, {
      InstanceId: INSTANCE_ID,
      ContactFlowId: INBOUND_FLOW_ID,
      ParticipantDetails: { DisplayName: 'Ana Souza' },
      InitialMessage: { ContentType: 'text/plain', Content: 'Olá, my order has not arrived' },
      ChatDurationInMinutes: 720,
      Attributes: expect.objectContaining({
        channel: 'WhatsApp',
        customerPhoneNumber: '+5511987654321',
        businessPhoneNumber: '+15550001111',
        customerProfileName: 'Ana Souza',
      }),
      SupportedMessagingContentTypes: expect.arrayContaining([
        'text/plain',
        'application/vnd.amazonaws.connect.message.interactive',
        'application/vnd.amazonaws.connect.message.interactive.response',
      ]),
    });
    const startInput = env.connect.connectMock.commandCalls(StartChatContactCommand)[0]?.args[0].input;
    expect(startInput?.PersistentChat).toBeUndefined();
    expect(startInput?.ClientToken).toMatch(/^[0-9a-f]{64}$/);

    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.connectMock).toHaveReceivedCommandWith(StartContactStreamingCommand, {
      InstanceId: INSTANCE_ID,
      ContactId: contact?.contactId,
      ChatStreamingConfiguration: { StreamingEndpointArn: STREAMING_TOPIC_ARN },
    });
    expect(env.connect.participantMock).toHaveReceivedCommandWith(CreateParticipantConnectionCommand, {
      ParticipantToken: contact?.participantToken,
      Type: ['CONNECTION_CREDENTIALS'],
      ConnectParticipant: true,
    });
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['Olá, my order has not arrived']);

    const stored = await env.store.get(conversationKey);
    expect(stored).toMatchObject({
      chat: { state: 'active', contactId: contact?.contactId },
      customer: { profileName: 'Ana Souza' },
    });
    expect(stored?.chat.state === 'active' && stored.chat.connection.connectionToken).toBeTruthy();
    expect(stored?.lastCustomerMessage?.at).toBeGreaterThan(0);
    expect(await env.store.findByContactId(contact?.contactId ?? '')).toMatchObject({ key: conversationKey });
    expect(output.metric('ChatsStarted')).toBe(1);
    expect(output.metric('MessagesRelayed', { MessageType: 'text' })).toBe(1);
  });

  it('sends later texts into the same chat with SendMessage', async () => {
    await env.handler(sqsEvent(textEvent('first')));
    await env.handler(sqsEvent(textEvent('second')));
    await env.handler(sqsEvent(textEvent('third')));

    expect(env.connect.callCount('StartChatContact')).toBe(1);
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['first', 'second', 'third']);
  });

  it('starts exactly one chat when 20 first messages are processed concurrently in separate invocations', async () => {
    const bodies = Array.from({ length: 20 }, (_, index) => `message ${index + 1}`);

    const responses = await Promise.all(bodies.map((body) => env.handler(sqsEvent(textEvent(body)))));

    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(env.connect.callCount('StartChatContact')).toBe(1);
    expect(env.connect.contacts.size).toBe(1);
    const [contact] = [...env.connect.contacts.values()];
    expect([...env.connect.transcript(contact?.contactId ?? '')].sort()).toEqual([...bodies].sort());
  });

  it('relays an event delivered three times exactly once', async () => {
    const message = textMessage({ from: CUSTOMER, body: 'only once please' });
    const envelope = eumEnvelope({ messages: [message] });

    // Two redeliveries arrive together, the third later (SNS and SQS are at-least-once).
    await Promise.all([
      env.handler(sqsEvent(sqsRecordFor(envelope))),
      env.handler(sqsEvent(sqsRecordFor(envelope))),
    ]);
    await env.handler(sqsEvent(sqsRecordFor(envelope, { receiveCount: 2 })));

    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['only once please']);
    expect(env.connect.contacts.size).toBe(1);
    expect(output.metric('DuplicatesSkipped')).toBeGreaterThanOrEqual(1);
  });

  it('starts a new persistent chat when the previous chat has ended, and delivers the message', async () => {
    await env.handler(sqsEvent(textEvent('before the chat ended')));
    const [first] = [...env.connect.contacts.values()];
    env.connect.endChat(first?.contactId ?? '');

    const response = await env.handler(sqsEvent(textEvent('I am back')));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.contacts.size).toBe(2);
    const second = [...env.connect.contacts.values()][1];
    expect(second?.input.PersistentChat).toEqual({
      RehydrationType: 'ENTIRE_PAST_SESSION',
      SourceContactId: first?.contactId,
    });
    expect(env.connect.transcript(second?.contactId ?? '')).toEqual(['I am back']);
    expect(await env.store.get(conversationKey)).toMatchObject({
      chat: { state: 'active', contactId: second?.contactId },
    });
  });

  it('refreshes a connection token that has expired before using it', async () => {
    await env.handler(sqsEvent(textEvent('hello')));
    const [contact] = [...env.connect.contacts.values()];
    const stored = connectionOf(await env.store.get(conversationKey));
    // The stored token is past its expiry, and Connect no longer honours it.
    await env.store.updateConnection(conversationKey, contact?.contactId ?? '', {
      connectionToken: stored?.connectionToken ?? '',
      expiresAt: Date.now() - 1000,
    });
    env.connect.expireConnections(contact?.contactId ?? '');

    const response = await env.handler(sqsEvent(textEvent('still there?')));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.callCount('CreateParticipantConnection')).toBe(2);
    expect(env.connect.callCount('StartChatContact')).toBe(1);
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['hello', 'still there?']);
    const refreshed = connectionOf(await env.store.get(conversationKey));
    expect(refreshed?.expiresAt).toBeGreaterThan(Date.now());
    expect(refreshed?.connectionToken).not.toBe(stored?.connectionToken);
  });

  it('recovers when Connect rejects a token it stored as fresh, without mistaking it for an ended chat', async () => {
    await env.handler(sqsEvent(textEvent('hello')));
    const [contact] = [...env.connect.contacts.values()];
    env.connect.expireConnections(contact?.contactId ?? '');

    await env.handler(sqsEvent(textEvent('are you there?')));

    expect(env.connect.contacts.size).toBe(1);
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['hello', 'are you there?']);
  });

  it('delivers a 3,000-character text as ordered parts of at most 1,024 characters', async () => {
    await env.handler(sqsEvent(textEvent('hi')));
    const words = Array.from({ length: 600 }, (_, index) => `w${String(index).padStart(3, '0')}`);
    const long = words.join(' ').slice(0, 3000);

    await env.handler(sqsEvent(textEvent(long)));

    const [contact] = [...env.connect.contacts.values()];
    const parts = env.connect.transcript(contact?.contactId ?? '').slice(1);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1024);
    expect(parts.join(' ')).toBe(long);
  });

  it('delivers a long first message: part one as InitialMessage, the rest with SendMessage', async () => {
    const long = `${'a'.repeat(1000)} ${'b'.repeat(1000)} ${'c'.repeat(500)}`;

    await env.handler(sqsEvent(textEvent(long)));

    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual([
      'a'.repeat(1000),
      'b'.repeat(1000),
      'c'.repeat(500),
    ]);
  });

  it('handles malformed, unknown-type and unconfigured-number records on purpose while good records go through', async () => {
    const good = textEvent('the good one');
    const notJson = rawSqsRecord('{"Type":"Notification", this is not json');
    const badEnvelope = sqsRecordFor({ context: {}, whatsAppWebhookEntry: 42 });
    const unknownType = sqsRecordFor(
      eumEnvelope({
        messages: [
          {
            from: CUSTOMER,
            id: wamid(),
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'hologram',
            hologram: {},
          },
        ],
      }),
    );
    const unconfigured = sqsRecordFor(
      eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'wrong number' })], omitContext: true }),
    );

    const response = await env.handler(sqsEvent(notJson, good, badEnvelope, unknownType, unconfigured));

    // Nothing is retried: bad records are dead-lettered at once, the rest succeeded.
    expect(response.batchItemFailures).toEqual([]);
    expect(env.sqs).toHaveReceivedCommandTimes(SqsSendMessageCommand, 2);
    expect(env.sqs).toHaveReceivedCommandWith(SqsSendMessageCommand, {
      QueueUrl: DLQ_URL,
      MessageBody: notJson.body,
      MessageAttributes: expect.objectContaining({
        RejectReason: { DataType: 'String', StringValue: 'BodyNotJson' },
      }),
    });
    expect(env.sqs).toHaveReceivedCommandWith(SqsSendMessageCommand, {
      MessageBody: badEnvelope.body,
      MessageAttributes: expect.objectContaining({
        RejectReason: { DataType: 'String', StringValue: 'EnvelopeInvalid' },
      }),
    });
    const [contact] = [...env.connect.contacts.values()];
    const transcript = env.connect.transcript(contact?.contactId ?? '');
    expect(transcript[0]).toBe('the good one');
    expect(transcript[1]).toMatch(/could not show here \(hologram\)/);
    expect(transcript).not.toContain('wrong number');
    expect(output.metric('RejectedRecords', { Reason: 'BodyNotJson' })).toBe(1);
    expect(output.metric('RejectedRecords', { Reason: 'EnvelopeInvalid' })).toBe(1);
    expect(output.metric('UnconfiguredNumberEvents')).toBe(1);
  });

  it('retries a malformed record instead of losing it when the dead-letter queue cannot be reached', async () => {
    env.sqs
      .on(SqsSendMessageCommand)
      .rejects(Object.assign(new Error('SQS is down'), { name: 'InternalError' }));
    const broken = rawSqsRecord('not json at all');
    const good = textEvent('fine');

    const response = await env.handler(sqsEvent(broken, good));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: broken.messageId }]);
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual(['fine']);
  });

  it("keeps each conversation in its FIFO group's order in a batch with three conversations interleaved", async () => {
    const customers = ['447700900001', '447700900002', '447700900003'];
    const base = Math.floor(Date.now() / 1000);
    const records: SQSRecord[] = [];
    for (let step = 0; step < 4; step++) {
      for (const customer of customers) {
        records.push(textEvent(`${customer.slice(-1)}-${step}`, { from: customer, timestamp: base + step }));
      }
    }
    // Behind the FIFO queue the relay keeps the order the group delivered; sorting by Meta's
    // timestamp happened once, in the ordering stage (test/unit/ordering-stage.test.ts).

    const response = await env.handler(sqsEvent(...records));

    expect(response.batchItemFailures).toEqual([]);
    const transcripts = [...env.connect.contacts.values()].map((contact) =>
      env.connect.transcript(contact.contactId),
    );
    expect(transcripts).toHaveLength(3);
    for (const transcript of transcripts) {
      const suffix = transcript[0]?.split('-')[0];
      expect(transcript).toEqual([0, 1, 2, 3].map((step) => `${suffix}-${step}`));
    }
  });

  it('holds back the rest of a conversation behind a failed message, without blocking other conversations', async () => {
    await env.handler(sqsEvent(textEvent('warm up', { from: '447700900001' })));
    await env.handler(sqsEvent(textEvent('warm up', { from: '447700900002' })));
    const base = Math.floor(Date.now() / 1000) + 10;
    const a1 = textEvent('a1', { from: '447700900001', timestamp: base });
    const a2 = textEvent('a2', { from: '447700900001', timestamp: base + 1 });
    const b1 = textEvent('b1', { from: '447700900002', timestamp: base });
    const contactA = [...env.connect.contacts.values()][0];
    // Connect throttles the first send for customer A beyond the SDK's own retries.
    env.connect.endChat(contactA?.contactId ?? '');
    env.connect.connectMock.on(StartChatContactCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 429 },
      }),
    );

    const response = await env.handler(sqsEvent(a1, b1, a2));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [a1.messageId, a2.messageId].sort(),
    );
    const contactB = [...env.connect.contacts.values()][1];
    expect(env.connect.transcript(contactB?.contactId ?? '')).toEqual(['warm up', 'b1']);
    expect(output.metric('RelayFailures', { Reason: 'StartChatContact:ThrottlingException' })).toBe(1);
  });

  it('never writes the customer number or message text to the logs', async () => {
    await env.handler(sqsEvent(textEvent('my secret address is 1 Main St')));
    env.sqs.on(SqsSendMessageCommand).resolves({ $metadata: {} });
    await env.handler(sqsEvent(rawSqsRecord(`{"from":"${CUSTOMER}"`)));

    const logs = output.lines.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(CUSTOMER);
    expect(logs).not.toContain('1 Main St');
  });
});

function connectionOf(conversation: Conversation | undefined) {
  return conversation?.chat.state === 'active' ? conversation.chat.connection : undefined;
}
