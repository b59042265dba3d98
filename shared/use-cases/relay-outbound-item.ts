import { type Conversation, currentContactId, windowIsOpen } from '../domain/conversation.js';
import { RetryableError } from '../domain/errors.js';
import { interactiveToWhatsApp } from '../domain/interactive-to-whatsapp.js';
import { markdownToWhatsApp } from '../domain/markdown-to-whatsapp.js';
import { CONTENT_TYPES, isForCustomer, type StreamingItem } from '../domain/streaming-item.js';
import { splitText } from '../domain/text-splitting.js';
import { interactivePayload, readReceiptPayload, WHATSAPP_TEXT_LIMIT } from '../domain/whatsapp-payloads.js';
import { OutboundAttachments } from './outbound-attachments.js';
import {
  OutboundDelivery,
  type OutboundOutcome,
  type OutgoingPart,
  type RelayOutboundDependencies,
  textPart,
} from './outbound-delivery.js';
import { recordChatEnded } from './record-chat-ended.js';
import type { RecordLastAgent } from './record-last-agent.js';

export type {
  OutboundOutcome,
  RelayOutboundDependencies,
  RelayOutboundSettings,
} from './outbound-delivery.js';

/** The relay's dependencies, and where an agent's join is recorded. */
export interface RelayOutboundItemDependencies extends RelayOutboundDependencies {
  readonly lastAgent: Pick<RecordLastAgent, 'execute'>;
}

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
 * marked ended so the next customer message starts a persistent chat; agent joined → the agent is
 * recorded as the conversation's last agent (RecordLastAgent), and the optional greeting is sent.
 * Everything else is acknowledged and counted.
 */
export class RelayOutboundItem {
  private readonly delivery: OutboundDelivery;
  private readonly attachments: OutboundAttachments;

  constructor(private readonly deps: RelayOutboundItemDependencies) {
    this.delivery = new OutboundDelivery(deps);
    this.attachments = new OutboundAttachments(deps, this.delivery);
  }

  async execute(item: StreamingItem): Promise<OutboundOutcome> {
    const { telemetry } = this.deps;
    if (!isForCustomer(item)) {
      telemetry.count('OutboundFiltered');
      return 'filtered';
    }
    const conversation = await this.deps.conversations.findByContactId(item.initialContactId);
    if (!conversation) return this.unknownContact(item);

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
        if (item.participantRole !== 'AGENT') return this.ignore(item);
        await this.deps.lastAgent.execute(conversation, item);
        if (!this.deps.settings.agentJoinedMessage) return this.ignore(item);
        return this.send(conversation, item, [
          textPart(
            item,
            0,
            this.deps.settings.agentJoinedMessage.replace('{name}', item.displayName ?? 'an agent'),
          ),
        ]);
      default:
        break;
    }
    if (item.type === 'ATTACHMENT' || item.attachments.length > 0) {
      return this.send(conversation, item, await this.attachments.parts(conversation, item));
    }
    if (item.type !== 'MESSAGE' || item.content === undefined) return this.ignore(item);
    return this.send(conversation, item, this.messageParts(item, item.content));
  }

  /**
   * The contact lookup is written as the chat starts, and can land after the first agent reply
   * (its write retried, or a slow table). A recent item is retried until the lookup exists; only
   * items older than the grace period belong to chats this relay did not start.
   */
  private unknownContact(item: StreamingItem): OutboundOutcome {
    const { telemetry, settings, now } = this.deps;
    const momentary =
      item.contentType === CONTENT_TYPES.typing || item.contentType === CONTENT_TYPES.messageRead;
    if (!momentary && now() - item.absoluteTime < settings.unknownContactRetryMs) {
      throw new ContactNotYetKnownError(item.initialContactId);
    }
    telemetry.count('OutboundUnknownContact');
    telemetry.warn('Chat item for a contact this relay did not start; acknowledged', {
      contactId: item.contactId,
      initialContactId: item.initialContactId,
    });
    return 'unknown-contact';
  }

  private send(
    conversation: Conversation,
    item: StreamingItem,
    parts: readonly OutgoingPart[],
  ): Promise<OutboundOutcome> {
    if (parts.length === 0) return Promise.resolve(this.ignore(item));
    return this.delivery.send(conversation, item, parts);
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
      await this.send(conversation, item, [textPart(item, 0, closing)]);
    }
    return 'chat-ended';
  }

  /** Text, Markdown and interactive messages as WhatsApp parts; other content types send nothing. */
  private messageParts(item: StreamingItem, content: string): OutgoingPart[] {
    const texts = (body: string) =>
      splitText(body, WHATSAPP_TEXT_LIMIT).map((part, index) => textPart(item, index, part));
    if (item.contentType === CONTENT_TYPES.interactive) {
      const interactive = interactiveToWhatsApp(content, {
        ...(this.deps.settings.listButtonLabel
          ? { listButtonLabel: this.deps.settings.listButtonLabel }
          : {}),
      });
      if (!interactive) return [];
      if (interactive.kind === 'text') return texts(interactive.body);
      return [
        {
          ...textPart(item, 0, interactive.body),
          payload: (recipient, callbackData) => interactivePayload(recipient, interactive, callbackData),
        },
      ];
    }
    if (item.contentType !== CONTENT_TYPES.plainText && item.contentType !== CONTENT_TYPES.markdown)
      return [];
    const text = item.contentType === CONTENT_TYPES.markdown ? markdownToWhatsApp(content) : content;
    return text.trim().length === 0 ? [] : texts(text);
  }

  private ignore(item: StreamingItem): OutboundOutcome {
    this.deps.telemetry.count('OutboundEventsIgnored', { ContentType: item.contentType });
    return 'ignored';
  }
}

/** No conversation knows this contact yet, and the item is recent: retried through SQS. */
export class ContactNotYetKnownError extends RetryableError {
  constructor(initialContactId: string) {
    super(`No conversation for contact ${initialContactId} yet`, 'ContactNotYetKnown');
    this.name = 'ContactNotYetKnownError';
  }
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
