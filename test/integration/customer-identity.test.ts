import { StartChatContactCommand } from '@aws-sdk/client-connect';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { AGENT_ID } from '../support/connect-lambda-events.js';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { agentText } from '../support/streaming-events.js';
import { BUSINESS, eumEnvelope, sqsEvent, sqsRecordFor, wamid } from '../support/whatsapp-events.js';

const NUMBER = '447700900777';
const BSUID = 'GB.1234567890123456';

/**
 * A customer as Meta identifies them in 2026: a business-scoped user id (BSUID) in every
 * messages webhook, and `wa_id` only while their phone number is visible to the business.
 */
function customerMessage(
  body: string,
  who: { waId?: string; userId?: string },
  extra: Record<string, unknown> = {},
) {
  const message = {
    ...(who.waId ? { from: who.waId } : {}),
    ...(who.userId ? { from_user_id: who.userId } : {}),
    id: wamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body },
    ...extra,
  };
  const contact = {
    profile: { name: 'Ana Souza' },
    ...(who.waId ? { wa_id: who.waId } : {}),
    ...(who.userId ? { user_id: who.userId } : {}),
  };
  return { message, record: sqsRecordFor(eumEnvelope({ messages: [message], contacts: [contact] })) };
}

describe('a customer known by their number, their business-scoped user id, or both', () => {
  let env: RelayEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startRelayEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  it('keeps the same chat when the customer hides their number and writes with the user id only', async () => {
    // Prepare
    await env.handler(
      sqsEvent(customerMessage('Hi, my number is visible', { waId: NUMBER, userId: BSUID }).record),
    );

    // Act
    const response = await env.handler(
      sqsEvent(customerMessage('Now it is hidden', { userId: BSUID }).record),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.callCount('StartChatContact')).toBe(1);
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual([
      'Hi, my number is visible',
      'Now it is hidden',
    ]);
  });

  it('continues a conversation recorded under the number before Meta sent user ids', async () => {
    // Prepare: the customer wrote before BSUIDs existed.
    await env.handler(sqsEvent(customerMessage('Hello from last year', { waId: NUMBER }).record));

    // Act
    await env.handler(
      sqsEvent(customerMessage('Hello with a user id', { waId: NUMBER, userId: BSUID }).record),
    );
    const response = await env.handler(sqsEvent(customerMessage('And hidden', { userId: BSUID }).record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.callCount('StartChatContact')).toBe(1);
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual([
      'Hello from last year',
      'Hello with a user id',
      'And hidden',
    ]);
  });

  it("routes the reply to an agent's template sent to the number when the customer answers with a user id", async () => {
    // Prepare: the template guide recorded the initiation under the number the agent typed.
    await env.store.recordAgentInitiation(
      { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: NUMBER },
      { agentId: AGENT_ID, templateName: 'order_update', at: Date.now() },
    );

    // Act
    await env.handler(sqsEvent(customerMessage('Yes please', { waId: NUMBER, userId: BSUID }).record));

    // Assess
    const start = env.connect.connectMock.commandCalls(StartChatContactCommand)[0]?.args[0].input;
    expect(start?.Attributes).toMatchObject({ initiatingAgentId: AGENT_ID, customerWhatsAppUserId: BSUID });
  });

  it('answers a customer whose number is hidden at their user id', async () => {
    // Prepare
    await env.handler(sqsEvent(customerMessage('Number hidden from the start', { userId: BSUID }).record));
    const [contact] = [...env.connect.contacts.values()];

    // Act
    const response = await env.outbound(
      sqsEvent(agentText(contact?.contactId ?? '', 'Hello, how can I help?')),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const sent = env.whatsApp.sent.map((entry) => entry.payload).filter((payload) => payload.type === 'text');
    expect(sent).toEqual([
      expect.objectContaining({
        recipient: BSUID,
        text: expect.objectContaining({ body: 'Hello, how can I help?' }),
      }),
    ]);
    expect(sent[0]).not.toHaveProperty('to');
  });

  it('quotes the message a customer replies to, when the relay relayed it', async () => {
    // Prepare
    const first = customerMessage('My parcel 55 is late', { waId: NUMBER, userId: BSUID });
    await env.handler(sqsEvent(first.record));

    // Act
    await env.handler(
      sqsEvent(
        customerMessage(
          'Any news?',
          { waId: NUMBER, userId: BSUID },
          { context: { from: NUMBER, id: first.message.id } },
        ).record,
      ),
    );

    // Assess
    const [contact] = [...env.connect.contacts.values()];
    expect(env.connect.transcript(contact?.contactId ?? '')).toEqual([
      'My parcel 55 is late',
      '↩ Reply to "My parcel 55 is late"\nAny news?',
    ]);
  });
});
