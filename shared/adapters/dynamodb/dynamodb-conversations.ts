import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ConnectionCredentials, Conversation, ConversationKey } from '../../domain/conversation.js';
import type { ContactDirectory, ConversationStore } from '../../ports/conversation-store.js';
import { type Item, n, s, str } from '../dynamodb-attributes.js';
import { chatAttributes, conversationFromItem } from './conversation-item.js';
import { type ConversationTable, keys } from './conversation-table.js';

/**
 * Conversations and their contact lookups. A chat transition writes the whole chat state in one
 * UpdateItem conditional on `chatVersion`; customer attributes on the same item are left alone.
 */
export class DynamoDbConversations implements ConversationStore, ContactDirectory {
  constructor(private readonly table: ConversationTable) {}

  getCached(): Conversation | undefined {
    return undefined;
  }

  get(key: ConversationKey): Promise<Conversation | undefined> {
    return this.refresh(key);
  }

  async refresh(key: ConversationKey): Promise<Conversation | undefined> {
    const item = await this.table.get(keys.conversation(key));
    return item ? conversationFromItem(item) : undefined;
  }

  async save(next: Conversation, observedVersion: number): Promise<boolean> {
    const { set, remove } = chatAttributes(next.chat);
    const values: Item = {
      ':state': s(next.chat.state),
      ':version': n(next.version),
      ':business': s(next.key.businessPhoneNumberId),
      ':customer': s(next.key.customerId),
      ':now': n(this.table.now()),
      ':expiresAt': n(this.table.conversationExpiry()),
    };
    const sets = [
      '#state = :state',
      'chatVersion = :version',
      'businessPhoneNumberId = if_not_exists(businessPhoneNumberId, :business)',
      'customerId = if_not_exists(customerId, :customer)',
      'updatedAt = :now',
      'expiresAt = :expiresAt',
    ];
    for (const [name, value] of Object.entries(set) as [string, AttributeValue][]) {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    if (observedVersion > 0) values[':observed'] = n(observedVersion);
    return this.table.update(keys.conversation(next.key), {
      update: `SET ${sets.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      // Items from before chat versions count as version 0, like a conversation never claimed.
      condition: observedVersion > 0 ? 'chatVersion = :observed' : 'attribute_not_exists(chatVersion)',
      names: { '#state': 'state' },
      values,
    });
  }

  async updateConnection(
    key: ConversationKey,
    contactId: string,
    connection: ConnectionCredentials,
  ): Promise<void> {
    await this.table.update(keys.conversation(key), {
      update: 'SET connectionToken = :token, connectionExpiresAt = :expiry, updatedAt = :now',
      condition: 'contactId = :contactId AND #state = :active',
      names: { '#state': 'state' },
      values: {
        ':contactId': s(contactId),
        ':active': s('active'),
        ':token': s(connection.connectionToken),
        ':expiry': n(connection.expiresAt),
        ':now': n(this.table.now()),
      },
    });
  }

  async recordContact(contactId: string, key: ConversationKey): Promise<void> {
    await this.table.put({
      pk: s(keys.contact(contactId)),
      conversationPk: s(keys.conversation(key)),
      expiresAt: n(this.table.conversationExpiry()),
    });
  }

  async findByContactId(contactId: string): Promise<Conversation | undefined> {
    const lookup = await this.table.get(keys.contact(contactId));
    const pk = lookup ? str(lookup, 'conversationPk') : undefined;
    if (!pk) return undefined;
    const item = await this.table.get(pk);
    return item ? conversationFromItem(item) : undefined;
  }
}
