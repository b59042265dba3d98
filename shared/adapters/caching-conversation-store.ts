import type { AgentInitiation } from '../domain/agent-initiation.js';
import type {
  ConnectionCredentials,
  Conversation,
  ConversationKey,
  PendingChatStart,
} from '../domain/conversation.js';
import { conversationKeyString } from '../domain/conversation.js';
import type { ConversationStore, CustomerActivity, CustomerDetails } from '../ports/conversation-store.js';

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

/**
 * Keeps the container's active chats in memory, so a warm container sends a customer's message
 * (or an agent's reply) without reading DynamoDB first. Only active chats are cached, and every
 * state change invalidates the entry. A copy that is stale because another container changed the
 * chat is safe by construction: an ended chat or a replaced token makes the next Connect call fail
 * with AccessDenied, which the relay answers by refreshing the connection or re-reading the
 * conversation; `lastCustomerMessageAt` only grows, so a stale copy can only understate the
 * 24-hour window, and callers re-check a closed window with `refresh`.
 */
export class CachingConversationStore implements ConversationStore {
  private readonly byKey = new Map<string, Entry>();
  private readonly keyByContact = new Map<string, string>();

  constructor(
    private readonly inner: ConversationStore,
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

  async findByContactId(contactId: string): Promise<Conversation | undefined> {
    const keyString = this.keyByContact.get(contactId);
    const cached = keyString ? this.fresh(keyString) : undefined;
    if (cached) return cached;
    const conversation = await this.inner.findByContactId(contactId);
    if (conversation) {
      this.remember(conversation.key, conversation);
      // Transferred and persistent chats keep answering to the contact id they were found by.
      if (conversation.state === 'active')
        this.keyByContact.set(contactId, conversationKeyString(conversation.key));
    }
    return conversation;
  }

  async claimChatStart(
    key: ConversationKey,
    observed: Conversation | undefined,
    claim: {
      owner: string;
      leaseUntil: number;
      pendingStart: PendingChatStart;
      customer: CustomerDetails;
      now: number;
    },
  ): Promise<Conversation | undefined> {
    this.forget(key);
    return this.inner.claimChatStart(key, observed, claim);
  }

  async recordContactCreated(key: ConversationKey, contact: { contactId: string; participantToken: string }) {
    await this.inner.recordContactCreated(key, contact);
  }

  async activate(key: ConversationKey, contactId: string, connection: ConnectionCredentials): Promise<void> {
    this.forget(key);
    await this.inner.activate(key, contactId, connection);
  }

  async updateConnection(
    key: ConversationKey,
    contactId: string,
    connection: ConnectionCredentials,
  ): Promise<void> {
    await this.inner.updateConnection(key, contactId, connection);
    this.patch(key, (conversation) =>
      conversation.contactId === contactId ? { ...conversation, connection } : undefined,
    );
  }

  async markEnded(key: ConversationKey, contactId: string): Promise<void> {
    this.forget(key);
    await this.inner.markEnded(key, contactId);
  }

  async recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void> {
    await this.inner.recordCustomerActivity(key, activity);
    this.patch(key, (conversation) =>
      (conversation.lastCustomerMessageAt ?? 0) <= activity.at
        ? { ...conversation, lastCustomerMessageAt: activity.at, lastCustomerMessageId: activity.messageId }
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

  async recordAgentInitiation(key: ConversationKey, initiation: AgentInitiation): Promise<void> {
    this.forget(key);
    await this.inner.recordAgentInitiation(key, initiation);
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
    if (conversation?.state !== 'active') return;
    this.byKey.set(keyString, { conversation, cachedAt: this.options.now() });
    if (conversation.contactId) this.keyByContact.set(conversation.contactId, keyString);
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
