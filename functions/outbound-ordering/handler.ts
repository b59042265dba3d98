import { makeOrderingStageHandler } from '../../shared/batch/ordering-stage.js';
import { decodeStreamingRecord } from '../../shared/decoders/connect-streaming-decoder.js';
import { fifoId } from '../../shared/domain/tokens.js';
import type { OrderedQueue } from '../../shared/ports/ordered-queue.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';

/** What the outbound ordering stage needs; built once in index.ts, or by a test. */
export interface OutboundOrderingDependencies {
  readonly queue: OrderedQueue;
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  readonly flush?: () => void;
}

/**
 * SQS (← SNS ← Connect chat streaming) → the outbound relay's FIFO queue. Each chat item goes, body
 * unchanged, into the group of its chat: `InitialContactId`, which stays the same across transfers.
 * Its deduplication id is Connect's item id. A record that is not a chat item is dead-lettered here.
 */
export function makeHandler(deps: OutboundOrderingDependencies) {
  return makeOrderingStageHandler({
    split: (record) => {
      const item = decodeStreamingRecord(record.body);
      return [
        {
          kind: 'forward',
          message: {
            groupId: fifoId(item.initialContactId),
            deduplicationId: fifoId(item.id),
            body: record.body,
          },
          sortKey: item.absoluteTime,
          describe: {
            connectItemId: item.id,
            initialContactId: item.initialContactId,
            contentType: item.contentType,
          },
        },
      ];
    },
    queue: deps.queue,
    rejectedRecords: deps.rejectedRecords,
    telemetry: deps.telemetry,
    ...(deps.flush ? { flush: deps.flush } : {}),
  });
}
