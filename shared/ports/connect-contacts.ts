import type { ContactFacts } from '../domain/guide-context.js';

/** Reads contacts of the Connect instance; the guide uses it to find its customer and agent. */
export interface ConnectContacts {
  /** The contact, or undefined when Connect has no such contact. */
  describe(contactId: string): Promise<ContactFacts | undefined>;
}
