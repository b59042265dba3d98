import { messagePreview, sendRejectedNotice, windowClosedNotice } from '../domain/agent-notices.js';
import {
  type Conversation,
  conversationKeyString,
  currentContactId,
  toE164,
  windowIsOpen,
} from '../domain/conversation.js';
import { ChatEndedError, RetryableError } from '../domain/errors.js';
import type { StreamingItem } from '../domain/streaming-item.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import {
  callbackDataFor,
  readReceiptPayload,
  textPayload,
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
import { WhatsAppNotSentError, WhatsAppRefusedError, type WhatsAppSender } from '../ports/whatsapp-sender.js';
import type { CustomerConnection } from './customer-connection.js';
import { recordOutboundLatency } from './relay-latency.js';

export interface RelayOutboundSettings {
  /** WhatsApp's customer service window: free-form messages only within it. */
  readonly customerServiceWindowMs: number;
  /** At most one typing indicator per conversation per interval. */
  readonly typingIntervalMs: number;
  /** How long a send-once claim is honoured; longer than the function timeout. */
  readonly sendLeaseMs: number;
  /**
   * An item for a contact with no conversation yet is retried while younger than this (by its
   * AbsoluteTime): the contact lookup may be written just after streaming starts.
   */
  readonly unknownContactRetryMs: number;
  /** How long to re-check, within one invocation, an agent attachment Connect is still scanning. */
  readonly attachmentScanWaitMs: number;
  /** The label of the button that opens a WhatsApp list; the default when undefined. */
  readonly listButtonLabel?: string;
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

type Recipient = { phoneNumber?: string; userId?: string };

/** One WhatsApp message to send for a chat item, under its own send-once claim. */
export interface OutgoingPart {
  /** The send-once key: the item and part, or the attachment (which Connect may stream twice). */
  readonly sendId: string;
  /** The first words or the file name, to name the message in a later notice. Never logged. */
  readonly preview: string;
  readonly payload: (recipient: Recipient, callbackData: string) => WhatsAppPayload;
}

/** A text part of a chat item. */
export function textPart(item: StreamingItem, index: number, body: string): OutgoingPart {
  return {
    sendId: `${item.id}#${index}`,
    preview: messagePreview(body),
    payload: (recipient, callbackData) => textPayload(recipient, body, callbackData),
  };
}

/** Another invocation holds the send claim; the record is retried shortly. */
export class SendInProgressError extends RetryableError {
  constructor(sendId: string) {
    super(`Send ${sendId} is in progress in another invocation`, 'SendInProgress');
    this.name = 'SendInProgressError';
  }
}

/**
 * Sends a chat item's parts to the customer, each once, within the 24-hour window, and posts
 * relay notices into the agent's chat when WhatsApp cannot get them.
 */
export class OutboundDelivery {
  constructor(private readonly deps: RelayOutboundDependencies) {}

  /** Sends each part under its own send-once claim; the agent is told when WhatsApp cannot get it. */
  async send(
    conversation: Conversation,
    item: StreamingItem,
    parts: readonly OutgoingPart[],
  ): Promise<OutboundOutcome> {
    const { ledger, telemetry, settings, now } = this.deps;
    // A cached conversation can only understate the window (the last customer message only gets
    // newer), so "open" is trusted and "closed" is checked against the table first.
    const windowOpen = (candidate: Conversation | undefined) =>
      windowIsOpen(candidate, now(), settings.customerServiceWindowMs);
    if (!windowOpen(conversation) && !windowOpen(await this.deps.conversations.refresh(conversation.key))) {
      telemetry.count('WindowClosedBlocked');
      await this.notify(conversation, item, windowClosedNotice());
      return 'window-closed';
    }

    const recipient = recipientOf(conversation);
    const callbackData = callbackDataFor(item.id, item.initialContactId, item.absoluteTime);
    // Blue ticks need the customer's latest message, which a cached copy may not know: read the
    // table beside the send, not before it.
    const readFallback = this.deps.conversations
      .refresh(conversation.key)
      .then((fresh) => this.markLatestCustomerMessageRead(fresh ?? conversation))
      .catch(() => undefined);
    let duplicates = 0;
    // When EUM Social accepted the item's first part: the moment the customer's phone can get it.
    let firstAcceptedAt: number | undefined;
    const whatsAppMessageIds: string[] = [];
    for (const part of parts) {
      const claim = await ledger.claimSend(part.sendId, { now: now(), leaseMs: settings.sendLeaseMs });
      if (claim === 'sent') {
        duplicates++;
        continue;
      }
      if (claim === 'in-progress') throw new SendInProgressError(part.sendId);
      if (claim === 'retakenStale') telemetry.count('PossibleDuplicateSends');
      let messageId: string;
      try {
        ({ messageId } = await this.deps.whatsApp.send(
          conversation.key.businessPhoneNumberId,
          part.payload(recipient, callbackData),
        ));
      } catch (error) {
        if (error instanceof WhatsAppRefusedError) {
          await ledger.releaseClaim(part.sendId);
          // Tell the agent first; the record is dead-lettered afterwards.
          const message = { preview: part.preview, sentAt: item.absoluteTime };
          await this.notify(
            conversation,
            item,
            sendRejectedNotice(message, error.metaErrorCode),
            part.sendId,
          );
        } else if (error instanceof WhatsAppNotSentError) {
          // Certainly not sent (throttled, never connected): the retry may claim it afresh.
          // Anything that may have left keeps its claim until the lease ends.
          await ledger.releaseClaim(part.sendId);
        }
        throw error;
      }
      firstAcceptedAt ??= now();
      whatsAppMessageIds.push(messageId);
      await ledger.markSent(part.sendId, {
        connectItemId: item.id,
        initialContactId: item.initialContactId,
        whatsAppMessageId: messageId,
        sentAt: now(),
        preview: part.preview,
      });
      telemetry.count('OutboundSent', { ContentType: item.contentType });
    }
    await readFallback;
    const latencyMs =
      firstAcceptedAt === undefined
        ? undefined
        : recordOutboundLatency(telemetry, firstAcceptedAt, item.absoluteTime);
    telemetry.info('Relayed chat item to WhatsApp', {
      contactId: item.contactId,
      initialContactId: item.initialContactId,
      connectItemId: item.id,
      whatsAppMessageIds,
      conversation: hashForLogs(conversationKeyString(conversation.key)),
      parts: parts.length,
      duplicates,
      ...(latencyMs === undefined ? {} : { latencyMs }),
    });
    if (duplicates === parts.length) {
      telemetry.count('DuplicatesSkipped');
      return 'duplicate';
    }
    return 'sent';
  }

  /**
   * Posts a relay notice into the agent's chat through the customer connection; `about` tells
   * apart several notices for one item (each attachment, each part).
   */
  async notify(conversation: Conversation, item: StreamingItem, text: string, about = ''): Promise<void> {
    try {
      await this.deps.customerConnection.run(conversation, (connectionToken) =>
        this.deps.chat.sendMessage({
          connectionToken,
          contactId: currentContactId(conversation.chat) ?? item.initialContactId,
          content: text,
          clientToken: about
            ? idempotencyToken('agent-notice', item.id, about)
            : idempotencyToken('agent-notice', item.id),
        }),
      );
      this.deps.telemetry.count('AgentNoticesPosted');
    } catch (error) {
      if (!(error instanceof ChatEndedError)) throw error;
      this.deps.telemetry.warn('Chat ended before the agent could be told', {
        contactId: item.contactId,
        initialContactId: item.initialContactId,
        connectItemId: item.id,
      });
    }
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
}

function recipientOf(conversation: Conversation): Recipient {
  // WhatsApp takes `to` when the number is known and `recipient` (the BSUID) otherwise.
  const phoneNumber = conversation.customer.phoneNumber ?? toE164(conversation.key.customerId);
  return phoneNumber
    ? { phoneNumber }
    : { userId: conversation.customer.userId ?? conversation.key.customerId };
}
