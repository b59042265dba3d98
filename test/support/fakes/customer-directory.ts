import type { CustomerRecord } from '../../../shared/domain/customer.js';
import type { CustomerDirectory } from '../../../shared/ports/customer-directory.js';

/** Customer records in memory, found by id or by E.164 number; lookups are remembered. */
export class InMemoryCustomerDirectory implements CustomerDirectory {
  readonly lookups: string[] = [];
  constructor(readonly customers: CustomerRecord[] = []) {}
  async findById(customerId: string) {
    this.lookups.push(`id:${customerId}`);
    return this.customers.find((customer) => customer.customerId === customerId);
  }
  async findByPhoneNumber(phoneNumber: string) {
    this.lookups.push(`phone:${phoneNumber}`);
    return this.customers.find((customer) => customer.phoneNumber === phoneNumber);
  }
}
