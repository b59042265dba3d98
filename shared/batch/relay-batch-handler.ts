import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorName, PermanentDeliveryError, RetryableError } from '../domain/errors.js';
import type { RejectedRecordSink } from '../ports/rejected-record-sink.js';
import type { Telemetry } from '../ports/telemetry.js';
import { processOrderedBatch, type QueueRecord, type RejectedFailure } from './ordered-batch.js';

export interface RelayBatchHandlerOptions<Item> {
  readonly decode: (record: QueueRecord) => readonly Item[];
  readonly orderKey: (item: Item) => string;
  /** Absent behind a FIFO queue: its order is kept (see OrderedBatchHooks.sortKey). */
  readonly sortKey?: (item: Item) => number;
  readonly process: (item: Item) => Promise<unknown>;
  /** Log fields (masked, hashed) that identify an item for on-call. */
  readonly describe: (item: Item) => Record<string, unknown>;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  readonly concurrency: number;
  /** Called once per invocation after the batch, to flush metrics. */
  readonly flush?: () => void;
}

/**
 * The SQS handler both relay directions share: ordered partial-batch processing, malformed records
 * and permanent failures dead-lettered at once with their reason, everything else retried by SQS
 * (and dead-lettered by the redrive policy after the maximum receives). Each outcome is logged
 * with a reason and counted.
 */
export function makeRelayBatchHandler<Item>(options: RelayBatchHandlerOptions<Item>) {
  const { telemetry } = options;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    try {
      return await processOrderedBatch<Item>(event.Records, {
        concurrency: options.concurrency,
        decode: options.decode,
        orderKey: options.orderKey,
        ...(options.sortKey ? { sortKey: options.sortKey } : {}),
        process: async (item) => {
          await options.process(item);
        },
        isPermanent: (error) =>
          error instanceof PermanentDeliveryError
            ? { reason: error.reason, message: error.message }
            : undefined,
        reject: async (record, failure: RejectedFailure) => {
          telemetry.count('RejectedRecords', { Reason: failure.reason });
          telemetry.error('Record sent to the dead-letter queue', {
            sqsMessageId: record.messageId,
            // The FIFO group: the hashed conversation (inbound) or InitialContactId (outbound).
            ...(record.attributes?.MessageGroupId
              ? { messageGroupId: record.attributes.MessageGroupId }
              : {}),
            reason: failure.reason,
            detail: failure.message,
          });
          await options.rejectedRecords.reject({
            body: record.body,
            reason: failure.reason,
            detail: failure.message,
            sourceMessageId: record.messageId,
            ...(record.attributes?.MessageGroupId ? { groupId: record.attributes.MessageGroupId } : {}),
          });
        },
        onItemFailure: (item, error) => {
          const reason = error instanceof RetryableError ? error.reason : errorName(error);
          telemetry.count('RelayFailures', { Reason: reason });
          telemetry.warn('Item failed; its record will be retried', {
            ...options.describe(item),
            reason,
            error: error instanceof Error ? error.message : String(error),
          });
        },
        onItemSkipped: (item) =>
          telemetry.info('Held back behind a failed item of the same conversation', options.describe(item)),
      });
    } finally {
      options.flush?.();
    }
  };
}
