import { describe, expect, it } from 'vitest';
import { CachingConversationStore } from '../../shared/adapters/caching-conversation-store.js';
import { chatEnded } from '../../shared/domain/chat-lifecycle.js';
import type { Conversation, ConversationKey } from '../../shared/domain/conversation.js';
import { InMemoryConversations } from '../support/in-memory-conversations.js';

const KEY: ConversationKey = { businessPhoneNumberId: 'phone-number-id-abc', customerId: '447700900001' };

function active(key: ConversationKey = KEY, contactId = 'contact-1'): Conversation {
  return {
    key,
    version: 3,
    chat: {
      state: 'active',
      contactId,
      participantToken: 'p',
      connection: { connectionToken: 'c1', expiresAt: 10_000_000 },
      initialMessageId: 'wamid.0',
    },
    customer: {},
    lastCustomerMessage: { at: 1000, messageId: 'wamid.1' },
  };
}

/** The table as other containers left it, counting reads. */
function tableWith(...conversations: Conversation[]) {
  const table = new InMemoryConversations();
  for (const conversation of conversations)
    table.items.set(`${conversation.key.businessPhoneNumberId}#${conversation.key.customerId}`, conversation);
  table.contacts.set('contact-1', KEY);
  return table;
}

describe('per-container conversation cache', () => {
  it('serves an active chat from memory after the first read, by key and by contact id', async () => {
    // Prepare
    const table = tableWith(active());
    const cache = new CachingConversationStore(table, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    // Act
    await cache.get(KEY);
    await cache.get(KEY);
    await cache.findByContactId('contact-1');
    // Assess
    expect(table.reads).toBe(1);
  });

  it('never caches a chat that is starting or ended, so those are always read from the table', async () => {
    // Prepare
    const ended = chatEnded(active(), 'contact-1', 5) as Conversation;
    const table = tableWith(ended);
    const cache = new CachingConversationStore(table, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    // Act
    await cache.get(KEY);
    await cache.get(KEY);
    // Assess
    expect(table.reads).toBe(2);
  });

  it('replaces its copy with the chat this container ended, and reads the table after that', async () => {
    // Prepare
    const table = tableWith(active());
    const cache = new CachingConversationStore(table, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    const cached = (await cache.get(KEY)) as Conversation;
    // Act
    await cache.save(chatEnded(cached, 'contact-1', 5) as Conversation, cached.version);
    const after = await cache.get(KEY);
    // Assess
    expect(after?.chat.state).toBe('ended');
    expect(table.reads).toBe(2);
  });

  it('keeps a refreshed connection token and the latest customer activity in the cached copy', async () => {
    // Prepare
    const cache = new CachingConversationStore(tableWith(active()), {
      ttlMs: 60_000,
      maxEntries: 10,
      now: () => 0,
    });
    await cache.get(KEY);
    // Act
    await cache.updateConnection(KEY, 'contact-1', { connectionToken: 'c2', expiresAt: 20_000_000 });
    await cache.recordCustomerActivity(KEY, { messageId: 'wamid.2', at: 2000 });
    await cache.recordCustomerActivity(KEY, { messageId: 'wamid.older', at: 1500 });
    // Assess
    expect(await cache.get(KEY)).toMatchObject({
      chat: { connection: { connectionToken: 'c2' } },
      lastCustomerMessage: { at: 2000, messageId: 'wamid.2' },
    });
  });

  it('reads the table again once an entry is older than its time to live', async () => {
    // Prepare
    let now = 0;
    const table = tableWith(active());
    const cache = new CachingConversationStore(table, { ttlMs: 1000, maxEntries: 10, now: () => now });
    await cache.get(KEY);
    // Act
    now = 1001;
    await cache.get(KEY);
    // Assess
    expect(table.reads).toBe(2);
  });

  it('holds at most maxEntries chats, dropping the oldest', async () => {
    // Prepare
    const keys = ['a', 'b', 'c'].map((customerId) => ({ ...KEY, customerId }));
    const table = tableWith(...keys.map((key) => active(key, `contact-${key.customerId}`)));
    const cache = new CachingConversationStore(table, { ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    for (const key of keys) await cache.get(key);
    const readsBefore = table.reads;
    // Act
    await cache.get(keys[0] as ConversationKey);
    await cache.get(keys[2] as ConversationKey);
    // Assess
    expect(table.reads - readsBefore).toBe(1);
  });
});
