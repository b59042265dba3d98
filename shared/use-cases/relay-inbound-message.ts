import { partsFor, previewOf } from '../domain/agent-message-parts.js';
import type { MediaContent } from '../domain/connect-attachments.js';
import {
  type Conversation,
  type ConversationKey,
  conversationKeyFor,
  conversationKeyString,
  isIn,
} from '../domain/conversation.js';
import { ChatEndedError, RetryableError } from '../domain/errors.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { hashForLogs } from '../domain/tokens.js';
import type { ParticipantService } from '../ports/chat-service.js';
import type { ConversationStore, CustomerActivityLog } from '../ports/conversation-store.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import type { RelayLedger } from '../ports/relay-ledger.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { AttachmentOutcome, MediaAttacher } from './attach-customer-media.js';
import { activityOf, ChatDelivery, type ChatRoutingSettings, type Delivery } from './chat-delivery.js';
import type { ChatStarter } from './chat-starter.js';
import type { CustomerConnection } from './customer-connection.js';
import type { RecordMarketingChoice } from './record-marketing-choice.js';
import { recordInboundLatency } from './relay-latency.js';

/**
 * How recent a first delivery must be for Connect's ClientTokens alone to guard it against
 * duplicates. Duplicates from SNS or SQS arrive within seconds; Meta's webhook retries (up to
 * 7 days) arrive as old messages and always meet the ledger.
 */
const TRUST_CLIENT_TOKENS_WITHIN_MS = 5 * 60_000;

/** Per business number: its inbound flow and preferred-agent hours (see ChatRoutingSettings). */
export type RelayInboundSettings = ChatRoutingSettings;

export interface RelayInboundDependencies {
  readonly keys: CustomerKeys;
  readonly conversations: ConversationStore;
  readonly activity: CustomerActivityLog;
  readonly ledger: Pick<RelayLedger, 'findInbound' | 'recordInbound'>;
  /** What the business sent, so a customer's reply to it can be quoted to the agent. */
  readonly sent?: { findSent(whatsAppMessageId: string): Promise<{ preview?: string } | undefined> };
  readonly starter: ChatStarter;
  readonly connection: CustomerConnection;
  readonly chat: Pick<ParticipantService, 'sendMessage'>;
  /** Turns a customer's file into a Connect attachment once its text line is in the chat. */
  readonly attachMedia: MediaAttacher;
  /** A customer's STOP-like keyword, once their text is in the chat (record-marketing-choice.ts). */
  readonly keywords?: Pick<RecordMarketingChoice, 'afterRelay'>;
  readonly telemetry: Telemetry;
  /** Runs after each message is relayed, redeliveries too (a "call me": request-callback.ts). */
  readonly afterRelay?: { execute(message: InboundMessage, relayed: RelayOutcome): Promise<unknown> };
  readonly settings: RelayInboundSettings;
  readonly now: () => number;
}

export type RelayOutcome = 'relayed' | 'duplicate';

/** How this delivery of the message reached the relay. */
export interface InboundReceipt {
  /** The SQS record's first receive: Connect's ClientTokens alone may guard it (see lookUp). */
  readonly firstDelivery: boolean;
  /** When EUM Social received the webhook, epoch ms, for the latency metric; absent if unknown. */
  readonly eumReceivedAt?: number | undefined;
}

/**
 * Relays one customer message into the customer's Amazon Connect chat.
 *
 * Primary course:
 * 1. Find the conversation (BSUID first, with the number as an alias) and skip the message if
 *    the ledger says it was relayed.
 * 2. Into a running chat, send the text in parts of ≤1,024 characters (CustomerConnection).
 *    Otherwise get a running chat from ChatStarter, with the first part as its InitialMessage.
 * 3. For a photo, video, audio or document, attach the file after its text line.
 * 4. Record the relay (WhatsApp id → Connect ids) and the customer's activity.
 *
 * Alternate courses: the chat has ended (record it and go round again: the starter rehydrates
 * it), the message went in only partly before (resume it), the cached chat turns out ended (read
 * the ledger before starting anything: the message may be a duplicate).
 */
export class RelayInboundMessage {
  private readonly delivery: ChatDelivery;

  constructor(private readonly deps: RelayInboundDependencies) {
    this.delivery = new ChatDelivery(deps);
  }

  async execute(
    message: InboundMessage,
    receipt: InboundReceipt = { firstDelivery: false },
  ): Promise<RelayOutcome> {
    const outcome = await this.relay(message, receipt);
    await this.deps.afterRelay?.execute(message, outcome);
    return outcome;
  }

  private async relay(message: InboundMessage, receipt: InboundReceipt): Promise<RelayOutcome> {
    const { telemetry } = this.deps;
    const found = await this.lookUp(message, receipt.firstDelivery);
    const { key } = found;
    const logContext = {
      whatsAppMessageId: message.id,
      conversation: hashForLogs(conversationKeyString(key)),
      messageType: message.type,
    };
    const activity = activityOf(message);
    if (found.relayed) {
      telemetry.count('DuplicatesSkipped');
      telemetry.info('Message already relayed; skipping', {
        ...logContext,
        contactId: found.relayed.contactId,
      });
      // The ledger and the activity are written together; if only the ledger landed, this is
      // the last chance to open the 24-hour window for the agent's reply (it only moves forward).
      await this.deps.activity.recordCustomerActivity(key, activity);
      return 'duplicate';
    }

    const parts = partsFor(message, await this.quotedText(message));
    // Into a running chat the activity write goes beside SendMessage; its outcome is awaited below.
    const alongside = isIn(found.conversation, 'active')
      ? this.deps.activity.recordCustomerActivity(key, activity)
      : undefined;
    alongside?.catch(() => undefined);
    let delivery: Delivery | 'duplicate';
    try {
      delivery = await this.delivery.deliver(key, found, message, parts);
    } finally {
      await alongside?.catch(() => undefined);
    }
    if (delivery === 'duplicate') {
      telemetry.count('DuplicatesSkipped');
      telemetry.info('Cached chat had ended and the ledger has the message; skipping', logContext);
      return 'duplicate';
    }
    let attachment: AttachmentOutcome | undefined;
    if (isMedia(message)) ({ delivery, attachment } = await this.attachMedia(key, message, parts, delivery));
    // Before the ledger: a failure retries the message (ClientTokens keep the relay single).
    await this.deps.keywords?.afterRelay(key, message, this.delivery.customerChat(delivery.session));

    await Promise.all([
      alongside ?? this.deps.activity.recordCustomerActivity(key, activity),
      this.deps.ledger.recordInbound({
        whatsAppMessageId: message.id,
        contactId: delivery.session.contactId,
        connectMessageIds: delivery.connectMessageIds,
        conversationKey: conversationKeyString(key),
        relayedAt: this.deps.now(),
        ...(attachment?.status === 'attached' ? { attachmentId: attachment.attachmentId } : {}),
        preview: previewOf(message),
      }),
    ]);
    telemetry.count('MessagesRelayed', { MessageType: message.type });
    const latencyMs = recordInboundLatency(telemetry, this.deps.now(), {
      whatsAppTimestampSeconds: message.timestamp,
      eumReceivedAt: receipt.eumReceivedAt,
    });
    telemetry.info('Message relayed to Connect', {
      ...logContext,
      latencyMs,
      contactId: delivery.session.contactId,
      parts: parts.length,
      startedChat: delivery.startedChat,
      ...(attachment ? { attachment: attachment.status } : {}),
    });
    return 'relayed';
  }

  /** The first words of the message this one replies or reacts to, when the relay relayed it. */
  private async quotedText(message: InboundMessage): Promise<string | undefined> {
    const target =
      message.replyToMessageId ??
      (message.content.kind === 'reaction' ? message.content.targetMessageId : undefined);
    if (!target) return undefined;
    const [inbound, sent] = await Promise.all([
      this.deps.ledger.findInbound(target),
      this.deps.sent?.findSent(target),
    ]);
    return inbound?.preview ?? sent?.preview;
  }

  /**
   * The conversation's key, the conversation, and the ledger's record of this message, in one
   * round trip: the key's aliases, the conversation under the likely key (the BSUID, else the
   * number) and the ledger are read together, and only a customer whose conversation lives under
   * another identity costs a second read. The ledger read is skipped only for the first delivery
   * of a fresh message into a chat this container knows is running: a duplicate then carries the
   * same ClientTokens and Connect drops it. If that chat turns out to have ended, the ledger is
   * read before anything is started (ChatDelivery).
   */
  private async lookUp(message: InboundMessage, firstDelivery: boolean) {
    const { conversations, ledger, keys, now } = this.deps;
    const likely = conversationKeyFor(message.business, message.customer);
    const resolveKey = () => keys.keyFor(message.business.phoneNumberId, message.customer);
    const fresh = now() - message.timestamp * 1000 < TRUST_CLIENT_TOKENS_WITHIN_MS;
    const cached = conversations.getCached(likely);
    if (firstDelivery && fresh && isIn(cached, 'active')) {
      const key = await resolveKey();
      if (sameKey(key, likely)) {
        return {
          key,
          conversation: cached as Conversation | undefined,
          ledgerRead: false,
          relayed: undefined,
        };
      }
    }
    const [key, underLikely, record] = await Promise.all([
      resolveKey(),
      conversations.get(likely),
      ledger.findInbound(message.id),
    ]);
    const conversation = sameKey(key, likely) ? underLikely : await conversations.get(key);
    const relayed = record && record.complete !== false ? record : undefined;
    return { key, conversation, ledgerRead: true, relayed };
  }

  /**
   * Attaches the file after its text. If the chat ended in between, the file belongs with its
   * text, so both go into the customer's next chat (a persistent chat with the history).
   */
  private async attachMedia(
    key: ConversationKey,
    message: InboundMessage & { content: MediaContent },
    parts: readonly string[],
    delivered: Delivery,
  ): Promise<{ delivery: Delivery; attachment: AttachmentOutcome }> {
    const { starter, telemetry } = this.deps;
    let delivery = delivered;
    for (let attempt = 1; ; attempt++) {
      try {
        const attachment = await this.deps.attachMedia.attach(
          message,
          this.delivery.customerChat(delivery.session),
        );
        return { delivery, attachment };
      } catch (error) {
        if (!(error instanceof ChatEndedError)) throw error;
        telemetry.count('ChatEndedDetected');
        const current = await starter.recordEnded(key, error.contactId);
        // A chat that ends twice within one message is unusual enough to leave to a retry.
        if (attempt >= 2) throw new RetryableError('The chat ended again while attaching media', 'ChatEnded');
        const next = await this.delivery.deliver(
          key,
          { conversation: current, ledgerRead: true },
          message,
          parts,
        );
        if (next === 'duplicate')
          throw new RetryableError('The message changed hands mid-delivery', 'ChatEnded');
        delivery = next;
      }
    }
  }
}

function sameKey(a: ConversationKey, b: ConversationKey): boolean {
  return conversationKeyString(a) === conversationKeyString(b);
}

function isMedia(message: InboundMessage): message is InboundMessage & { content: MediaContent } {
  return message.content.kind === 'media';
}
