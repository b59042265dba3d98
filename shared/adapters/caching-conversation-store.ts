import {
  type ConnectionCredentials,
  type Conversation,
  type ConversationKey,
  conversationKeyString,
  currentContactId,
} from '../domain/conversation.js';
import type {
  ContactDirectory,
  ConversationStore,
  CustomerActivity,
  CustomerActivityLog,
} from '../ports/conversation-store.js';

export interface ConversationCacheOptions {
  /** How long a cached chat is trusted before it is read again. */
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now: () => number;
}

interface Entry {
  conversation: Conversation;
  readonly cachedAt: number;
}

type Backing = ConversationStore & ContactDirectory & CustomerActivityLog;

/**
 * Keeps the container's active chats in memory, so a warm container sends a customer's message
 * (or an agent's reply) without reading DynamoDB first. Only active chats are cached, and every
 * transition this container makes replaces the entry. A copy that is stale because another
 * container changed the chat is safe by construction: its version no longer matches, so no
 * transition can be saved from it; an ended chat or a replaced token makes the next Connect call
 * fail with AccessDenied, which the relay answers by refreshing; the last customer message only
 * moves forward, so a stale copy can only understate the 24-hour window, and callers re-check a
 * closed window with `refresh`. The relay never starts a chat from a cached copy without reading
 * its ledger first (RelayInboundMessage).
 */
export class CachingConversationStore implements Backing {
  private readonly byKey = new Map<string, Entry>();
  private readonly keyByContact = new Map<string, string>();

  constructor(
    private readonly inner: Backing,
    private readonly options: ConversationCacheOptions,
  ) {}

  getCached(key: ConversationKey): Conversation | undefined {
    return this.fresh(conversationKeyString(key));
  }

  async get(key: ConversationKey): Promise<Conversation | undefined> {
    return this.getCached(key) ?? this.refresh(key);
  }

  async refresh(key: ConversationKey): Promise<Conversation | undefined> {
    const conversation = await this.inner.refresh(key);
    this.remember(key, conversation);
    return conversation;
  }

  async save(next: Conversation, observedVersion: number): Promise<boolean> {
    this.forget(next.key);
    const saved = await this.inner.save(next, observedVersion);
    if (saved) this.remember(next.key, next);
    return saved;
  }

  async updateConnection(key: ConversationKey, contactId: string, connection: ConnectionCredentials) {
    await this.inner.updateConnection(key, contactId, connection);
    this.patch(key, (conversation) =>
      conversation.chat.state === 'active' && conversation.chat.contactId === contactId
        ? { ...conversation, chat: { ...conversation.chat, connection } }
        : undefined,
    );
  }

  recordContact(contactId: string, key: ConversationKey): Promise<void> {
    return this.inner.recordContact(contactId, key);
  }

  async findByContactId(contactId: string): Promise<Conversation | undefined> {
    const keyString = this.keyByContact.get(contactId);
    const cached = keyString ? this.fresh(keyString) : undefined;
    if (cached) return cached;
    const conversation = await this.inner.findByContactId(contactId);
    if (conversation) {
      this.remember(conversation.key, conversation);
      // Transferred and persistent chats keep answering to the contact id they were found by.
      if (conversation.chat.state === 'active')
        this.keyByContact.set(contactId, conversationKeyString(conversation.key));
    }
    return conversation;
  }

  async recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void> {
    await this.inner.recordCustomerActivity(key, activity);
    this.patch(key, (conversation) =>
      (conversation.lastCustomerMessage?.at ?? 0) <= activity.at
        ? { ...conversation, lastCustomerMessage: { at: activity.at, messageId: activity.messageId } }
        : conversation,
    );
  }

  recordTypingSent(key: ConversationKey, now: number, minIntervalMs: number): Promise<boolean> {
    return this.inner.recordTypingSent(key, now, minIntervalMs);
  }

  async recordReadMarked(key: ConversationKey, whatsAppMessageId: string): Promise<boolean> {
    const marked = await this.inner.recordReadMarked(key, whatsAppMessageId);
    this.patch(key, (conversation) => ({ ...conversation, lastReadMarkedId: whatsAppMessageId }));
    return marked;
  }

  private fresh(keyString: string): Conversation | undefined {
    const entry = this.byKey.get(keyString);
    if (!entry) return undefined;
    if (this.options.now() - entry.cachedAt > this.options.ttlMs) {
      this.byKey.delete(keyString);
      return undefined;
    }
    return entry.conversation;
  }

  private remember(key: ConversationKey, conversation: Conversation | undefined): void {
    const keyString = conversationKeyString(key);
    this.byKey.delete(keyString);
    if (conversation?.chat.state !== 'active') return;
    this.byKey.set(keyString, { conversation, cachedAt: this.options.now() });
    const contactId = currentContactId(conversation.chat);
    if (contactId) this.keyByContact.set(contactId, keyString);
    // Map keeps insertion order: the first entries are the least recently stored.
    while (this.byKey.size > this.options.maxEntries) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.byKey.delete(oldest);
    }
    if (this.keyByContact.size > this.options.maxEntries * 4) this.keyByContact.clear();
  }

  private patch(
    key: ConversationKey,
    change: (conversation: Conversation) => Conversation | undefined,
  ): void {
    const keyString = conversationKeyString(key);
    const entry = this.byKey.get(keyString);
    if (!entry) return;
    const changed = change(entry.conversation);
    if (changed) entry.conversation = changed;
    else this.byKey.delete(keyString);
  }

  private forget(key: ConversationKey): void {
    this.byKey.delete(conversationKeyString(key));
  }
}
