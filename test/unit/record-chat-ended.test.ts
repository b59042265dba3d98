import { describe, expect, it } from 'vitest';
import { conversationKeyString } from '../../shared/domain/conversation.js';
import { ConversationBusyError } from '../../shared/domain/errors.js';
import { recordChatEnded } from '../../shared/use-cases/record-chat-ended.js';
import { activeConversation, CONVERSATION_KEY as KEY } from '../support/conversation-builders.js';
import { InMemoryConversationStore } from '../support/fakes/conversation-store.js';

const NOW = Date.UTC(2025, 5, 2, 9, 0, 0);

describe('recording that a chat ended', () => {
  it('ends the conversation’s chat when it is still on that contact', async () => {
    // Prepare
    const store = new InMemoryConversationStore();
    store.put(activeConversation({ contactId: 'contact-1', expiresAt: NOW + 1, version: 3 }));
    // Act
    const after = await recordChatEnded(store, KEY, 'contact-1', NOW);
    // Assess
    expect(after.chat).toEqual({ state: 'ended', contactId: 'contact-1', endedAt: NOW });
    expect(store.items.get(conversationKeyString(KEY))).toEqual(after);
  });

  it('leaves a conversation that has moved on to another contact as it is', async () => {
    // Prepare
    const store = new InMemoryConversationStore();
    const current = activeConversation({ contactId: 'contact-2', expiresAt: NOW + 1, version: 5 });
    store.put(current);
    // Act
    const after = await recordChatEnded(store, KEY, 'contact-1', NOW);
    // Assess
    expect(after).toEqual(current);
    expect(store.items.get(conversationKeyString(KEY))).toEqual(current);
  });

  it('reads again when another invocation wrote first, and does not end a chat that moved on meanwhile', async () => {
    // Prepare
    const store = new InMemoryConversationStore();
    store.put(activeConversation({ contactId: 'contact-1', expiresAt: NOW + 1, version: 3 }));
    const moved = activeConversation({ contactId: 'contact-2', expiresAt: NOW + 1, version: 4 });
    const save = store.save.bind(store);
    store.save = async (next, observed) => {
      store.put(moved);
      store.save = save;
      return save(next, observed);
    };
    // Act
    const after = await recordChatEnded(store, KEY, 'contact-1', NOW);
    // Assess
    expect(after).toEqual(moved);
  });

  it('gives up with a retryable error when the conversation keeps changing', async () => {
    // Prepare
    const store = new InMemoryConversationStore();
    store.put(activeConversation({ contactId: 'contact-1', expiresAt: NOW + 1 }));
    store.save = async () => false;
    // Act
    const attempt = recordChatEnded(store, KEY, 'contact-1', NOW);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConversationBusyError);
  });
});
