import type { StartDraft } from '../../shared/domain/chat-lifecycle.js';
import type {
  ConversationIn,
  ConversationKey,
  EndedChat,
  PendingChatStart,
} from '../../shared/domain/conversation.js';
import { BUSINESS } from './whatsapp-events.js';

/** Conversations in each chat state, for unit tests of the use cases that read them. */
export const CONVERSATION_KEY: ConversationKey = {
  businessPhoneNumberId: BUSINESS.phoneNumberId,
  customerId: '447700900123',
};

/** A chat running on `contactId` whose connection token is valid until `expiresAt`. */
export function activeConversation(
  options: { contactId?: string; expiresAt: number; version?: number; initialMessageId?: string },
  key: ConversationKey = CONVERSATION_KEY,
): ConversationIn<'active'> {
  return {
    key,
    version: options.version ?? 3,
    customer: {},
    chat: {
      state: 'active',
      contactId: options.contactId ?? 'contact-running',
      participantToken: `participant-of-${options.contactId ?? 'contact-running'}`,
      connection: { connectionToken: 'connection-old', expiresAt: options.expiresAt },
      initialMessageId: options.initialMessageId ?? 'wamid.opened-the-chat',
    },
  };
}

/** A chat that ended at `endedAt`; the next message rehydrates it. */
export function endedConversation(
  options: { contactId?: string; endedAt: number; version?: number },
  key: ConversationKey = CONVERSATION_KEY,
): ConversationIn<'ended'> {
  const chat: EndedChat = {
    state: 'ended',
    contactId: options.contactId ?? 'contact-ended',
    endedAt: options.endedAt,
  };
  return { key, version: options.version ?? 6, customer: {}, chat };
}

/** A start claimed by `owner` until `leaseUntil`, for a message whose start is `start`. */
export function startingConversation(
  options: { owner: string; leaseUntil: number; start: PendingChatStart; version?: number },
  key: ConversationKey = CONVERSATION_KEY,
): ConversationIn<'starting'> {
  return {
    key,
    version: options.version ?? 1,
    customer: {},
    chat: {
      state: 'starting',
      lease: { owner: options.owner, until: options.leaseUntil },
      start: options.start,
    },
  };
}

/** The start a message would draft, rehydrating `source` if given. */
export function draftFor(messageId: string, text: string, source?: EndedChat): StartDraft {
  return {
    clientToken: `start-token-of-${messageId}-from-${source?.contactId ?? 'new'}`,
    starterMessageId: messageId,
    initialMessage: text,
    displayName: 'Ana Souza',
    contactFlowId: 'flow-today',
    attributes: { channel: 'WhatsApp', customerId: CONVERSATION_KEY.customerId },
    ...(source ? { persistentSource: source } : {}),
  };
}
