import { chatEnded } from '../domain/chat-lifecycle.js';
import { type Conversation, type ConversationKey, newConversation } from '../domain/conversation.js';
import { ConversationBusyError } from '../domain/errors.js';
import type { ConversationStore } from '../ports/conversation-store.js';

/**
 * Records that the chat with `contactId` is over, if the conversation is still on that contact,
 * and returns the conversation as it now is. Shared by the inbound relay (Connect refused the
 * participant) and the outbound relay (Connect streamed chat.ended).
 */
export async function recordChatEnded(
  conversations: Pick<ConversationStore, 'refresh' | 'save'>,
  key: ConversationKey,
  contactId: string,
  now: number,
): Promise<Conversation> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = (await conversations.refresh(key)) ?? newConversation(key);
    const next = chatEnded(current, contactId, now);
    if (!next) return current;
    if (await conversations.save(next, current.version)) return next;
  }
  throw new ConversationBusyError('The conversation kept changing while its chat was being ended');
}
