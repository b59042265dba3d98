import { ResourceNotFoundException, StartChatContactCommand } from '@aws-sdk/client-connect';
import { SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { injectDynamoDbFaults } from '../support/dynamodb-faults.js';
import { INBOUND_FLOW_ID } from '../support/inbound-environment.js';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { agentText, streamingRecord } from '../support/streaming-events.js';
import { BUSINESS, eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '447700900555';
const WRONG_FLOW_ID = 'deadbeef-0000-1111-2222-333344445555';
const SHORT_INVOCATION = { getRemainingTimeInMillis: () => 6_000 };

function customerText(body: string, options: { id?: string; receiveCount?: number } = {}): SQSRecord {
  const message = textMessage({ from: CUSTOMER, body, ...(options.id ? { id: options.id } : {}) });
  return sqsRecordFor(eumEnvelope({ messages: [message] }), {
    ...(options.receiveCount ? { receiveCount: options.receiveCount } : {}),
  });
}

function numbersWithFlow(flowId: string): string {
  return JSON.stringify([{ phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: flowId }]);
}

/** Receives a record as SQS would, up to the production redrive policy (5), until it is acknowledged. */
async function receiveUntilSettled(
  handler: (event: ReturnType<typeof sqsEvent>) => Promise<{ batchItemFailures: unknown[] }>,
  build: (receiveCount: number) => SQSRecord,
): Promise<'acknowledged' | 'redriven-to-dlq'> {
  for (let receive = 1; receive <= 5; receive++) {
    const response = await handler(sqsEvent(build(receive)));
    if (response.batchItemFailures.length === 0) return 'acknowledged';
  }
  return 'redriven-to-dlq';
}

describe('a chat start that goes wrong never strands the customer', () => {
  let env: RelayEnvironment;
  let output: CapturedOutput;

  afterEach(async () => {
    output?.restore();
    await env?.stop();
  });

  it('starts the chat in the corrected flow for the next message and for a DLQ redrive, after a refused start and a redeploy', async () => {
    // Prepare: the deployed inbound flow id is wrong, so Connect refuses every start with a 404.
    env = await startRelayEnvironment({
      env: { BUSINESS_NUMBERS: numbersWithFlow(WRONG_FLOW_ID) },
      connect: {
        faults: (operation, phase, input) =>
          operation === 'StartChatContact' &&
          phase === 'before' &&
          (input as { ContactFlowId?: string }).ContactFlowId === WRONG_FLOW_ID
            ? new ResourceNotFoundException({
                message: 'Contact flow not found',
                $metadata: { httpStatusCode: 404 },
              })
            : undefined,
      },
    });
    output = captureOutput();
    const first = textMessage({ from: CUSTOMER, body: 'Where is my parcel?' });
    const firstRecord = (receiveCount: number) =>
      sqsRecordFor(eumEnvelope({ messages: [first] }), { messageId: 'sqs-first', receiveCount });
    const firstOutcome = await receiveUntilSettled(env.handler, firstRecord);

    // Act: the operator fixes the flow id and redeploys; the customer writes again, and the
    // dead-lettered first message is redriven.
    const fixed = await env.container({ BUSINESS_NUMBERS: numbersWithFlow(INBOUND_FLOW_ID) });
    const next = await fixed(sqsEvent(customerText('Hello? Anyone?')));
    const redrive = await fixed(sqsEvent(firstRecord(1)));

    // Assess
    expect(
      firstOutcome === 'redriven-to-dlq' || env.sqs.commandCalls(SqsSendMessageCommand).length === 1,
    ).toBe(true);
    expect(next.batchItemFailures).toEqual([]);
    expect(redrive.batchItemFailures).toEqual([]);
    const created = [...env.connect.contacts.values()];
    expect(created).toHaveLength(1);
    expect(created[0]?.input.ContactFlowId).toBe(INBOUND_FLOW_ID);
    expect(env.connect.transcript(created[0]?.contactId ?? '')).toEqual([
      'Hello? Anyone?',
      'Where is my parcel?',
    ]);
  });

  it('dead-letters a refused start at once with its reason, instead of retrying it five times', async () => {
    // Prepare
    env = await startRelayEnvironment({
      env: { BUSINESS_NUMBERS: numbersWithFlow(WRONG_FLOW_ID) },
      connect: {
        faults: (operation, phase) =>
          operation === 'StartChatContact' && phase === 'before'
            ? new ResourceNotFoundException({
                message: 'Contact flow not found',
                $metadata: { httpStatusCode: 404 },
              })
            : undefined,
      },
    });
    output = captureOutput();

    // Act
    const response = await env.handler(sqsEvent(customerText('Hi')));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.sqs).toHaveReceivedCommandWith(SqsSendMessageCommand, {
      MessageAttributes: expect.objectContaining({
        RejectReason: { DataType: 'String', StringValue: 'ChatStartRefused:ResourceNotFoundException' },
      }),
    });
    expect(output.metric('ChatStartsRefused', { Reason: 'ResourceNotFoundException' })).toBe(1);
  });

  it('never opens a chat with an empty first message when the customer sends only spaces', async () => {
    // Prepare
    env = await startRelayEnvironment();
    output = captureOutput();

    // Act
    const response = await env.handler(sqsEvent(customerText('   \n  ')));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const start = env.connect.connectMock.commandCalls(StartChatContactCommand)[0]?.args[0].input;
    expect(start?.InitialMessage?.Content?.trim().length).toBeGreaterThan(0);
  });

  it("never starts streaming a chat before the agent's replies can find the customer", async () => {
    // Prepare: every attempt to write the new contact's lookup fails during the first receive.
    env = await startRelayEnvironment();
    output = captureOutput();
    let failing = true;
    const faults = injectDynamoDbFaults({
      exempt: [env.emulator.client],
      faults: (operation, phase, request) =>
        failing &&
        phase === 'before' &&
        operation === 'PutItem' &&
        JSON.stringify(request).includes('"contact#')
          ? 'server-error'
          : undefined,
    });

    try {
      // Act
      const hello = textMessage({ from: CUSTOMER, body: 'Hello' });
      const first = await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [hello] }))));
      const streamedBeforeLookup = env.connect.callCount('StartContactStreaming');
      failing = false;
      const retry = await env.handler(
        sqsEvent(sqsRecordFor(eumEnvelope({ messages: [hello] }), { receiveCount: 2 })),
      );
      const [contact] = [...env.connect.contacts.values()];
      const reply = await env.outbound(sqsEvent(agentText(contact?.contactId ?? '', 'Hi, Jane here')));

      // Assess
      expect(first.batchItemFailures).toHaveLength(1);
      expect(streamedBeforeLookup).toBe(0);
      expect(retry.batchItemFailures).toEqual([]);
      expect(reply.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(`+${CUSTOMER}`)).toHaveLength(1);
    } finally {
      faults.restore();
    }
  });

  it("delivers the flow's greeting sent while the chat is still connecting, with no window notice to the agent", async () => {
    // Prepare: the chat is created and streaming, but connecting the customer fails this time.
    let connectFails = true;
    env = await startRelayEnvironment({
      connect: {
        faults: (operation, phase) =>
          connectFails && operation === 'CreateParticipantConnection' && phase === 'before'
            ? Object.assign(new Error('Service unavailable'), {
                name: 'InternalServerException',
                $metadata: { httpStatusCode: 500 },
              })
            : undefined,
      },
    });
    output = captureOutput();
    // A short invocation: the participant service's 5xx are retried in place only until its deadline.
    const first = await env.handler(sqsEvent(customerText('I need help with my order')), SHORT_INVOCATION);
    const [contact] = [...env.connect.contacts.values()];

    // Act: the inbound flow greets the customer before the customer participant is connected.
    const greeting = await env.outbound(
      sqsEvent(
        streamingRecord({
          initialContactId: contact?.contactId ?? '',
          contentType: 'text/plain',
          content: 'Connecting you to an agent…',
          role: 'SYSTEM',
        }),
      ),
    );
    connectFails = false;

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(greeting.batchItemFailures).toEqual([]);
    expect(
      env.whatsApp.messagesTo(`+${CUSTOMER}`).map((payload) => (payload.text as { body: string }).body),
    ).toEqual(['Connecting you to an agent…']);
    expect(output.metric('WindowClosedBlocked')).toBe(0);
  });

  it('does not relay a duplicate into a brand-new chat when another container still caches the ended chat', async () => {
    // Prepare: two containers. Y has the chat cached; X relays M into it; the agent ends the chat.
    env = await startRelayEnvironment();
    output = captureOutput();
    const containerY = env.handler;
    await containerY(sqsEvent(customerText('Good morning')));
    await containerY(sqsEvent(customerText('Are you there?')));
    const containerX = await env.container();
    const m = textMessage({ from: CUSTOMER, body: 'My order number is 1234' });
    await containerX(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [m] }))));
    const [chat] = [...env.connect.contacts.values()];
    env.connect.endChat(chat?.contactId ?? '');
    await env.outbound(
      sqsEvent(
        streamingRecord({
          initialContactId: chat?.contactId ?? '',
          contentType: 'application/vnd.amazonaws.connect.event.chat.ended',
          type: 'EVENT',
        }),
      ),
    );

    // Act: SNS delivers M a second time (a fresh first receive) to container Y.
    const duplicate = await containerY(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [m] }))));

    // Assess
    expect(duplicate.batchItemFailures).toEqual([]);
    expect(env.connect.contacts.size).toBe(1);
    expect(env.connect.transcript(chat?.contactId ?? '')).toEqual([
      'Good morning',
      'Are you there?',
      'My order number is 1234',
    ]);
  });
});
