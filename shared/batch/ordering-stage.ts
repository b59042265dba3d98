import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { MalformedEventError } from '../domain/errors.js';
import type { OrderedMessage, OrderedQueue } from '../ports/ordered-queue.js';
import type { RejectedRecordSink } from '../ports/rejected-record-sink.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { QueueRecord } from './ordered-batch.js';

/** What the ordering stage makes of one item of a record. */
export type OrderingPiece =
  | {
      readonly kind: 'forward';
      readonly message: OrderedMessage;
      /** Order within the batch (Meta's timestamp, Connect's AbsoluteTime); ties keep arrival order. */
      readonly sortKey: number;
      /** Log fields (masked, hashed) that identify the item for on-call. */
      readonly describe: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'reject'; readonly body: string; readonly reason: string; readonly detail: string };

export interface OrderingStageOptions {
  /** One record → its pieces; throws MalformedEventError when the record can never be read. */
  readonly split: (record: QueueRecord) => readonly OrderingPiece[];
  readonly queue: OrderedQueue;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  readonly flush?: () => void;
}

interface Pending {
  readonly piece: Extract<OrderingPiece, { kind: 'forward' }>;
  readonly record: QueueRecord;
  readonly sequence: number;
}

/**
 * The ordering stage behind a standard queue: each record is split into items, and each item goes
 * to the relay's FIFO queue in its conversation's message group. Items of one group are sent in
 * (sortKey, arrival) order, one per SendMessageBatch round, so a group's order can never be mixed
 * up inside a call. When an item cannot be sent, its group stops for this batch, and its record
 * and every record holding a later item of that group are retried by SQS (items already sent are
 * dropped as duplicates by the FIFO queue). A malformed record or item is dead-lettered at once
 * with its reason; its valid siblings are forwarded.
 */
export function makeOrderingStageHandler(options: OrderingStageOptions) {
  const { telemetry } = options;
  const reject = async (record: QueueRecord, body: string, reason: string, detail: string) => {
    telemetry.count('RejectedRecords', { Reason: reason });
    telemetry.error('Record sent to the dead-letter queue', {
      sqsMessageId: record.messageId,
      reason,
      detail,
    });
    try {
      await options.rejectedRecords.reject({ body, reason, detail, sourceMessageId: record.messageId });
      return true;
    } catch {
      return false;
    }
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    try {
      const failed = new Set<string>();
      const groups = new Map<string, Pending[]>();
      let sequence = 0;
      for (const record of event.Records) {
        let pieces: readonly OrderingPiece[];
        try {
          pieces = options.split(record);
        } catch (error) {
          const malformed =
            error instanceof MalformedEventError
              ? error
              : new MalformedEventError(String(error), 'DecoderError');
          if (!(await reject(record, record.body, malformed.reason, malformed.message)))
            failed.add(record.messageId);
          continue;
        }
        for (const piece of pieces) {
          if (piece.kind === 'reject') {
            if (!(await reject(record, piece.body, piece.reason, piece.detail))) failed.add(record.messageId);
            continue;
          }
          const group = groups.get(piece.message.groupId) ?? [];
          group.push({ piece, record, sequence: sequence++ });
          groups.set(piece.message.groupId, group);
        }
      }
      const lanes = [...groups.values()].map((group) =>
        group.sort((a, b) => a.piece.sortKey - b.piece.sortKey || a.sequence - b.sequence),
      );
      await forwardInRounds(lanes, options, failed);
      return {
        batchItemFailures: event.Records.filter((record) => failed.has(record.messageId)).map((record) => ({
          itemIdentifier: record.messageId,
        })),
      };
    } finally {
      options.flush?.();
    }
  };
}

/** Round r sends the r-th item of every group still going; a group whose item failed stops. */
async function forwardInRounds(groups: Pending[][], options: OrderingStageOptions, failed: Set<string>) {
  const { telemetry } = options;
  for (let lanes = groups; lanes.length > 0; ) {
    const heads = lanes.map((lane) => lane[0]).filter((head): head is Pending => head !== undefined);
    const unsent = new Set(await options.queue.send(heads.map((head) => head.piece.message)));
    const next: Pending[][] = [];
    for (const lane of lanes) {
      const [head, ...rest] = lane;
      if (!head) continue;
      if (!unsent.has(head.piece.message)) {
        telemetry.count('ItemsOrdered');
        if (rest.length > 0) next.push(rest);
        continue;
      }
      telemetry.count('RelayFailures', { Reason: 'OrderedQueueUnavailable' });
      telemetry.warn('Item not forwarded; its conversation waits for its record to be retried', {
        ...head.piece.describe,
        heldBack: rest.length,
      });
      for (const pending of lane) failed.add(pending.record.messageId);
    }
    lanes = next;
  }
}
