import { describe, expect, it } from 'vitest';
import { failedDeliveryNotice } from '../../shared/domain/agent-notices.js';
import type { MessageStatus } from '../../shared/domain/inbound-message.js';
import { CONTENT_TYPES } from '../../shared/domain/streaming-item.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { callbackDataFor } from '../../shared/domain/whatsapp-payloads.js';
import { ConnectionRejectedError, ReceiptNotAcceptedError } from '../../shared/ports/chat-service.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { RelayDeliveryStatus } from '../../shared/use-cases/relay-delivery-status.js';
import {
  activeConversation,
  endedConversation,
  CONVERSATION_KEY as KEY,
} from '../support/conversation-builders.js';
import { scriptedChatService } from '../support/fakes/chat-service.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryCustomerKeys } from '../support/fakes/customer-keys.js';
import { InMemoryOutboundLedger } from '../support/fakes/outbound-ledger.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { InMemoryConversations } from '../support/in-memory-conversations.js';
import { BUSINESS } from '../support/whatsapp-events.js';

function statusWorld() {
  const clock = new ManualClock();
  const conversations = new InMemoryConversations();
  const ledger = new InMemoryOutboundLedger();
  const chat = scriptedChatService(clock.now);
  const telemetry = new RecordingTelemetry();
  const relay = new RelayDeliveryStatus({
    keys: new InMemoryCustomerKeys(),
    conversations,
    ledger,
    chat,
    customerConnection: new CustomerConnection({
      chat,
      conversations,
      telemetry,
      now: clock.now,
      refreshMarginMs: 60_000,
    }),
    telemetry,
  });
  /** The customer's chat runs on `contactId`, and streamed items of that contact find it. */
  const chatRunsOn = async (contactId: string) => {
    conversations.put(activeConversation({ contactId, expiresAt: clock.now() + 86_400_000 }));
    await conversations.recordContact(contactId, KEY);
  };
  return { clock, conversations, ledger, chat, telemetry, relay, chatRunsOn };
}

function whatsAppStatus(
  status: string,
  options: { messageId?: string; callbackData?: string; errors?: MessageStatus['errors'] } = {},
): MessageStatus {
  return {
    messageId: options.messageId ?? 'wamid.sent-by-agent',
    status,
    timestamp: 1_748_854_800,
    business: { ...BUSINESS },
    recipientId: KEY.customerId,
    ...(options.callbackData ? { callbackData: options.callbackData } : {}),
    errors: options.errors ?? [],
  };
}

describe("WhatsApp's delivery statuses in the agent's chat", () => {
  it("shows the agent 'delivered' on the Connect message the callback data names", async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    const status = whatsAppStatus('delivered', {
      callbackData: callbackDataFor('connect-item-7', 'contact-running'),
    });
    // Act
    const outcome = await world.relay.execute(status);
    // Assess
    expect(outcome).toBe('receipt');
    expect(world.chat.requests('sendEvent')).toEqual([
      {
        connectionToken: 'connection-old',
        contentType: CONTENT_TYPES.messageDelivered,
        content: JSON.stringify({ messageId: 'connect-item-7' }),
        clientToken: idempotencyToken('receipt', 'wamid.sent-by-agent', 'delivered'),
      },
    ]);
    expect(world.telemetry.counted('ReceiptsRelayed', { Status: 'delivered' })).toBe(1);
  });

  it("shows 'read' through the ledger's record of the send when the status carries no callback data", async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    await world.ledger.markSent('send-1', {
      connectItemId: 'connect-item-8',
      initialContactId: 'contact-running',
      whatsAppMessageId: 'wamid.sent-by-agent',
      sentAt: world.clock.now(),
    });
    // Act
    const outcome = await world.relay.execute(whatsAppStatus('read'));
    // Assess
    expect(outcome).toBe('receipt');
    expect(world.chat.requests('sendEvent')).toEqual([
      expect.objectContaining({
        contentType: CONTENT_TYPES.messageRead,
        content: JSON.stringify({ messageId: 'connect-item-8' }),
      }),
    ]);
  });

  it('sends no receipt into a later chat than the one the message was sent in', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-today');
    await world.conversations.recordContact('contact-yesterday', KEY);
    const status = whatsAppStatus('read', {
      callbackData: callbackDataFor('connect-item-1', 'contact-yesterday'),
    });
    // Act
    const outcome = await world.relay.execute(status);
    // Assess
    expect(outcome).toBe('ignored');
    expect(world.chat.calls).toEqual([]);
  });

  it('counts a receipt it cannot match, and sends nothing', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    // Act
    const outcome = await world.relay.execute(whatsAppStatus('delivered', { messageId: 'wamid.unknown' }));
    // Assess
    expect(outcome).toBe('unmatched');
    expect(world.chat.calls).toEqual([]);
    expect(world.telemetry.counted('ReceiptsUnmatched', { Direction: 'ToConnect' })).toBe(1);
  });

  it('accepts that Connect declines a receipt during a conference, without retrying it', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    world.chat.answer.sendEvent = async () => {
      throw new ReceiptNotAcceptedError('ConflictException');
    };
    const status = whatsAppStatus('read', {
      callbackData: callbackDataFor('connect-item-7', 'contact-running'),
    });
    // Act
    const outcome = await world.relay.execute(status);
    // Assess
    expect(outcome).toBe('ignored');
    expect(world.telemetry.counted('ReceiptsRelayed')).toBe(0);
  });

  it("ignores WhatsApp's 'sent' status", async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    const status = whatsAppStatus('sent', {
      callbackData: callbackDataFor('connect-item-7', 'contact-running'),
    });
    // Act
    const outcome = await world.relay.execute(status);
    // Assess
    expect(outcome).toBe('ignored');
    expect(world.chat.calls).toEqual([]);
  });

  it('tells the agent in the chat why a message was not delivered, and counts the failure by code', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    const error = { code: 131047, title: 'Re-engagement message' };
    const sentAt = world.clock.now() - 60_000;
    await world.ledger.markSent('send-1', {
      connectItemId: 'connect-item-9',
      initialContactId: 'contact-running',
      whatsAppMessageId: 'wamid.sent-by-agent',
      sentAt,
    });
    // Act
    const outcome = await world.relay.execute(whatsAppStatus('failed', { errors: [error] }));
    // Assess
    expect(outcome).toBe('notice');
    expect(world.chat.requests('sendMessage')).toEqual([
      {
        connectionToken: 'connection-old',
        contactId: 'contact-running',
        content: failedDeliveryNotice(error, { sentAt }),
        clientToken: idempotencyToken('failed-status-notice', 'wamid.sent-by-agent'),
      },
    ]);
    expect(world.telemetry.counted('WhatsAppDeliveryFailures', { Code: '131047' })).toBe(1);
    expect(world.telemetry.counted('AgentNoticesPosted')).toBe(1);
  });

  it("finds the customer's chat by the recipient for a failed template send, which has no chat item", async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    const error = { code: 131026, title: 'Message undeliverable' };
    // Act
    const outcome = await world.relay.execute(
      whatsAppStatus('failed', { messageId: 'wamid.template', errors: [error] }),
    );
    // Assess
    expect(outcome).toBe('notice');
    expect(world.chat.requests('sendMessage').map((sent) => sent.content)).toEqual([
      failedDeliveryNotice(error, {}),
    ]);
  });

  it('counts a failure no open chat can be told about, and sends nothing', async () => {
    // Prepare
    const world = statusWorld();
    world.conversations.put(endedConversation({ endedAt: world.clock.now() }));
    // Act
    const outcome = await world.relay.execute(
      whatsAppStatus('failed', { errors: [{ code: 131049, title: 'Not delivered' }] }),
    );
    // Assess
    expect(outcome).toBe('unmatched');
    expect(world.chat.calls).toEqual([]);
    expect(world.telemetry.counted('WhatsAppDeliveryFailures', { Code: '131049' })).toBe(1);
  });

  it('does not count a failure notice as posted when the chat turns out to have ended', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    world.chat.answer.sendMessage = async () => {
      throw new ConnectionRejectedError();
    };
    world.chat.answer.connectParticipant = async () => {
      throw new ConnectionRejectedError();
    };
    const status = whatsAppStatus('failed', {
      callbackData: callbackDataFor('connect-item-7', 'contact-running'),
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    });
    // Act
    const outcome = await world.relay.execute(status);
    // Assess
    expect(world.telemetry.counted('AgentNoticesPosted')).toBe(0);
    expect(outcome).not.toBe('notice');
  });
});

describe('tracing a WhatsApp delivery failure in the logs', () => {
  it('logs which WhatsApp message failed, in which chat and conversation, when the agent is told', async () => {
    // Prepare
    const world = statusWorld();
    await world.chatRunsOn('contact-running');
    await world.ledger.markSent('send-1', {
      connectItemId: 'connect-item-9',
      initialContactId: 'contact-running',
      whatsAppMessageId: 'wamid.sent-by-agent',
      sentAt: world.clock.now() - 60_000,
    });
    // Act
    await world.relay.execute(
      whatsAppStatus('failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] }),
    );
    // Assess
    const told = world.telemetry.logs.find((log) => log.message.startsWith('WhatsApp delivery failed'));
    expect(told?.attributes).toMatchObject({
      whatsAppMessageId: 'wamid.sent-by-agent',
      contactId: 'contact-running',
      code: 131047,
      conversation: expect.stringMatching(/.+/),
    });
  });

  it('logs the WhatsApp message id of a failure no open chat can be told about', async () => {
    // Prepare
    const world = statusWorld();
    // Act
    await world.relay.execute(
      whatsAppStatus('failed', {
        messageId: 'wamid.orphan',
        errors: [{ code: 131049, title: 'Not delivered' }],
      }),
    );
    // Assess
    const logged = world.telemetry.logs.find((log) => log.message.startsWith('WhatsApp delivery failed'));
    expect(logged?.attributes).toMatchObject({ whatsAppMessageId: 'wamid.orphan', code: 131049 });
  });
});
