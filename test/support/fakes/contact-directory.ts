import type { ConversationKey } from '../../../shared/domain/conversation.js';
import type { ContactDirectory, ConversationStore } from '../../../shared/ports/conversation-store.js';

/** Contact id → conversation, read through the store it indexes. */
export class InMemoryContactDirectory implements ContactDirectory {
  readonly contacts = new Map<string, ConversationKey>();
  constructor(private readonly store: Pick<ConversationStore, 'refresh'>) {}
  async recordContact(contactId: string, key: ConversationKey) {
    this.contacts.set(contactId, key);
  }
  async findByContactId(contactId: string) {
    const key = this.contacts.get(contactId);
    return key ? this.store.refresh(key) : undefined;
  }
}
