import { makeRelayBatchHandler } from '../../shared/batch/relay-batch-handler.js';
import { decodeStreamingRecord } from '../../shared/decoders/connect-streaming-decoder.js';
import type { StreamingItem } from '../../shared/domain/streaming-item.js';
import type { RejectedRecordSink } from '../../shared/ports/rejected-record-sink.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';

/** What the outbound handler needs; built once in index.ts, or by a test. */
export interface OutboundHandlerDependencies {
  readonly relayItem: { execute(item: StreamingItem): Promise<unknown> };
  readonly rejectedRecords: RejectedRecordSink;
  readonly telemetry: Telemetry;
  readonly concurrency: number;
  readonly flush?: () => void;
}

/** SQS FIFO (← ordering stage ← SNS ← Connect chat streaming) → WhatsApp, in order per chat. */
export function makeHandler(deps: OutboundHandlerDependencies) {
  return makeRelayBatchHandler<StreamingItem>({
    decode: (record) => [decodeStreamingRecord(record.body)],
    // InitialContactId stays the same across transfers: one chat, one order. It is also the FIFO
    // message group, whose order is kept (the ordering stage sorted by AbsoluteTime).
    orderKey: (item) => item.initialContactId,
    process: (item) => deps.relayItem.execute(item),
    describe: (item) => ({
      connectItemId: item.id,
      contactId: item.contactId,
      initialContactId: item.initialContactId,
      contentType: item.contentType,
      participantRole: item.participantRole,
    }),
    rejectedRecords: deps.rejectedRecords,
    telemetry: deps.telemetry,
    concurrency: deps.concurrency,
    ...(deps.flush ? { flush: deps.flush } : {}),
  });
}
