import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { streamingRecord } from '../support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '447700900555';

describe('outbound relay with greeting and closing messages configured', () => {
  let env: RelayEnvironment;

  beforeEach(async () => {
    env = await startRelayEnvironment({
      env: {
        AGENT_JOINED_MESSAGE: 'You are now chatting with {name}.',
        CHAT_ENDED_MESSAGE: 'Thanks for chatting with us. Write again any time.',
      },
    });
  });

  afterEach(async () => {
    await env.stop();
  });

  async function startChat(): Promise<string> {
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'hi' })] }))),
    );
    return [...env.connect.contacts.keys()][0] ?? '';
  }

  it('greets the customer with the agent’s name when an agent joins, but not for a bot or supervisor', async () => {
    const contactId = await startChat();

    await env.outbound(
      sqsEvent(
        streamingRecord({
          initialContactId: contactId,
          contentType: 'application/vnd.amazonaws.connect.event.participant.joined',
          role: 'CUSTOM_BOT',
          displayName: 'Bot',
        }),
        streamingRecord({
          initialContactId: contactId,
          contentType: 'application/vnd.amazonaws.connect.event.participant.joined',
          role: 'AGENT',
          displayName: 'Priya',
        }),
      ),
    );

    expect(
      env.whatsApp.messagesTo(`+${CUSTOMER}`).map((payload) => (payload.text as { body: string }).body),
    ).toEqual(['You are now chatting with Priya.']);
  });

  it('sends the closing message once when the chat ends', async () => {
    const contactId = await startChat();
    env.connect.endChat(contactId);
    const ended = streamingRecord({
      initialContactId: contactId,
      contentType: 'application/vnd.amazonaws.connect.event.chat.ended',
    });

    await env.outbound(sqsEvent(ended));
    await env.outbound(sqsEvent(ended));

    expect(
      env.whatsApp.messagesTo(`+${CUSTOMER}`).map((payload) => (payload.text as { body: string }).body),
    ).toEqual(['Thanks for chatting with us. Write again any time.']);
    expect(
      (
        await env.store.get({
          businessPhoneNumberId: 'phone-number-id-0123456789abcdef0123456789abcdef',
          customerId: CUSTOMER,
        })
      )?.chat.state,
    ).toBe('ended');
  });
});
