import type { ConversationKey } from '../domain/conversation.js';
import type { Customer } from '../domain/inbound-message.js';

/**
 * Which conversation a customer belongs to. Meta identifies a customer by a business-scoped user
 * id (BSUID) and, while their number is visible, by `wa_id` too; a conversation recorded under
 * one must be found again under the other.
 */
export interface CustomerKeys {
  keyFor(
    businessPhoneNumberId: string,
    customer: Pick<Customer, 'waId' | 'userId'>,
  ): Promise<ConversationKey>;
}

/** The conversation key of a customer, for readers: resolves like `keyFor` but records no alias. */
export interface CustomerKeyLookup {
  findKey(
    businessPhoneNumberId: string,
    customer: Pick<Customer, 'waId' | 'userId'>,
  ): Promise<ConversationKey>;
}
