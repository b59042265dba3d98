import type { CustomerRecord } from '../domain/customer.js';

/**
 * Where the guide looks customers up. The DynamoDB adapter reads the customers table; an Amazon
 * Connect Customer Profiles adapter (SearchProfiles by `_phone` or a profile key) can implement the
 * same two calls without touching the use case.
 */
export interface CustomerDirectory {
  findById(customerId: string): Promise<CustomerRecord | undefined>;
  /** `phoneNumber` is E.164. */
  findByPhoneNumber(phoneNumber: string): Promise<CustomerRecord | undefined>;
}
