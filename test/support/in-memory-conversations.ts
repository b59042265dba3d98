import type { ContactDirectory, CustomerActivityLog } from '../../shared/ports/conversation-store.js';
import { InMemoryContactDirectory } from './fakes/contact-directory.js';
import { InMemoryConversationStore } from './fakes/conversation-store.js';
import { InMemoryCustomerActivityLog } from './fakes/customer-activity-log.js';

/** The three conversation ports over one in-memory table, as the DynamoDB adapters share one. */
export class InMemoryConversations
  extends InMemoryConversationStore
  implements ContactDirectory, CustomerActivityLog
{
  readonly directory = new InMemoryContactDirectory(this);
  readonly activity = new InMemoryCustomerActivityLog();
  readonly contacts = this.directory.contacts;
  recordContact = this.directory.recordContact.bind(this.directory);
  findByContactId = this.directory.findByContactId.bind(this.directory);
  recordCustomerActivity = this.activity.recordCustomerActivity.bind(this.activity);
  recordTypingSent = this.activity.recordTypingSent;
  recordReadMarked = this.activity.recordReadMarked;
}
