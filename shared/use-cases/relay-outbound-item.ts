import { sendRejectedNotice, windowClosedNotice } from '../domain/agent-notices.js';
import {
  type Conversation,
  conversationKeyString,
  currentContactId,
  toE164,
  windowIsOpen,
} from '../domain/conversation.js';
import { ChatEndedError, PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import { interactiveToWhatsApp } from '../domain/interactive-to-whatsapp.js';
import { markdownToWhatsApp } from '../domain/markdown-to-whatsapp.js';
import { CONTENT_TYPES, isForCustomer, type StreamingItem } from '../domain/streaming-item.js';
import { splitText } from '../domain/text-splitting.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import {
  callbackDataFor,
  interactivePayload,
  mediaPayload,
  readReceiptPayload,
  textPayload,
  WHATSAPP_TEXT_LIMIT,
  type WhatsAppPayload,
} from '../domain/whatsapp-payloads.js';
import type { ParticipantService } from '../ports/chat-service.js';
import type {
  ContactDirectory,
  ConversationStore,
  CustomerActivityLog,
} from '../ports/conversation-store.js';
import type { OutboundLedger } from '../ports/outbound-ledger.js';
import type { RelayLedger } from '../ports/relay-ledger.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { WhatsAppSender } from '../ports/whatsapp-sender.js';
import type { CustomerConnection } from './customer-connection.js';
import { recordChatEnded } from './record-chat-ended.js';

export interface RelayOutboundSettings {
  /** WhatsApp's customer service window: free-form messages only within it. */
  readonly customerServiceWindowMs: number;
  /** At most one typing indicator per conversation per interval. */
  readonly typingIntervalMs: number;
  /** How long a send-once claim is honoured; longer than the function timeout. */
  readonly sendLeaseMs: number;
  /** Sent when an agent joins, with `{name}` replaced; off when undefined. */
  readonly agentJoinedMessage?: string;
  /** Sent when the chat ends; off when undefined. */
  readonly chatEndedMessage?: string;
}

export interface RelayOutboundDependencies {
  readonly conversations: ConversationStore & ContactDirectory & CustomerActivityLog;
  readonly ledger: OutboundLedger;
  /** The inbound relay's map from Connect message ids to WhatsApp ids, for blue ticks. */
  readonly inbound: Pick<RelayLedger, 'findInboundByConnectMessageId'>;
  readonly chat: ParticipantService;
  readonly whatsApp: WhatsAppSender;
  readonly customerConnection: CustomerConnection;
  readonly telemetry: Telemetry;
  readonly settings: RelayOutboundSettings;
  readonly now: () => number;
}

export type OutboundOutcome =
  | 'sent'
  | 'duplicate'
  | 'filtered'
  | 'unknown-contact'
  | 'window-closed'
  | 'typing'
  | 'throttled'
  | 'read-receipt'
  | 'chat-ended'
  | 'ignored';

/**
 * Relays one Connect chat item to the customer on WhatsApp.
 *
 * Primary course: an agent (or flow, or bot) message is found a conversation through its
 * InitialContactId (so it still works after a transfer), checked against the 24-hour window,
 * turned into WhatsApp text, formatting, buttons, a list or media, and sent once per part under a
 * send-once claim keyed by the Connect item id.
 *
 * Events: agent typing → WhatsApp typing indicator on the customer's last message (throttled);
 * agent read receipt → blue ticks on that customer message; chat ended → the conversation is
 * marked ended so the next customer message starts a persistent chat; agent joined → optional
 * greeting. Everything else is acknowledged and counted.
 */
export class RelayOutboundItem {
  constructor(private readonly deps: RelayOutboundDependencies) {}

  async execute(item: StreamingItem): Promise<OutboundOutcome> {
    const { telemetry } = this.deps;
    if (!isForCustomer(item)) {
      telemetry.count('OutboundFiltered');
      return 'filtered';
    }
    const conversation = await this.deps.conversations.findByContactId(item.initialContactId);
    if (!conversation) {
      telemetry.count('OutboundUnknownContact');
      telemetry.warn('Chat item for a contact this relay did not start; acknowledged', {
        contactId: item.contactId,
        initialContactId: item.initialContactId,
      });
      return 'unknown-contact';
    }

    switch (item.contentType) {
      case CONTENT_TYPES.typing:
        return item.participantRole === 'AGENT' ? this.relayTyping(conversation) : this.ignore(item);
      case CONTENT_TYPES.messageRead:
        return item.participantRole === 'AGENT'
          ? this.relayReadReceipt(conversation, item)
          : this.ignore(item);
      case CONTENT_TYPES.chatEnded:
        return this.relayChatEnded(conversation, item);
      case CONTENT_TYPES.participantJoined:
        if (item.participantRole !== 'AGENT' || !this.deps.settings.agentJoinedMessage)
          return this.ignore(item);
        return this.sendToCustomer(conversation, item, [
          textOf(this.deps.settings.agentJoinedMessage.replace('{name}', item.displayName ?? 'an agent')),
        ]);
      default:
        break;
    }
    if (item.type === 'ATTACHMENT' || item.attachments.length > 0) {
      return this.sendToCustomer(conversation, item, await this.attachmentPayloads(conversation, item));
    }
    if (item.type !== 'MESSAGE' || item.content === undefined) return this.ignore(item);
    return this.sendToCustomer(conversation, item, messagePayloads(item.contentType, item.content));
  }

  /** Sends each part under its own send-once claim; the agent is told when WhatsApp cannot get it. */
  private async sendToCustomer(
    conversation: Conversation,
    item: StreamingItem,
    parts: readonly PayloadFor[],
  ): Promise<OutboundOutcome> {
    const { ledger, telemetry, settings, now } = this.deps;
    if (parts.length === 0) return this.ignore(item);
    // A cached conversation can only understate the window (the last customer message only gets
    // newer), so "open" is trusted and "closed" is checked against the table first.
    const windowOpen = (candidate: Conversation | undefined) =>
      windowIsOpen(candidate, now(), settings.customerServiceWindowMs);
    if (!windowOpen(conversation) && !windowOpen(await this.deps.conversations.refresh(conversation.key))) {
      telemetry.count('WindowClosedBlocked');
      await this.postNotice(conversation, item, windowClosedNotice());
      return 'window-closed';
    }

    const recipient = recipientOf(conversation);
    const callbackData = callbackDataFor(item.id, item.initialContactId);
    // Blue ticks need the customer's latest message, which a cached copy may not know: read the
    // table beside the send, not before it.
    const readFallback = this.deps.conversations
      .refresh(conversation.key)
      .then((fresh) => this.markLatestCustomerMessageRead(fresh ?? conversation))
      .catch(() => undefined);
    let duplicates = 0;
    for (const [index, part] of parts.entries()) {
      const sendId = `${item.id}#${index}`;
      const claim = await ledger.claimSend(sendId, { now: now(), leaseMs: settings.sendLeaseMs });
      if (claim === 'sent') {
        duplicates++;
        continue;
      }
      if (claim === 'in-progress') {
        throw new SendInProgressError(sendId);
      }
      if (claim === 'retakenStale') telemetry.count('PossibleDuplicateSends');
      let messageId: string;
      try {
        ({ messageId } = await this.deps.whatsApp.send(
          conversation.key.businessPhoneNumberId,
          part(recipient, callbackData),
        ));
      } catch (error) {
        if (error instanceof PermanentDeliveryError) {
          await ledger.releaseClaim(sendId);
          // Tell the agent first; the record is dead-lettered afterwards.
          await this.postNotice(conversation, item, sendRejectedNotice('WhatsApp refused this message'));
        } else if (isCertainlyNotSent(error)) {
          await ledger.releaseClaim(sendId);
        }
        throw error;
      }
      await ledger.markSent(sendId, {
        connectItemId: item.id,
        initialContactId: item.initialContactId,
        whatsAppMessageId: messageId,
        sentAt: now(),
      });
      telemetry.count('OutboundSent', { ContentType: item.contentType });
    }
    await readFallback;
    telemetry.info('Relayed chat item to WhatsApp', {
      contactId: item.contactId,
      connectItemId: item.id,
      conversation: hashForLogs(conversationKeyString(conversation.key)),
      parts: parts.length,
      duplicates,
    });
    if (duplicates === parts.length) {
      telemetry.count('DuplicatesSkipped');
      return 'duplicate';
    }
    return 'sent';
  }

  private async relayTyping(cached: Conversation): Promise<OutboundOutcome> {
    const { conversations, settings, telemetry, now } = this.deps;
    // Typing points at the customer's latest message, so it is read fresh; no message waits on it.
    const conversation = (await conversations.refresh(cached.key)) ?? cached;
    const target = conversation.lastCustomerMessage?.messageId;
    if (!target || !windowIsOpen(conversation, now(), settings.customerServiceWindowMs)) {
      return 'ignored';
    }
    if (!(await conversations.recordTypingSent(conversation.key, now(), settings.typingIntervalMs))) {
      telemetry.count('TypingThrottled');
      return 'throttled';
    }
    // The typing indicator also marks the message read: the agent is looking at it.
    await this.deps.whatsApp.send(conversation.key.businessPhoneNumberId, readReceiptPayload(target, true));
    await conversations.recordReadMarked(conversation.key, target);
    telemetry.count('TypingSent');
    return 'typing';
  }

  private async relayReadReceipt(conversation: Conversation, item: StreamingItem): Promise<OutboundOutcome> {
    const connectMessageId = receiptMessageId(item.content);
    const inbound = connectMessageId
      ? await this.deps.inbound.findInboundByConnectMessageId(connectMessageId)
      : undefined;
    if (!inbound) {
      this.deps.telemetry.count('ReceiptsUnmatched', { Direction: 'ToWhatsApp' });
      return 'ignored';
    }
    await this.deps.whatsApp.send(
      conversation.key.businessPhoneNumberId,
      readReceiptPayload(inbound.whatsAppMessageId, false),
    );
    await this.deps.conversations.recordReadMarked(conversation.key, inbound.whatsAppMessageId);
    this.deps.telemetry.count('ReadReceiptsSent');
    return 'read-receipt';
  }

  private async relayChatEnded(conversation: Conversation, item: StreamingItem): Promise<OutboundOutcome> {
    // A late event from an older chat must not end the conversation's current one.
    const ending = currentContactId(conversation.chat) === item.initialContactId;
    if (ending && conversation.chat.state === 'active') {
      await recordChatEnded(
        this.deps.conversations,
        conversation.key,
        item.initialContactId,
        this.deps.now(),
      );
      this.deps.telemetry.count('ChatEndedByConnect');
    }
    const closing = this.deps.settings.chatEndedMessage;
    if (closing && ending) {
      const outcome = await this.sendToCustomer(conversation, item, [textOf(closing)]);
      if (outcome === 'window-closed') return 'chat-ended';
    }
    return 'chat-ended';
  }

  private async attachmentPayloads(conversation: Conversation, item: StreamingItem): Promise<PayloadFor[]> {
    const payloads: PayloadFor[] = [];
    for (const attachment of item.attachments) {
      if (attachment.status && attachment.status !== 'APPROVED') continue;
      const link = await this.deps.customerConnection.run(conversation, (connectionToken) =>
        this.deps.chat.getAttachmentUrl({ connectionToken, attachmentId: attachment.attachmentId }),
      );
      payloads.push((recipient, callbackData) =>
        mediaPayload(
          recipient,
          { link, mimeType: attachment.contentType, filename: attachment.attachmentName },
          callbackData,
        ),
      );
    }
    return payloads;
  }

  /** Blue ticks when an agent replies, in case Connect's own read events did not reach us. */
  private async markLatestCustomerMessageRead(conversation: Conversation): Promise<void> {
    const target = conversation.lastCustomerMessage?.messageId;
    if (!target || conversation.lastReadMarkedId === target) return;
    try {
      if (await this.deps.conversations.recordReadMarked(conversation.key, target)) {
        await this.deps.whatsApp.send(
          conversation.key.businessPhoneNumberId,
          readReceiptPayload(target, false),
        );
        this.deps.telemetry.count('ReadReceiptsSent');
      }
    } catch (error) {
      // Blue ticks are a courtesy; they must never hold up or fail the agent's message.
      this.deps.telemetry.warn('Could not mark the customer message read', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Posts a relay notice into the agent's chat through the customer connection. */
  private async postNotice(conversation: Conversation, item: StreamingItem, text: string): Promise<void> {
    try {
      await this.deps.customerConnection.run(conversation, (connectionToken) =>
        this.deps.chat.sendMessage({
          connectionToken,
          contactId: currentContactId(conversation.chat) ?? item.initialContactId,
          content: text,
          clientToken: idempotencyToken('agent-notice', item.id),
        }),
      );
      this.deps.telemetry.count('AgentNoticesPosted');
    } catch (error) {
      if (!(error instanceof ChatEndedError)) throw error;
      this.deps.telemetry.warn('Chat ended before the agent could be told', { contactId: item.contactId });
    }
  }

  private ignore(item: StreamingItem): OutboundOutcome {
    this.deps.telemetry.count('OutboundEventsIgnored', { ContentType: item.contentType });
    return 'ignored';
  }
}

type Recipient = { phoneNumber?: string; userId?: string };
type PayloadFor = (recipient: Recipient, callbackData: string) => WhatsAppPayload;

/** Another invocation holds the send claim; the record is retried shortly. */
export class SendInProgressError extends RetryableError {
  constructor(sendId: string) {
    super(`Send ${sendId} is in progress in another invocation`, 'SendInProgress');
    this.name = 'SendInProgressError';
  }
}

function textOf(body: string): PayloadFor {
  return (recipient, callbackData) => textPayload(recipient, body, callbackData);
}

function messagePayloads(contentType: string, content: string): PayloadFor[] {
  if (contentType === CONTENT_TYPES.interactive) {
    const interactive = interactiveToWhatsApp(content);
    if (!interactive) return [];
    if (interactive.kind === 'text') return splitText(interactive.body, WHATSAPP_TEXT_LIMIT).map(textOf);
    return [(recipient, callbackData) => interactivePayload(recipient, interactive, callbackData)];
  }
  const text = contentType === CONTENT_TYPES.markdown ? markdownToWhatsApp(content) : content;
  if (contentType !== CONTENT_TYPES.plainText && contentType !== CONTENT_TYPES.markdown) return [];
  if (text.trim().length === 0) return [];
  return splitText(text, WHATSAPP_TEXT_LIMIT).map(textOf);
}

function recipientOf(conversation: Conversation): Recipient {
  // WhatsApp takes `to` when the number is known and `recipient` (the BSUID) otherwise.
  const phoneNumber = conversation.customer.phoneNumber ?? toE164(conversation.key.customerId);
  return phoneNumber
    ? { phoneNumber }
    : { userId: conversation.customer.userId ?? conversation.key.customerId };
}

function receiptMessageId(content: string | undefined): string | undefined {
  if (!content) return undefined;
  try {
    const parsed = JSON.parse(content) as { messageId?: unknown };
    return typeof parsed.messageId === 'string' ? parsed.messageId : undefined;
  } catch {
    return undefined;
  }
}

/** Throttling and validation errors are answered before anything is sent; timeouts are not. */
function isCertainlyNotSent(error: unknown): boolean {
  const name =
    (error as { cause?: { name?: string } })?.cause?.name ?? (error as { name?: string })?.name ?? '';
  return /Throttl|TooManyRequests|LimitExceeded|Validation|InvalidParameters/.test(name);
}
