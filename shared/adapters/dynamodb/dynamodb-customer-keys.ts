import { type ConversationKey, conversationKeyString } from '../../domain/conversation.js';
import type { Customer } from '../../domain/inbound-message.js';
import type { CustomerKeyLookup, CustomerKeys } from '../../ports/customer-keys.js';
import { n, s, str } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

const MEMO_LIMIT = 10_000;

/**
 * Conversation keys with aliases. A new conversation is keyed by the BSUID when Meta sent one,
 * else by the number. Every other identity of the same customer gets an alias item pointing at
 * that key, so a conversation (or an agent's template) recorded under the number is found when the
 * customer later writes with a BSUID only, and the reverse. A conversation from before BSUIDs,
 * stored under the number without aliases, keeps its key. Aliases never change once written, so
 * each container remembers the answer.
 */
export class DynamoDbCustomerKeys implements CustomerKeys, CustomerKeyLookup {
  private readonly memo = new Map<string, ConversationKey>();

  constructor(private readonly table: ConversationTable) {}

  async keyFor(
    businessPhoneNumberId: string,
    customer: Pick<Customer, 'waId' | 'userId'>,
  ): Promise<ConversationKey> {
    const identities = [customer.userId, customer.waId].filter((id): id is string => Boolean(id));
    const memoKey = `${businessPhoneNumberId}#${identities.join('#')}`;
    const remembered = this.memo.get(memoKey);
    if (remembered) return remembered;
    const { key: found, aliases } = await this.resolve(businessPhoneNumberId, customer);
    let key = found;
    const missing = identities.filter((id, index) => id !== key.customerId && aliases[index] === undefined);
    const target = key;
    const written = await Promise.all(
      missing.map((id) => this.recordAlias(businessPhoneNumberId, id, target)),
    );
    // Another invocation linked this identity first: its answer is the conversation.
    const lost = missing.find((_id, index) => !written[index]);
    if (lost) key = (await this.aliasOf(businessPhoneNumberId, lost)) ?? key;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(memoKey, key);
    return key;
  }

  /**
   * The conversation key without writing anything (no alias is recorded): for readers such as
   * the guide, which may look a customer up before they ever wrote.
   */
  async findKey(
    businessPhoneNumberId: string,
    customer: Pick<Customer, 'waId' | 'userId'>,
  ): Promise<ConversationKey> {
    return (await this.resolve(businessPhoneNumberId, customer)).key;
  }

  /** The key the customer's identities lead to, and which of them already have an alias. */
  private async resolve(businessPhoneNumberId: string, customer: Pick<Customer, 'waId' | 'userId'>) {
    const identities = [customer.userId, customer.waId].filter((id): id is string => Boolean(id));
    const [primary] = identities;
    if (!primary) throw new Error('A customer needs a BSUID or a WhatsApp number');
    const byNumber = customer.waId ? { businessPhoneNumberId, customerId: customer.waId } : undefined;
    const [aliases, legacyUnderNumber] = await Promise.all([
      Promise.all(identities.map((id) => this.aliasOf(businessPhoneNumberId, id))),
      // A conversation keyed by the number before this customer had a BSUID (or an agent's template).
      byNumber && customer.userId ? this.table.get(keys.conversation(byNumber)) : undefined,
    ]);
    const key: ConversationKey =
      aliases.find((alias): alias is ConversationKey => alias !== undefined) ??
      (legacyUnderNumber && byNumber ? byNumber : { businessPhoneNumberId, customerId: primary });
    return { key, aliases };
  }

  private async aliasOf(
    businessPhoneNumberId: string,
    customerId: string,
  ): Promise<ConversationKey | undefined> {
    const item = await this.table.get(keys.customerAlias(businessPhoneNumberId, customerId));
    const target = item ? str(item, 'aliasOf') : undefined;
    return target ? { businessPhoneNumberId, customerId: target } : undefined;
  }

  private recordAlias(
    businessPhoneNumberId: string,
    customerId: string,
    key: ConversationKey,
  ): Promise<boolean> {
    // First writer wins: an alias never moves, so two containers can never disagree about it.
    return this.table.put(
      {
        pk: s(keys.customerAlias(businessPhoneNumberId, customerId)),
        aliasOf: s(key.customerId),
        conversation: s(conversationKeyString(key)),
        expiresAt: n(this.table.conversationExpiry()),
      },
      { expression: 'attribute_not_exists(pk)' },
    );
  }
}
