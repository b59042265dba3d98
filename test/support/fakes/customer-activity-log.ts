import type { ConversationKey } from '../../../shared/domain/conversation.js';
import type { CustomerActivity, CustomerActivityLog } from '../../../shared/ports/conversation-store.js';

/** Remembers each activity written, in order; typing and read marks always go ahead. */
export class InMemoryCustomerActivityLog implements CustomerActivityLog {
  readonly recorded: { key: ConversationKey; activity: CustomerActivity }[] = [];
  async recordCustomerActivity(key: ConversationKey, activity: CustomerActivity) {
    this.recorded.push({ key, activity });
  }
  recordTypingSent = async () => true;
  recordReadMarked = async () => true;
}
