import type { ConversationKey } from '../../domain/conversation.js';
import type { CustomerActivity, CustomerActivityLog } from '../../ports/conversation-store.js';
import { type Item, n, s } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/** The customer's side of the conversation item: activity, profile, typing and read marks. */
export class DynamoDbCustomerActivity implements CustomerActivityLog {
  constructor(private readonly table: ConversationTable) {}

  async recordCustomerActivity(key: ConversationKey, activity: CustomerActivity): Promise<void> {
    const sets = [
      'lastCustomerMessageAt = :at',
      'lastCustomerMessageId = :messageId',
      'businessPhoneNumberId = if_not_exists(businessPhoneNumberId, :business)',
      'customerId = if_not_exists(customerId, :customer)',
      'expiresAt = :expiresAt',
    ];
    const values: Item = {
      ':at': n(activity.at),
      ':messageId': s(activity.messageId),
      ':business': s(key.businessPhoneNumberId),
      ':customer': s(key.customerId),
      ':expiresAt': n(this.table.conversationExpiry()),
    };
    const profile = {
      profileName: activity.profileName,
      customerPhoneNumber: activity.phoneNumber,
      customerUserId: activity.userId,
    };
    for (const [name, value] of Object.entries(profile)) {
      if (!value) continue;
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = s(value);
    }
    // Only forward: an older message processed late must not shrink the 24-hour window.
    await this.table.update(keys.conversation(key), {
      update: `SET ${sets.join(', ')}`,
      condition: 'attribute_not_exists(lastCustomerMessageAt) OR lastCustomerMessageAt <= :at',
      values,
    });
  }

  recordTypingSent(key: ConversationKey, now: number, minIntervalMs: number): Promise<boolean> {
    return this.table.update(keys.conversation(key), {
      update: 'SET lastTypingAt = :now',
      condition:
        'attribute_exists(pk) AND (attribute_not_exists(lastTypingAt) OR lastTypingAt <= :threshold)',
      values: { ':now': n(now), ':threshold': n(now - minIntervalMs) },
    });
  }

  recordReadMarked(key: ConversationKey, whatsAppMessageId: string): Promise<boolean> {
    return this.table.update(keys.conversation(key), {
      update: 'SET lastReadMarkedId = :id',
      condition:
        'attribute_exists(pk) AND (attribute_not_exists(lastReadMarkedId) OR lastReadMarkedId <> :id)',
      values: { ':id': s(whatsAppMessageId) },
    });
  }
}
