import { describe, expect, it } from 'vitest';
import { CachingConversationStore } from '../../shared/adapters/caching-conversation-store.js';
import type { Conversation, ConversationKey } from '../../shared/domain/conversation.js';
import type { ConversationStore } from '../../shared/ports/conversation-store.js';

const KEY: ConversationKey = { businessPhoneNumberId: 'phone-number-id-abc', customerId: '447700900001' };

function active(overrides: Partial<Conversation> = {}): Conversation {
  return {
    key: KEY,
    state: 'active',
    contactId: 'contact-1',
    participantToken: 'p',
    connection: { connectionToken: 'c1', expiresAt: 10_000_000 },
    lastCustomerMessageAt: 1000,
    lastCustomerMessageId: 'wamid.1',
    ...overrides,
  };
}

/** A store that counts reads and returns whatever `current` is: the table as other containers left it. */
function tableWith(initial: Conversation | undefined) {
  const table = { current: initial, reads: 0 };
  const store = {
    getCached: () => undefined,
    get: async () => {
      table.reads++;
      return table.current;
    },
    refresh: async () => {
      table.reads++;
      return table.current;
    },
    findByContactId: async () => {
      table.reads += 2;
      return table.current;
    },
    claimChatStart: async () => table.current,
    recordContactCreated: async () => undefined,
    activate: async () => undefined,
    updateConnection: async () => undefined,
    markEnded: async () => undefined,
    recordCustomerActivity: async () => undefined,
    recordTypingSent: async () => true,
    recordReadMarked: async () => true,
    recordAgentInitiation: async () => undefined,
  } satisfies ConversationStore;
  return { table, store };
}

describe('per-container conversation cache', () => {
  it('serves an active chat from memory after the first read, by key and by contact id', async () => {
    const { table, store } = tableWith(active());
    const cache = new CachingConversationStore(store, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });

    await cache.get(KEY);
    await cache.get(KEY);
    await cache.findByContactId('contact-1');

    expect(table.reads).toBe(1);
  });

  it('never caches a chat that is starting or ended, so those are always read from the table', async () => {
    const { table, store } = tableWith(active({ state: 'starting' }));
    const cache = new CachingConversationStore(store, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });

    await cache.get(KEY);
    await cache.get(KEY);

    expect(table.reads).toBe(2);
  });

  it('forgets a chat as soon as it is marked ended, claimed or activated here', async () => {
    const { table, store } = tableWith(active());
    const cache = new CachingConversationStore(store, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    await cache.get(KEY);

    await cache.markEnded(KEY, 'contact-1');
    table.current = active({ state: 'ended' });
    const after = await cache.get(KEY);

    expect(after?.state).toBe('ended');
    expect(table.reads).toBe(2);
  });

  it('keeps a refreshed connection token and the latest customer activity in the cached copy', async () => {
    const { store } = tableWith(active());
    const cache = new CachingConversationStore(store, { ttlMs: 60_000, maxEntries: 10, now: () => 0 });
    await cache.get(KEY);

    await cache.updateConnection(KEY, 'contact-1', { connectionToken: 'c2', expiresAt: 20_000_000 });
    await cache.recordCustomerActivity(KEY, { messageId: 'wamid.2', at: 2000 });
    await cache.recordCustomerActivity(KEY, { messageId: 'wamid.older', at: 1500 });

    expect(await cache.get(KEY)).toMatchObject({
      connection: { connectionToken: 'c2' },
      lastCustomerMessageAt: 2000,
      lastCustomerMessageId: 'wamid.2',
    });
  });

  it('reads the table again once an entry is older than its time to live', async () => {
    let now = 0;
    const { table, store } = tableWith(active());
    const cache = new CachingConversationStore(store, { ttlMs: 1000, maxEntries: 10, now: () => now });
    await cache.get(KEY);

    now = 1001;
    await cache.get(KEY);

    expect(table.reads).toBe(2);
  });

  it('holds at most maxEntries chats, dropping the oldest', async () => {
    const { table, store } = tableWith(undefined);
    const cache = new CachingConversationStore(store, { ttlMs: 60_000, maxEntries: 2, now: () => 0 });
    const keys = ['a', 'b', 'c'].map((customerId) => ({ ...KEY, customerId }));
    for (const key of keys) {
      table.current = active({ key, contactId: `contact-${key.customerId}` });
      await cache.get(key);
    }
    const readsBefore = table.reads;

    table.current = active({ key: keys[0] as ConversationKey });
    await cache.get(keys[0] as ConversationKey);
    await cache.get(keys[2] as ConversationKey);

    expect(table.reads - readsBefore).toBe(1);
  });
});
