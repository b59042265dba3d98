import { describe, expect, it } from 'vitest';
import { windowClosedNotice } from '../../shared/domain/agent-notices.js';
import type { Conversation } from '../../shared/domain/conversation.js';
import { CONTENT_TYPES, type StreamingItem } from '../../shared/domain/streaming-item.js';
import type { WhatsAppPayload } from '../../shared/domain/whatsapp-payloads.js';
import { WhatsAppRefusedError } from '../../shared/ports/whatsapp-sender.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { ContactNotYetKnownError, RelayOutboundItem } from '../../shared/use-cases/relay-outbound-item.js';
import { activeConversation, CONVERSATION_KEY as KEY } from '../support/conversation-builders.js';
import { scriptedChatService } from '../support/fakes/chat-service.js';
import { ManualClock } from '../support/fakes/clock.js';
import { InMemoryOutboundLedger } from '../support/fakes/outbound-ledger.js';
import { InMemoryRelayLedger } from '../support/fakes/relay-ledger.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { InMemoryConversations } from '../support/in-memory-conversations.js';

const HOUR = 3_600_000;

/** The outbound relay over in-memory ports: a recording WhatsApp, a scripted Connect, a manual clock. */
function outboundWorld(options: { refuseSends?: WhatsAppRefusedError } = {}) {
  const clock = new ManualClock();
  const conversations = new InMemoryConversations();
  const ledger = new InMemoryOutboundLedger();
  const chat = scriptedChatService(clock.now);
  const telemetry = new RecordingTelemetry();
  const sent: WhatsAppPayload[] = [];
  const whatsApp = {
    async send(_from: string, payload: WhatsAppPayload) {
      if (options.refuseSends && payload.type) throw options.refuseSends;
      sent.push(payload);
      return { messageId: `eum-${sent.length}` };
    },
  };
  const relay = new RelayOutboundItem({
    conversations,
    ledger,
    inbound: new InMemoryRelayLedger(),
    chat,
    whatsApp,
    customerConnection: new CustomerConnection({
      chat,
      conversations,
      telemetry,
      now: clock.now,
      refreshMarginMs: 60_000,
    }),
    telemetry,
    lastAgent: { execute: async () => 'not-recorded' as const },
    settings: {
      customerServiceWindowMs: 24 * HOUR,
      typingIntervalMs: 20_000,
      sendLeaseMs: 60_000,
      unknownContactRetryMs: 300_000,
      attachmentScanWaitMs: 0,
    },
    now: clock.now,
  });
  /** The customer wrote `ago` ms ago into a chat running on contact-running. */
  const customerWrote = async (ago: number) => {
    const conversation: Conversation = {
      ...activeConversation({ expiresAt: clock.now() + 24 * HOUR }),
      customer: { phoneNumber: '+447700900123' },
      lastCustomerMessage: { at: clock.now() - ago, messageId: 'wamid.customer' },
    };
    conversations.put(conversation);
    await conversations.recordContact('contact-running', KEY);
  };
  const item = (overrides: Partial<StreamingItem> = {}): StreamingItem => ({
    id: 'item-1',
    type: 'MESSAGE',
    contentType: CONTENT_TYPES.plainText,
    content: 'Your parcel ships today',
    participantRole: 'AGENT',
    initialContactId: 'contact-running',
    contactId: 'contact-running',
    absoluteTime: clock.now(),
    visibility: 'ALL',
    attachments: [],
    ...overrides,
  });
  return { clock, conversations, ledger, chat, telemetry, relay, sent, customerWrote, item };
}

describe('relaying an agent’s chat item to WhatsApp', () => {
  it('sends an agent’s text to the customer once, under a send-once claim', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(60_000);
    // Act
    const first = await world.relay.execute(world.item());
    const again = await world.relay.execute(world.item());
    // Assess
    expect(first).toBe('sent');
    expect(again).toBe('duplicate');
    const texts = world.sent.filter((payload) => payload.type === 'text');
    expect(texts).toEqual([
      expect.objectContaining({
        to: '+447700900123',
        text: expect.objectContaining({ body: 'Your parcel ships today' }),
      }),
    ]);
  });

  it('holds a message outside the 24-hour window and tells the agent to use a template', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(25 * HOUR);
    // Act
    const outcome = await world.relay.execute(world.item());
    // Assess
    expect(outcome).toBe('window-closed');
    expect(world.sent.filter((payload) => payload.type === 'text')).toEqual([]);
    expect(world.chat.requests('sendMessage').map((request) => request.content)).toEqual([
      windowClosedNotice(),
    ]);
  });

  it('retries a fresh reply whose chat is not known yet, and acknowledges an old one', async () => {
    // Prepare
    const world = outboundWorld();
    // Act
    const fresh = world.relay.execute(world.item({ initialContactId: 'contact-unknown' }));
    const old = await world.relay.execute(
      world.item({ initialContactId: 'contact-unknown', absoluteTime: world.clock.now() - 10 * 60_000 }),
    );
    // Assess
    await expect(fresh).rejects.toBeInstanceOf(ContactNotYetKnownError);
    expect(old).toBe('unknown-contact');
    expect(world.telemetry.counted('OutboundUnknownContact')).toBe(1);
  });

  it('ends the conversation on chat.ended, so the next customer message starts a new chat', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(60_000);
    // Act
    const outcome = await world.relay.execute(
      world.item({
        type: 'EVENT',
        contentType: CONTENT_TYPES.chatEnded,
        content: undefined,
        participantRole: 'SYSTEM',
      }),
    );
    // Assess
    expect(outcome).toBe('chat-ended');
    expect((await world.conversations.refresh(KEY))?.chat).toMatchObject({
      state: 'ended',
      contactId: 'contact-running',
    });
  });

  it('tells the agent, quoting the message, when WhatsApp refuses it, and does not keep the claim', async () => {
    // Prepare
    const world = outboundWorld({
      refuseSends: new WhatsAppRefusedError('refused', 'WhatsAppRefused', 131026),
    });
    await world.customerWrote(60_000);
    // Act
    const attempt = world.relay.execute(world.item());
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(WhatsAppRefusedError);
    const notices = world.chat.requests('sendMessage').map((request) => request.content);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Your parcel ships today');
    expect(world.ledger.claims.size).toBe(0);
  });

  it('shows the agent typing as WhatsApp’s typing indicator on the customer’s latest message', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(60_000);
    const typing = world.item({ type: 'EVENT', contentType: CONTENT_TYPES.typing, content: undefined });
    // Act
    const outcome = await world.relay.execute(typing);
    // Assess
    expect(outcome).toBe('typing');
    expect(world.sent).toEqual([
      expect.objectContaining({
        status: 'read',
        message_id: 'wamid.customer',
        typing_indicator: { type: 'text' },
      }),
    ]);
  });
});

describe('measuring how long an agent’s reply takes to reach WhatsApp', () => {
  it('records the time from the chat item’s AbsoluteTime to EUM Social accepting the send, and logs it with the ids', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(60_000);
    const typedAt = world.clock.now() - 4_500;
    // Act
    await world.relay.execute(world.item({ absoluteTime: typedAt }));
    // Assess
    expect(world.telemetry.measured('OutboundLatency')).toEqual([world.clock.now() - typedAt]);
    const relayed = world.telemetry.logs.find((log) => log.message === 'Relayed chat item to WhatsApp');
    expect(relayed?.attributes).toMatchObject({
      contactId: 'contact-running',
      initialContactId: 'contact-running',
      connectItemId: 'item-1',
      whatsAppMessageIds: ['eum-1'],
      latencyMs: world.clock.now() - typedAt,
    });
  });

  it('records no latency when the item carried no AbsoluteTime, or every part was sent before', async () => {
    // Prepare
    const world = outboundWorld();
    await world.customerWrote(60_000);
    // Act
    await world.relay.execute(world.item({ id: 'item-untimed', absoluteTime: 0 }));
    await world.relay.execute(world.item({ id: 'item-timed' }));
    await world.relay.execute(world.item({ id: 'item-timed' }));
    // Assess
    expect(world.telemetry.measured('OutboundLatency')).toEqual([0]);
  });
});
