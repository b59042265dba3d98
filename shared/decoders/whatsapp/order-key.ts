import { conversationKeyFor, conversationKeyString } from '../../domain/conversation.js';
import type { WebhookItem } from './webhook-item.js';

/**
 * What an inbound item must wait for. A customer's messages are relayed one after another per
 * conversation (business number + the decoder's customer id: the BSUID when Meta sends one, else
 * the wa_id). A status waits only for the statuses of the same WhatsApp message, never behind a
 * customer's stuck message. Anything else waits for nothing (undefined).
 */
export function webhookItemOrderKey(item: WebhookItem): string | undefined {
  switch (item.kind) {
    case 'message':
      return conversationKeyString(conversationKeyFor(item.message.business, item.message.customer));
    case 'status':
      return `status#${item.status.messageId}`;
    default:
      return undefined;
  }
}

/** Meta's timestamp (seconds) for the items that carry one; ties keep the order they arrived in. */
export function webhookItemSortKey(item: WebhookItem): number {
  if (item.kind === 'message') return item.message.timestamp;
  return item.kind === 'status' ? item.status.timestamp : 0;
}

/**
 * The item's own identity, the same in every copy Meta or SNS delivers: a message by its wamid, a
 * status by its wamid and status. Undefined for items without one.
 */
export function webhookItemIdentity(item: WebhookItem): string | undefined {
  if (item.kind === 'message') return `message#${item.message.id}`;
  return item.kind === 'status' ? `status#${item.status.messageId}#${item.status.status}` : undefined;
}
