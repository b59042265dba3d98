import type { ConversationKey } from '../../../shared/domain/conversation.js';
import type { CustomerKeyLookup, CustomerKeys } from '../../../shared/ports/customer-keys.js';

/**
 * Keys a customer by BSUID when Meta sent one, else by number; `aliases` plays a number already
 * linked to a BSUID (or the other way round).
 */
export class InMemoryCustomerKeys implements CustomerKeys, CustomerKeyLookup {
  readonly aliases = new Map<string, string>();
  async keyFor(businessPhoneNumberId: string, customer: { waId?: string; userId?: string }) {
    const known = [customer.userId, customer.waId].find((id) => id && this.aliases.has(id));
    const customerId = known ? this.aliases.get(known) : (customer.userId ?? customer.waId);
    if (!customerId) throw new Error('A customer needs a number or a BSUID');
    return { businessPhoneNumberId, customerId } satisfies ConversationKey;
  }

  findKey(businessPhoneNumberId: string, customer: { waId?: string; userId?: string }) {
    return this.keyFor(businessPhoneNumberId, customer);
  }
}
