import { describe, expect, it } from 'vitest';
import { conversationKeyString } from '../../shared/domain/conversation.js';
import { PermanentDeliveryError } from '../../shared/domain/errors.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { ConnectionRejectedError } from '../../shared/ports/chat-service.js';
import type {
  AttachmentOutcome,
  CustomerChat,
  MediaAttacher,
} from '../../shared/use-cases/attach-customer-media.js';
import { ChatStarter } from '../../shared/use-cases/chat-starter.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { RelayInboundMessage } from '../../shared/use-cases/relay-inbound-message.js';
import {
  activeConversation,
  endedConversation,
  CONVERSATION_KEY as KEY,
} from '../support/conversation-builders.js';
import { scriptedChatService } from '../support/fakes/chat-service.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryContactDirectory } from '../support/fakes/contact-directory.js';
import { InMemoryConversationStore } from '../support/fakes/conversation-store.js';
import { InMemoryCustomerActivityLog } from '../support/fakes/customer-activity-log.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { InMemoryRelayLedger } from '../support/fakes/relay-ledger.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { customerMessage, customerText } from '../support/inbound-messages.js';
import { BUSINESS, SECOND_BUSINESS } from '../support/whatsapp-events.js';

/** The inbound relay with the real ChatStarter and CustomerConnection over in-memory ports. */
function inboundWorld() {
  const clock = new ManualClock();
  const conversations = new InMemoryConversationStore();
  const activity = new InMemoryCustomerActivityLog();
  const ledger = new InMemoryRelayLedger();
  const chat = scriptedChatService(clock.now);
  const telemetry = new RecordingTelemetry();
  const attachments: { messageId: string; contactId: string; afterCalls: number }[] = [];
  let attachOutcome: AttachmentOutcome = { status: 'attached', attachmentId: 'attachment-1' };
  const attachMedia: MediaAttacher = {
    attach: async (message, customerChat: CustomerChat) => {
      attachments.push({
        messageId: message.id,
        contactId: customerChat.contactId,
        afterCalls: chat.calls.length,
      });
      return attachOutcome;
    },
  };
  const starter = new ChatStarter({
    conversations,
    contacts: new InMemoryContactDirectory(conversations),
    activity,
    chat,
    telemetry,
    settings: {
      limits: { leaseMs: 40_000, maxAttempts: 5, maxAgeMs: 600_000 },
      waitForChatMs: 8_000,
      pollIntervalMs: 150,
      chatDurationMinutes: 1500,
      rehydrationPatienceMs: 90_000,
    },
    now: clock.now,
    sleep: clock.sleep,
    deadline: () => clock.now() + 600_000,
  });
  const relay = new RelayInboundMessage({
    keys: new InMemoryCustomerKeys(),
    conversations,
    activity,
    ledger,
    starter,
    connection: new CustomerConnection({
      chat,
      conversations,
      telemetry,
      now: clock.now,
      refreshMarginMs: 60_000,
    }),
    chat,
    attachMedia,
    telemetry,
    settings: {
      inboundFlowFor: (id) => (id === BUSINESS.phoneNumberId ? 'flow-inbound' : undefined),
      preferredAgentHoursFor: () => undefined,
    },
    now: clock.now,
  });
  const setAttachOutcome = (outcome: AttachmentOutcome) => {
    attachOutcome = outcome;
  };
  const stored = () => conversations.items.get(conversationKeyString(KEY));
  return {
    clock,
    conversations,
    activity,
    ledger,
    chat,
    telemetry,
    attachments,
    setAttachOutcome,
    relay,
    stored,
  };
}

/** A long customer text: whole words, so the parts rejoin with spaces. */
function longText(words: number): string {
  return Array.from({ length: words }, (_, index) => `parcel${index}`).join(' ');
}

describe('relaying a customer message into Amazon Connect', () => {
  it('skips a message the ledger says was already relayed, and still opens the reply window', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(activeConversation({ expiresAt: now + 86_400_000 }));
    await world.ledger.recordInbound({
      whatsAppMessageId: 'wamid.again',
      contactId: 'contact-running',
      connectMessageIds: ['connect-message-earlier'],
      conversationKey: conversationKeyString(KEY),
      relayedAt: now - 1_000,
    });
    // Act
    const outcome = await world.relay.execute(customerText('wamid.again', 'Hello', now), {
      firstDelivery: false,
    });
    // Assess
    expect(outcome).toBe('duplicate');
    expect(world.chat.calls).toEqual([]);
    expect(world.ledger.recorded).toHaveLength(1);
    expect(world.activity.recorded.map((entry) => entry.activity.messageId)).toEqual(['wamid.again']);
    expect(world.telemetry.counted('DuplicatesSkipped')).toBe(1);
  });

  it('sends a long text into the running chat in parts, each with a ClientToken naming the message, chat and part', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(
      activeConversation({ contactId: 'contact-running', expiresAt: now + 86_400_000 }),
    );
    const body = longText(300);
    // Act
    const outcome = await world.relay.execute(customerText('wamid.long', body, now));
    // Assess
    expect(outcome).toBe('relayed');
    const sent = world.chat.requests('sendMessage');
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((part) => part.content.length <= 1024)).toBe(true);
    expect(sent.map((part) => part.content).join(' ')).toBe(body);
    expect(sent.map((part) => part.clientToken)).toEqual(
      sent.map((_, index) => idempotencyToken('send-message', 'wamid.long', 'contact-running', index)),
    );
    expect(sent.every((part) => part.contactId === 'contact-running')).toBe(true);
    expect(world.chat.requests('startChat')).toEqual([]);
    expect(world.ledger.recorded).toEqual([
      {
        whatsAppMessageId: 'wamid.long',
        contactId: 'contact-running',
        connectMessageIds: sent.map((_, index) => `connect-message-${index + 1}`),
        conversationKey: conversationKeyString(KEY),
        relayedAt: now,
        // Its first words, for a later reply or reaction to quote.
        preview: 'parcel0 parcel1 parcel2 parcel3 parcel4…',
      },
    ]);
    expect(world.activity.recorded.map((entry) => entry.activity)).toEqual([
      expect.objectContaining({ messageId: 'wamid.long', phoneNumber: `+${KEY.customerId}` }),
    ]);
    expect(world.telemetry.counted('MessagesRelayed', { MessageType: 'text' })).toBe(1);
  });

  it("starts a new customer's chat with the first part as its InitialMessage and sends only the rest", async () => {
    // Prepare
    const world = inboundWorld();
    const body = longText(300);
    // Act
    await world.relay.execute(customerText('wamid.first', body, world.clock.now()));
    // Assess
    const [start] = world.chat.requests('startChat');
    const rest = world.chat.requests('sendMessage');
    expect(start?.contactFlowId).toBe('flow-inbound');
    expect([start?.initialMessage, ...rest.map((part) => part.content)].join(' ')).toBe(body);
    const chat = world.stored()?.chat;
    const contactId = chat?.state === 'active' ? chat.contactId : 'no running chat';
    expect(rest.map((part) => part.clientToken)).toEqual(
      rest.map((_, index) => idempotencyToken('send-message', 'wamid.first', contactId, index + 1)),
    );
    expect(world.ledger.recorded.at(-1)?.connectMessageIds).toHaveLength(rest.length);
  });

  it('does not send the first part again when the message that opened the chat is redelivered', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(
      activeConversation({
        contactId: 'contact-running',
        expiresAt: now + 86_400_000,
        initialMessageId: 'wamid.opener',
      }),
    );
    // Act
    const outcome = await world.relay.execute(customerText('wamid.opener', 'Hello', now));
    // Assess
    expect(outcome).toBe('relayed');
    expect(world.chat.requests('sendMessage')).toEqual([]);
    expect(world.ledger.recorded.at(-1)).toMatchObject({
      contactId: 'contact-running',
      connectMessageIds: [],
    });
  });

  it('hands a photo to the attachment step after its caption line, in the same chat, and records the attachment', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(
      activeConversation({ contactId: 'contact-running', expiresAt: now + 86_400_000 }),
    );
    const photo = customerMessage({
      id: 'wamid.photo',
      at: now,
      content: {
        kind: 'media',
        mediaKind: 'image',
        mediaId: 'media-1',
        mimeType: 'image/jpeg',
        caption: 'The box',
      },
    });
    // Act
    await world.relay.execute(photo);
    // Assess
    const sent = world.chat.requests('sendMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.content).toContain('The box');
    expect(world.attachments).toEqual([
      { messageId: 'wamid.photo', contactId: 'contact-running', afterCalls: 1 },
    ]);
    expect(world.ledger.recorded.at(-1)).toMatchObject({
      whatsAppMessageId: 'wamid.photo',
      attachmentId: 'attachment-1',
    });
  });

  it('records no attachment id when the file could not be attached', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(activeConversation({ expiresAt: now + 86_400_000 }));
    world.setAttachOutcome({ status: 'not-attached', reason: 'TooLarge' });
    const video = customerMessage({
      id: 'wamid.video',
      at: now,
      content: { kind: 'media', mediaKind: 'video', mediaId: 'media-2', mimeType: 'video/mp4' },
    });
    // Act
    const outcome = await world.relay.execute(video);
    // Assess
    expect(outcome).toBe('relayed');
    expect(world.ledger.recorded.at(-1)).not.toHaveProperty('attachmentId');
  });

  it('skips a message whose cached chat turned out to have ended when the ledger shows it was relayed', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    const cached = activeConversation({ contactId: 'contact-over', expiresAt: now + 86_400_000, version: 3 });
    world.conversations.cache.set(conversationKeyString(KEY), cached);
    world.conversations.put(
      endedConversation({ contactId: 'contact-over', endedAt: now - 5_000, version: 4 }),
    );
    await world.ledger.recordInbound({
      whatsAppMessageId: 'wamid.dup',
      contactId: 'contact-over',
      connectMessageIds: ['connect-message-earlier'],
      conversationKey: conversationKeyString(KEY),
      relayedAt: now - 10_000,
    });
    world.chat.answer.sendMessage = async () => {
      throw new ConnectionRejectedError();
    };
    world.chat.answer.connectParticipant = async () => {
      throw new ConnectionRejectedError();
    };
    // Act
    const outcome = await world.relay.execute(customerText('wamid.dup', 'Hello', now), {
      firstDelivery: true,
    });
    // Assess
    expect(outcome).toBe('duplicate');
    expect(world.chat.requests('startChat')).toEqual([]);
    expect(world.ledger.recorded).toHaveLength(1);
    expect(world.telemetry.counted('DuplicatesSkipped')).toBe(1);
  });

  it('continues the ended chat with the message when Connect refuses the participant of the running one', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(activeConversation({ contactId: 'contact-over', expiresAt: now + 86_400_000 }));
    world.chat.answer.sendMessage = async (request) => {
      if (request.contactId === 'contact-over') throw new ConnectionRejectedError();
      return { messageId: 'connect-message-new' };
    };
    world.chat.answer.connectParticipant = async (participantToken) => {
      if (participantToken === 'participant-of-contact-over') throw new ConnectionRejectedError();
      return { connectionToken: 'connection-new', expiresAt: now + 86_400_000 };
    };
    // Act
    const outcome = await world.relay.execute(customerText('wamid.later', 'I am back', now));
    // Assess
    expect(outcome).toBe('relayed');
    const [start] = world.chat.requests('startChat');
    expect(start).toMatchObject({ persistentSourceContactId: 'contact-over', initialMessage: 'I am back' });
    const current = world.stored()?.chat;
    expect(current?.state).toBe('active');
    expect(world.ledger.recorded.at(-1)).toMatchObject({
      whatsAppMessageId: 'wamid.later',
      contactId: current?.state === 'active' ? current.contactId : 'none',
    });
    expect(world.telemetry.counted('ChatEndedDetected')).toBe(1);
  });

  it('dead-letters a first message to a business number that has no inbound flow', async () => {
    // Prepare
    const world = inboundWorld();
    const message = {
      ...customerText('wamid.elsewhere', 'Hello', world.clock.now()),
      business: { ...SECOND_BUSINESS },
    };
    // Act
    const attempt = world.relay.execute(message);
    // Assess
    await expect(attempt).rejects.toSatisfy(
      (error) => error instanceof PermanentDeliveryError && error.reason === 'NoInboundFlow',
    );
    expect(world.chat.calls).toEqual([]);
  });
});

describe('measuring how long a customer waits for their message to reach the agent', () => {
  it('records the seconds since WhatsApp stamped the message and since EUM Social received it, once Connect accepts it', async () => {
    // Prepare
    const world = inboundWorld();
    const sentAt = world.clock.now();
    world.conversations.put(activeConversation({ expiresAt: sentAt + 86_400_000 }));
    world.clock.advance(7_000);
    const eumReceivedAt = sentAt + 2_500;
    // Act
    await world.relay.execute(customerText('wamid.slow', 'Where is my parcel?', sentAt), {
      firstDelivery: true,
      eumReceivedAt,
    });
    // Assess
    const acceptedAt = world.clock.now();
    expect(world.telemetry.measured('InboundLatency')).toEqual([acceptedAt - sentAt]);
    expect(world.telemetry.measured('InboundLatencySinceEum')).toEqual([acceptedAt - eumReceivedAt]);
    const relayed = world.telemetry.logs.find((log) => log.message === 'Message relayed to Connect');
    expect(relayed?.attributes).toMatchObject({
      whatsAppMessageId: 'wamid.slow',
      contactId: 'contact-running',
      latencyMs: acceptedAt - sentAt,
    });
  });

  it('records no latency for a duplicate, and none since EUM Social when the envelope had no timestamp', async () => {
    // Prepare
    const world = inboundWorld();
    const now = world.clock.now();
    world.conversations.put(activeConversation({ expiresAt: now + 86_400_000 }));
    // Act
    await world.relay.execute(customerText('wamid.once', 'Hello', now), { firstDelivery: true });
    await world.relay.execute(customerText('wamid.once', 'Hello', now), { firstDelivery: false });
    // Assess
    expect(world.telemetry.measured('InboundLatency')).toHaveLength(1);
    expect(world.telemetry.measured('InboundLatencySinceEum')).toEqual([]);
  });
});
