import { makeOrderingStageHandler, type OrderingPiece } from '../../shared/batch/ordering-stage.js';
import {
  webhookItemIdentity,
  webhookItemOrderKey,
  webhookItemSortKey,
} from '../../shared/decoders/whatsapp/order-key.js';
import { splitWhatsAppWebhook, type WebhookPiece } from '../../shared/decoders/whatsapp-webhook-split.js';
import { fifoId, hashForLogs } from '../../shared/domain/tokens.js';
import type { OrderedQueue } from '../../shared/ports/ordered-queue.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';

/** What the inbound ordering stage needs; built once in index.ts, or by a test. */
export interface InboundOrderingDependencies {
  readonly queue: OrderedQueue;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  readonly flush?: () => void;
}

/**
 * SQS (← SNS ← EUM Social) → the inbound relay's FIFO queue, one message per webhook item. A
 * customer's messages share their conversation's group; each status waits only for the statuses
 * of its own WhatsApp message; every other item (preferences, account events, errors, numbers
 * this relay does not serve) is its own group and waits for nothing. A malformed item is
 * dead-lettered here with its reason, and its siblings go on.
 */
export function makeHandler(deps: InboundOrderingDependencies) {
  return makeOrderingStageHandler({
    split: (record) => splitWhatsAppWebhook(record.body).map((piece) => orderingPiece(piece, deps.telemetry)),
    queue: deps.queue,
    rejectedRecords: deps.rejectedRecords,
    telemetry: deps.telemetry,
    ...(deps.flush ? { flush: deps.flush } : {}),
  });
}

function orderingPiece({ body, item }: WebhookPiece, telemetry: Telemetry): OrderingPiece {
  if (item.kind === 'malformed') {
    telemetry.count('MalformedItems', { Reason: item.reason });
    return {
      kind: 'reject',
      body,
      reason: item.reason,
      detail: `A ${item.part} could not be decoded: ${item.detail}`,
    };
  }
  // An item without an identity of its own is identified by its whole body (a repeat is the same).
  const deduplicationId = fifoId(webhookItemIdentity(item) ?? `${item.kind}#${body}`);
  const orderKey = webhookItemOrderKey(item);
  // The conversation's group is the hash its logs carry as `conversation`: no phone number in SQS.
  const groupId = orderKey ? hashForLogs(orderKey) : deduplicationId;
  return {
    kind: 'forward',
    message: { groupId, deduplicationId, body },
    sortKey: webhookItemSortKey(item),
    describe: {
      itemKind: item.kind,
      group: groupId,
      ...(item.kind === 'message' ? { whatsAppMessageId: item.message.id } : {}),
      ...(item.kind === 'status' ? { whatsAppMessageId: item.status.messageId } : {}),
    },
  };
}
