import { describe, expect, it } from 'vitest';
import { historyNotAttachedNotice } from '../../shared/domain/agent-notices.js';
import type { Conversation, PendingChatStart } from '../../shared/domain/conversation.js';
import { conversationKeyString } from '../../shared/domain/conversation.js';
import { ConversationBusyError, PermanentDeliveryError, RetryableError } from '../../shared/domain/errors.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import {
  ChatStartRefusedError,
  ConnectionRejectedError,
  PersistentChatRejectedError,
} from '../../shared/ports/chat-service.js';
import { type ChatNeed, ChatStarter } from '../../shared/use-cases/chat-starter.js';
import {
  activeConversation,
  draftFor,
  endedConversation,
  CONVERSATION_KEY as KEY,
  startingConversation,
} from '../support/conversation-builders.js';
import { scriptedChatService } from '../support/fakes/chat-service.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryContactDirectory } from '../support/fakes/contact-directory.js';
import { InMemoryConversationStore } from '../support/fakes/conversation-store.js';
import { InMemoryCustomerActivityLog } from '../support/fakes/customer-activity-log.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';

const SETTINGS = {
  limits: { leaseMs: 40_000, maxAttempts: 5, maxAgeMs: 600_000 },
  waitForChatMs: 8_000,
  pollIntervalMs: 150,
  chatDurationMinutes: 1500,
  rehydrationPatienceMs: 90_000,
};

/** A ChatStarter over in-memory ports and Connect as a script, in virtual time. */
function starterWorld(options: { invocationLeftMs?: number } = {}) {
  const clock = new ManualClock();
  const conversations = new InMemoryConversationStore();
  const contacts = new InMemoryContactDirectory(conversations);
  const activity = new InMemoryCustomerActivityLog();
  const chat = scriptedChatService(clock.now);
  const telemetry = new RecordingTelemetry();
  let deadline = clock.now() + (options.invocationLeftMs ?? 600_000);
  const starter = new ChatStarter({
    conversations,
    contacts,
    activity,
    chat,
    telemetry,
    settings: SETTINGS,
    now: clock.now,
    sleep: clock.sleep,
    deadline: () => deadline,
  });
  const stored = () => conversations.items.get(conversationKeyString(KEY));
  /** A later invocation (a redelivery) with its own time budget. */
  const nextInvocation = (leftMs: number) => {
    deadline = clock.now() + leftMs;
  };
  return { clock, conversations, contacts, activity, chat, telemetry, starter, stored, nextInvocation };
}

/** What a customer message brings: its id and text, and today's flow. */
function need(messageId: string, text: string, at: number): ChatNeed {
  return {
    key: KEY,
    messageId,
    activity: { messageId, at, profileName: 'Ana Souza' },
    draft: (source) => draftFor(messageId, text, source),
    config: () => ({ contactFlowId: 'flow-today', attributes: { channel: 'WhatsApp', run: 'today' } }),
  };
}

/** The start an earlier message claimed with yesterday's flow. */
function earlierStart(claimedAt: number, overrides: Partial<PendingChatStart> = {}): PendingChatStart {
  return {
    ...draftFor('wamid.first', 'Hello, my parcel is late'),
    contactFlowId: 'flow-yesterday',
    claimedAt,
    attempts: 1,
    ...overrides,
  };
}

describe('starting a chat for a customer', () => {
  it("starts a new customer's chat with their text as the InitialMessage, then streams and connects", async () => {
    // Prepare
    const world = starterWorld();
    let lookupBeforeStreaming = false;
    world.chat.answer.startStreaming = async ({ contactId }) => {
      lookupBeforeStreaming = world.contacts.contacts.has(contactId);
    };
    // Act
    const running = await world.starter.ensureChat(
      need('wamid.hello', 'Hello, I need help', world.clock.now()),
      undefined,
    );
    // Assess
    expect(world.chat.requests('startChat')).toEqual([
      {
        contactFlowId: 'flow-today',
        displayName: 'Ana Souza',
        attributes: { channel: 'WhatsApp', customerId: KEY.customerId },
        initialMessage: 'Hello, I need help',
        clientToken: 'start-token-of-wamid.hello-from-new',
        chatDurationMinutes: 1500,
      },
    ]);
    const { contactId } = running.conversation.chat;
    expect(lookupBeforeStreaming).toBe(true);
    expect(world.chat.requests('startStreaming')).toEqual([
      { contactId, clientToken: idempotencyToken('start-streaming', contactId) },
    ]);
    expect(world.stored()).toEqual(running.conversation);
    expect(running.conversation.chat.initialMessageId).toBe('wamid.hello');
    expect(running.completed?.starterMessageId).toBe('wamid.hello');
    expect(world.activity.recorded.map((entry) => entry.activity.messageId)).toEqual(['wamid.hello']);
    expect(world.telemetry.counted('ChatsStarted')).toBe(1);
  });

  it("waits for another invocation's start to finish, then uses its chat without starting one", async () => {
    // Prepare
    const world = starterWorld();
    const now = world.clock.now();
    const othersStart = startingConversation({
      owner: 'wamid.first',
      leaseUntil: now + 5_000,
      start: earlierStart(now),
    });
    world.conversations.put(othersStart);
    const othersChat = activeConversation({
      contactId: 'contact-by-other',
      expiresAt: now + 86_400_000,
      version: 3,
    });
    world.clock.whileAsleep = () => {
      if (world.clock.slept >= 450) world.conversations.put(othersChat);
    };
    // Act
    const running = await world.starter.ensureChat(need('wamid.second', 'Are you there?', now), othersStart);
    // Assess
    expect(running.conversation.chat.contactId).toBe('contact-by-other');
    expect(running.completed).toBeUndefined();
    expect(world.chat.requests('startChat')).toEqual([]);
    expect(world.telemetry.counted('ChatStartWaits')).toBe(1);
  });

  it('gives up waiting after the configured wait and leaves the message for a retry', async () => {
    // Prepare
    const world = starterWorld();
    const now = world.clock.now();
    const othersStart = startingConversation({
      owner: 'wamid.first',
      leaseUntil: now + 30_000,
      start: earlierStart(now),
    });
    world.conversations.put(othersStart);
    // Act
    const attempt = world.starter.ensureChat(need('wamid.second', 'Are you there?', now), othersStart);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConversationBusyError);
    expect(world.clock.slept).toBeGreaterThanOrEqual(SETTINGS.waitForChatMs);
    expect(world.chat.requests('startChat')).toEqual([]);
  });

  it("takes over a start whose lease expired: the same ClientToken and text, with today's flow", async () => {
    // Prepare
    const world = starterWorld();
    const now = world.clock.now();
    const stalled = startingConversation({
      owner: 'wamid.first',
      leaseUntil: now - 1,
      start: earlierStart(now - 60_000),
    });
    world.conversations.put(stalled);
    // Act
    const running = await world.starter.ensureChat(need('wamid.second', 'Are you there?', now), stalled);
    // Assess
    expect(world.chat.requests('startChat')).toEqual([
      expect.objectContaining({
        clientToken: 'start-token-of-wamid.first-from-new',
        initialMessage: 'Hello, my parcel is late',
        contactFlowId: 'flow-today',
        attributes: { channel: 'WhatsApp', run: 'today' },
      }),
    ]);
    expect(running.completed?.starterMessageId).toBe('wamid.first');
    expect(world.stored()?.chat).toMatchObject({ state: 'active', initialMessageId: 'wamid.first' });
    expect(world.telemetry.counted('ChatStartTakeovers')).toBe(1);
  });

  it('finishes a contact another invocation created but never connected, without starting a second one', async () => {
    // Prepare
    const world = starterWorld();
    const now = world.clock.now();
    const createdByOther: Conversation = {
      key: KEY,
      version: 2,
      customer: {},
      chat: {
        state: 'created',
        lease: { owner: 'wamid.first', until: now - 1 },
        start: earlierStart(now - 60_000),
        contactId: 'contact-created',
        participantToken: 'participant-created',
      },
    };
    world.conversations.put(createdByOther);
    // Act
    const running = await world.starter.ensureChat(need('wamid.second', 'Hello?', now), createdByOther);
    // Assess
    expect(world.chat.requests('startChat')).toEqual([]);
    expect(world.chat.requests('connectParticipant')).toEqual(['participant-created']);
    expect(running.conversation.chat.contactId).toBe('contact-created');
    expect(world.stored()?.chat.state).toBe('active');
  });

  it('gives a start Connect refuses (4xx) back, so the next message starts afresh, and dead-letters this one', async () => {
    // Prepare
    const world = starterWorld();
    world.chat.answer.startChat = async () => {
      throw new ChatStartRefusedError('InvalidParameterException');
    };
    // Act
    const attempt = world.starter.ensureChat(need('wamid.hello', 'Hello', world.clock.now()), undefined);
    // Assess
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        error instanceof PermanentDeliveryError &&
        error.reason === 'ChatStartRefused:InvalidParameterException',
    );
    expect(world.stored()?.chat).toEqual({ state: 'none' });
    expect(world.chat.requests('startStreaming')).toEqual([]);
    expect(world.telemetry.counted('ChatStartsRefused', { Reason: 'InvalidParameterException' })).toBe(1);
  });

  it('gives a refused rehydration start back to the ended chat, so the history is tried again next time', async () => {
    // Prepare
    const world = starterWorld();
    const ended = endedConversation({
      contactId: 'contact-yesterday',
      endedAt: world.clock.now() - 86_400_000,
    });
    world.conversations.put(ended);
    world.chat.answer.startChat = async () => {
      throw new ChatStartRefusedError('AccessDeniedException');
    };
    // Act
    const attempt = world.starter.ensureChat(need('wamid.back', 'Back again', world.clock.now()), ended);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(world.stored()?.chat).toEqual(ended.chat);
  });
});

describe('continuing an ended chat (persistent chat)', () => {
  it('retries a refused rehydration within the invocation and starts the chat with its history', async () => {
    // Prepare
    const world = starterWorld();
    const ended = endedConversation({ contactId: 'contact-yesterday', endedAt: world.clock.now() - 20_000 });
    world.conversations.put(ended);
    let refusals = 1;
    world.chat.answer.startChat = async (request) => {
      if (refusals-- > 0) throw new PersistentChatRejectedError();
      return { contactId: 'contact-continued', participantToken: `participant-${request.clientToken}` };
    };
    // Act
    const running = await world.starter.ensureChat(
      need('wamid.back', 'Back again', world.clock.now()),
      ended,
    );
    // Assess
    const starts = world.chat.requests('startChat');
    expect(starts).toHaveLength(2);
    expect(starts.map((start) => start.persistentSourceContactId)).toEqual([
      'contact-yesterday',
      'contact-yesterday',
    ]);
    expect(new Set(starts.map((start) => start.clientToken)).size).toBe(1);
    expect(world.clock.sleeps).toEqual([1_000]);
    expect(running.conversation.chat).toMatchObject({ contactId: 'contact-continued' });
    expect(running.conversation.chat.historyNotAttached).toBeUndefined();
    expect(world.chat.requests('sendMessage')).toEqual([]);
    expect(world.telemetry.counted('PersistentChatRetries')).toBe(1);
  });

  it('starts without the history after the patience period and tells the agent so', async () => {
    // Prepare
    const world = starterWorld();
    const ended = endedConversation({ contactId: 'contact-yesterday', endedAt: world.clock.now() - 20_000 });
    world.conversations.put(ended);
    world.chat.answer.startChat = async (request) => {
      if (request.persistentSourceContactId) throw new PersistentChatRejectedError();
      return { contactId: 'contact-fresh', participantToken: 'participant-fresh' };
    };
    const firstAsked = world.clock.now();
    // Act
    const running = await world.starter.ensureChat(need('wamid.back', 'Back again', firstAsked), ended);
    // Assess
    const starts = world.chat.requests('startChat');
    const fresh = starts.at(-1);
    expect(fresh?.persistentSourceContactId).toBeUndefined();
    expect(fresh?.clientToken).toBe(
      idempotencyToken('start-token-of-wamid.back-from-contact-yesterday', 'fresh'),
    );
    expect(world.clock.now() - firstAsked).toBeGreaterThanOrEqual(SETTINGS.rehydrationPatienceMs);
    expect(running.conversation.chat).toMatchObject({ contactId: 'contact-fresh', historyNotAttached: true });
    expect(world.chat.requests('sendMessage')).toEqual([
      {
        connectionToken: running.conversation.chat.connection.connectionToken,
        contactId: 'contact-fresh',
        content: historyNotAttachedNotice(),
        clientToken: idempotencyToken('history-not-attached', 'contact-fresh'),
      },
    ]);
    expect(world.telemetry.counted('PersistentChatFallbacks')).toBe(1);
  });

  it('hands the message back for redelivery at the deadline, and the redelivery remembers when Connect first refused', async () => {
    // Prepare
    const world = starterWorld({ invocationLeftMs: 5_000 });
    const ended = endedConversation({ contactId: 'contact-yesterday', endedAt: world.clock.now() - 20_000 });
    world.conversations.put(ended);
    world.chat.answer.startChat = async (request) => {
      if (request.persistentSourceContactId) throw new PersistentChatRejectedError();
      return { contactId: 'contact-fresh', participantToken: 'participant-fresh' };
    };
    const firstRefusal = world.clock.now();
    // Act
    const first = world.starter.ensureChat(need('wamid.back', 'Back again', firstRefusal), ended);
    // Assess
    await expect(first).rejects.toSatisfy(
      (error) => error instanceof RetryableError && error.reason === 'PersistentChatNotReady',
    );
    expect(world.stored()?.chat).toMatchObject({
      state: 'starting',
      start: { rehydrationRefusedAt: firstRefusal },
    });

    // Act: SQS redelivers the message after the patience period has passed.
    world.clock.advance(SETTINGS.rehydrationPatienceMs);
    world.nextInvocation(5_000);
    const sleepsBefore = world.clock.sleeps.length;
    const redelivered = await world.starter.ensureChat(
      need('wamid.back', 'Back again', firstRefusal),
      world.stored(),
    );
    // Assess
    expect(world.clock.sleeps.length).toBe(sleepsBefore);
    expect(redelivered.conversation.chat).toMatchObject({
      contactId: 'contact-fresh',
      historyNotAttached: true,
    });
    expect(world.chat.requests('sendMessage').map((sent) => sent.content)).toEqual([
      historyNotAttachedNotice(),
    ]);
  });

  it('rehydrates from the contact a re-issued start returned when that contact had already ended', async () => {
    // Prepare
    const world = starterWorld();
    const now = world.clock.now();
    const stalled = startingConversation({
      owner: 'wamid.first',
      leaseUntil: now - 1,
      start: earlierStart(now - 120_000),
    });
    world.conversations.put(stalled);
    world.chat.answer.startChat = async (request) =>
      request.clientToken === stalled.chat.start.clientToken
        ? { contactId: 'contact-already-ended', participantToken: 'participant-already-ended' }
        : { contactId: 'contact-continued', participantToken: 'participant-continued' };
    world.chat.answer.connectParticipant = async (participantToken) => {
      if (participantToken === 'participant-already-ended') throw new ConnectionRejectedError();
      return { connectionToken: 'connection-continued', expiresAt: now + 86_400_000 };
    };
    // Act
    const running = await world.starter.ensureChat(need('wamid.second', 'Still waiting', now), stalled);
    // Assess
    expect(world.chat.requests('startChat').map((start) => start.persistentSourceContactId)).toEqual([
      undefined,
      'contact-already-ended',
    ]);
    expect(world.chat.requests('startChat')[1]?.clientToken).toBe(
      'start-token-of-wamid.second-from-contact-already-ended',
    );
    expect(running.conversation.chat.contactId).toBe('contact-continued');
    expect(running.completed?.starterMessageId).toBe('wamid.second');
    expect(world.telemetry.counted('ChatEndedDetected')).toBe(1);
  });
  it('stops starting chats when the customer cannot join any new chat, instead of creating contacts without end', async () => {
    // Prepare
    const world = starterWorld();
    const runaway = new Error('test guard: more than ten chats were started');
    let started = 0;
    world.chat.answer.startChat = async () => {
      started += 1;
      if (started > 10) throw runaway;
      return { contactId: `contact-${started}`, participantToken: `participant-${started}` };
    };
    world.chat.answer.connectParticipant = async () => {
      throw new ConnectionRejectedError();
    };
    // Act
    const attempt = world.starter.ensureChat(need('wamid.hello', 'Hello', world.clock.now()), undefined);
    // Assess
    await expect(attempt).rejects.not.toBe(runaway);
    expect(world.chat.requests('startChat').length).toBeLessThanOrEqual(3);
  });
});
