import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { primeRequestPipelines } from '../../shared/adapters/priming.js';
import { SqsOrderedQueue } from '../../shared/adapters/sqs-ordered-queue.js';
import { SqsRejectedRecordSink } from '../../shared/adapters/sqs-rejected-record-sink.js';
import { throttleBackoff } from '../../shared/adapters/throttle-backoff.js';
import { InvocationDeadline } from '../../shared/batch/invocation-deadline.js';
import { loadOrderingConfig } from '../../shared/config/ordering-config.js';
import { decodeStreamingRecord } from '../../shared/decoders/connect-streaming-decoder.js';
import { PRIMING_STREAMING_BODY } from '../../shared/decoders/priming-samples.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration and clients are built once per container and reused.
const config = loadOrderingConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-outbound-ordering');
const sqs = new SQSClient({ maxAttempts: 3, retryMode: 'standard' });
// Failed sends are retried in place (deduplication ids make that safe), never past the deadline.
const invocationDeadline = new InvocationDeadline();

const orderingHandler = makeHandler({
  queue: new SqsOrderedQueue(sqs, config.ORDERED_QUEUE_URL, throttleBackoff(invocationDeadline.get)),
  rejectedRecords: new SqsRejectedRecordSink(sqs, config.DEAD_LETTER_QUEUE_URL),
  telemetry,
  flush: flushMetrics,
});

/** The Lambda entry: notes this invocation's deadline, then forwards the batch. */
export const handler = invocationDeadline.wrap(orderingHandler);

// Init-time priming (see primeRequestPipelines): the first record of a container then costs what
// every later one does.
decodeStreamingRecord(PRIMING_STREAMING_BODY);
await primeRequestPipelines([
  (abortSignal) =>
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: config.ORDERED_QUEUE_URL,
        Entries: [
          { Id: '0', MessageBody: 'priming', MessageGroupId: 'priming', MessageDeduplicationId: 'priming' },
        ],
      }),
      { abortSignal },
    ),
]);
