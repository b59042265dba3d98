import { describe, expect, it } from 'vitest';
import { ChatEndedError } from '../../shared/domain/errors.js';
import { ConnectionRejectedError } from '../../shared/ports/chat-service.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { activeConversation, endedConversation } from '../support/conversation-builders.js';
import { scriptedChatService } from '../support/fakes/chat-service.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryConversationStore } from '../support/fakes/conversation-store.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';

const REFRESH_MARGIN_MS = 60_000;

function connectionWorld() {
  const clock = new ManualClock();
  const chat = scriptedChatService(clock.now);
  const conversations = new InMemoryConversationStore();
  const telemetry = new RecordingTelemetry();
  const connection = new CustomerConnection({
    chat,
    conversations,
    telemetry,
    now: clock.now,
    refreshMarginMs: REFRESH_MARGIN_MS,
  });
  return { clock, chat, conversations, telemetry, connection };
}

/** A participant call (SendMessage, say) that Connect refuses for the tokens in `refused`. */
function callRefusing(refused: (token: string) => boolean) {
  const tokensUsed: string[] = [];
  const action = async (token: string) => {
    tokensUsed.push(token);
    if (refused(token)) throw new ConnectionRejectedError();
    return `sent with ${token}`;
  };
  return { action, tokensUsed };
}

describe("the customer's connection to the chat", () => {
  it('uses the stored connection token while it is fresh', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({ expiresAt: world.clock.now() + 3_600_000 });
    // Act
    const result = await world.connection.run(running, async (token) => `sent with ${token}`);
    // Assess
    expect(result).toBe('sent with connection-old');
    expect(world.chat.requests('connectParticipant')).toEqual([]);
  });

  it('refreshes a token about to expire before the first call, and stores the new one', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({ expiresAt: world.clock.now() + REFRESH_MARGIN_MS - 1 });
    const call = callRefusing(() => false);
    // Act
    await world.connection.session(running).run(call.action);
    // Assess
    expect(call.tokensUsed).toEqual(['connection-1']);
    expect(world.chat.requests('connectParticipant')).toEqual([running.chat.participantToken]);
    expect(world.conversations.connections).toEqual([
      {
        contactId: running.chat.contactId,
        connection: expect.objectContaining({ connectionToken: 'connection-1' }),
      },
    ]);
    expect(world.telemetry.counted('ConnectionRefreshed')).toBe(1);
  });

  it('gets a new connection after one refusal and repeats the call with it', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({ expiresAt: world.clock.now() + 3_600_000 });
    const call = callRefusing((token) => token === 'connection-old');
    // Act
    const result = await world.connection.session(running).run(call.action);
    // Assess
    expect(result).toBe('sent with connection-1');
    expect(call.tokensUsed).toEqual(['connection-old', 'connection-1']);
  });

  it('treats a refused participant token as an ended chat', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({
      contactId: 'contact-over',
      expiresAt: world.clock.now() + 3_600_000,
    });
    world.chat.answer.connectParticipant = async () => {
      throw new ConnectionRejectedError();
    };
    const call = callRefusing(() => true);
    // Act
    const attempt = world.connection.session(running).run(call.action);
    // Assess
    await expect(attempt).rejects.toSatisfy(
      (error) => error instanceof ChatEndedError && error.contactId === 'contact-over',
    );
    expect(world.conversations.connections).toEqual([]);
  });

  it('counts the chat as ended when the call is refused three times, each on a fresh connection', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({
      contactId: 'contact-over',
      expiresAt: world.clock.now() + 3_600_000,
    });
    const call = callRefusing(() => true);
    // Act
    const attempt = world.connection.session(running).run(call.action);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ChatEndedError);
    expect(call.tokensUsed).toEqual(['connection-old', 'connection-1', 'connection-2']);
  });

  it('does not count two refusals as an ended chat: the third call on a new connection goes through', async () => {
    // Prepare
    const world = connectionWorld();
    const running = activeConversation({ expiresAt: world.clock.now() + 3_600_000 });
    const call = callRefusing((token) => token !== 'connection-2');
    // Act
    const result = await world.connection.session(running).run(call.action);
    // Assess
    expect(result).toBe('sent with connection-2');
  });

  it('uses the connection another call made moments ago, instead of replacing it with a new one', async () => {
    // Prepare: a first call was refused with the stored token and made a new connection.
    const world = connectionWorld();
    const running = activeConversation({ expiresAt: world.clock.now() + 3_600_000 });
    const first = callRefusing((token) => token === 'connection-old');
    await world.connection.run(running, first.action);
    const second = callRefusing((token) => token === 'connection-old');
    // Act: a second call, still holding the stored token, is refused too.
    const result = await world.connection.run(running, second.action);
    // Assess
    expect(result).toBe('sent with connection-1');
    expect(world.chat.requests('connectParticipant')).toHaveLength(1);
  });

  it('refuses to run anything in a chat that is not running', async () => {
    // Prepare
    const world = connectionWorld();
    const ended = endedConversation({ contactId: 'contact-over', endedAt: world.clock.now() });
    const call = callRefusing(() => false);
    // Act
    const attempt = world.connection.run(ended, call.action);
    // Assess
    await expect(attempt).rejects.toSatisfy(
      (error) => error instanceof ChatEndedError && error.contactId === 'contact-over',
    );
    expect(call.tokensUsed).toEqual([]);
  });
});
