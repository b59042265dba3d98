import type { Conversation, ConversationKey } from '../../shared/domain/conversation.js';
import { conversationKeyString } from '../../shared/domain/conversation.js';
import type {
  ContactDirectory,
  ConversationStore,
  CustomerActivityLog,
} from '../../shared/ports/conversation-store.js';

/** The conversation ports in memory, with the table's version check, for unit tests. */
export class InMemoryConversations implements ConversationStore, ContactDirectory, CustomerActivityLog {
  readonly items = new Map<string, Conversation>();
  readonly contacts = new Map<string, ConversationKey>();
  reads = 0;
  getCached = () => undefined;
  get = (key: ConversationKey) => this.refresh(key);
  async refresh(key: ConversationKey) {
    this.reads++;
    return this.items.get(conversationKeyString(key));
  }
  async save(next: Conversation, observedVersion: number) {
    if ((this.items.get(conversationKeyString(next.key))?.version ?? 0) !== observedVersion) return false;
    this.items.set(conversationKeyString(next.key), next);
    return true;
  }
  async updateConnection() {}
  async recordContact(contactId: string, key: ConversationKey) {
    this.contacts.set(contactId, key);
  }
  async findByContactId(contactId: string) {
    const key = this.contacts.get(contactId);
    return key ? this.refresh(key) : undefined;
  }
  async recordCustomerActivity() {}
  recordTypingSent = async () => true;
  recordReadMarked = async () => true;
}
