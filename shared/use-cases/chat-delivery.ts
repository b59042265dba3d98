import { EMPTY_MESSAGE_TEXT } from '../domain/agent-message-parts.js';
import { chatAttributesFor, draftChatStart } from '../domain/chat-start-draft.js';
import {
  type Conversation,
  type ConversationIn,
  type ConversationKey,
  conversationKeyString,
  isIn,
  toE164,
} from '../domain/conversation.js';
import { ChatEndedError, PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { idempotencyToken } from '../domain/tokens.js';
import type { ParticipantService } from '../ports/chat-service.js';
import type { CustomerActivity } from '../ports/conversation-store.js';
import type { InboundRelayRecord, RelayLedger } from '../ports/relay-ledger.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { CustomerChat } from './attach-customer-media.js';
import type { ChatNeed, ChatStarter } from './chat-starter.js';
import type { ChatSession, CustomerConnection } from './customer-connection.js';

/** Per business number: where its new chats start, and how long a returning customer's agent is preferred. */
export interface ChatRoutingSettings {
  /** Contact flow per business phone number id (`phone-number-id-…`). */
  readonly inboundFlowFor: (businessPhoneNumberId: string) => string | undefined;
  /** Hours the last agent stays preferred for the number's customers; undefined when off. */
  readonly preferredAgentHoursFor: (businessPhoneNumberId: string) => number | undefined;
}

/** Where a message's text went: the chat's session, the Connect ids of its parts. */
export interface Delivery {
  readonly session: ChatSession;
  readonly connectMessageIds: readonly string[];
  readonly startedChat: boolean;
}

export interface ChatDeliveryDependencies {
  readonly ledger: Pick<RelayLedger, 'findInbound' | 'recordInbound'>;
  readonly starter: ChatStarter;
  readonly connection: CustomerConnection;
  readonly chat: Pick<ParticipantService, 'sendMessage'>;
  readonly telemetry: Telemetry;
  readonly settings: ChatRoutingSettings;
  readonly now: () => number;
}

/**
 * Puts a customer message's text into their chat: into the running one, or into one ChatStarter
 * gets (with the first part as InitialMessage), going round again when the chat turns out ended.
 */
export class ChatDelivery {
  constructor(private readonly deps: ChatDeliveryDependencies) {}

  /** Puts the text into a running chat, getting one first if needed; at most three chats deep. */
  async deliver(
    key: ConversationKey,
    found: { conversation: Conversation | undefined; ledgerRead: boolean },
    message: InboundMessage,
    parts: readonly string[],
  ): Promise<Delivery | 'duplicate'> {
    const { starter, telemetry } = this.deps;
    let current = found.conversation;
    let ledgerRead = found.ledgerRead;
    for (let round = 0; round < 3; round++) {
      if (isIn(current, 'active')) {
        try {
          // A redelivery of the message that opened this chat: its first part is already in.
          const from = current.chat.initialMessageId === message.id ? 1 : 0;
          return await this.sendParts(current, message.id, parts, from, false);
        } catch (error) {
          if (!(error instanceof ChatEndedError)) throw error;
          telemetry.count('ChatEndedDetected');
          current = await starter.recordEnded(key, error.contactId);
          continue;
        }
      }
      if (!ledgerRead) {
        ledgerRead = true;
        const record = await this.deps.ledger.findInbound(message.id);
        if (record && record.complete !== false) return 'duplicate';
      }
      const running = await starter.ensureChat(this.needFor(key, current, message, parts), current);
      const { completed } = running;
      if (!completed) {
        current = running.conversation;
        continue;
      }
      if (completed.starterMessageId !== message.id) {
        // We finished someone else's start: its first part is in, but its other parts or its
        // file may not be, so its redelivery must resume rather than be skipped.
        await this.deps.ledger.recordInbound(
          incompleteStarter(completed.starterMessageId, running.conversation, this.deps.now()),
        );
      }
      const from = completed.starterMessageId === message.id ? 1 : 0;
      return this.sendParts(running.conversation, message.id, parts, from, true);
    }
    throw new RetryableError('The chat kept ending while the message was delivered', 'ChatEnded');
  }

  private needFor(
    key: ConversationKey,
    conversation: Conversation | undefined,
    message: InboundMessage,
    parts: readonly string[],
  ): ChatNeed {
    const config = () => {
      const contactFlowId = this.deps.settings.inboundFlowFor(key.businessPhoneNumberId);
      if (!contactFlowId) {
        throw new PermanentDeliveryError(
          `No inbound flow configured for ${key.businessPhoneNumberId}`,
          'NoInboundFlow',
        );
      }
      const preferredAgentHours = this.deps.settings.preferredAgentHoursFor(key.businessPhoneNumberId);
      return {
        contactFlowId,
        attributes: chatAttributesFor(key, conversation, message, this.deps.now(), preferredAgentHours),
      };
    };
    return {
      key,
      messageId: message.id,
      activity: activityOf(message),
      config,
      draft: (source) => draftChatStart(message, parts[0] ?? EMPTY_MESSAGE_TEXT, source, config()),
    };
  }

  /** Sends parts[from..] into the chat; each part's ClientToken names the message, the chat and the part. */
  private async sendParts(
    conversation: ConversationIn<'active'>,
    messageId: string,
    parts: readonly string[],
    from: number,
    startedChat: boolean,
  ): Promise<Delivery> {
    const session = this.deps.connection.session(conversation);
    const connectMessageIds: string[] = [];
    for (let index = from; index < parts.length; index++) {
      const { messageId: id } = await session.run((connectionToken) =>
        this.deps.chat.sendMessage({
          connectionToken,
          contactId: session.contactId,
          content: parts[index] ?? EMPTY_MESSAGE_TEXT,
          clientToken: idempotencyToken('send-message', messageId, session.contactId, index),
        }),
      );
      connectMessageIds.push(id);
    }
    return { session, connectMessageIds, startedChat };
  }

  /** The chat the text just went into, as the attachment step needs it. */
  customerChat(session: ChatSession): CustomerChat {
    return {
      contactId: session.contactId,
      connectionToken: session.token,
      refreshConnection: session.refresh,
      sendNote: async (content, clientToken) => {
        await session.run((connectionToken) =>
          this.deps.chat.sendMessage({ connectionToken, contactId: session.contactId, content, clientToken }),
        );
      },
    };
  }
}

function incompleteStarter(
  starterMessageId: string,
  conversation: ConversationIn<'active'>,
  relayedAt: number,
): InboundRelayRecord {
  return {
    whatsAppMessageId: starterMessageId,
    contactId: conversation.chat.contactId,
    connectMessageIds: [],
    conversationKey: conversationKeyString(conversation.key),
    relayedAt,
    complete: false,
  };
}

/** The customer's activity a message stands for: the 24-hour window and the profile. */
export function activityOf(message: InboundMessage): CustomerActivity {
  const phoneNumber = toE164(message.customer.waId);
  return {
    messageId: message.id,
    at: message.timestamp * 1000,
    ...(message.customer.profileName ? { profileName: message.customer.profileName } : {}),
    ...(phoneNumber ? { phoneNumber } : {}),
    ...(message.customer.userId ? { userId: message.customer.userId } : {}),
  };
}
