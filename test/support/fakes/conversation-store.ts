import * as domain from '../../../shared/domain/conversation.js';
import type { ConversationStore } from '../../../shared/ports/conversation-store.js';

const id = domain.conversationKeyString;

/** Conversations in memory with the table's version check; `cache` plays a container's copy. */
export class InMemoryConversationStore implements ConversationStore {
  readonly items = new Map<string, domain.Conversation>();
  readonly cache = new Map<string, domain.Conversation>();
  readonly connections: { contactId: string; connection: domain.ConnectionCredentials }[] = [];
  reads = 0;
  get = (key: domain.ConversationKey) => this.refresh(key);
  getCached = (key: domain.ConversationKey) => this.cache.get(id(key));
  async refresh(key: domain.ConversationKey) {
    this.reads++;
    return this.items.get(id(key));
  }
  async save(next: domain.Conversation, observedVersion: number) {
    if ((this.items.get(id(next.key))?.version ?? 0) !== observedVersion) return false;
    this.put(next);
    return true;
  }
  async updateConnection(_key: unknown, contactId: string, connection: domain.ConnectionCredentials) {
    this.connections.push({ contactId, connection });
  }
  put(conversation: domain.Conversation): void {
    this.items.set(id(conversation.key), conversation);
  }
}
