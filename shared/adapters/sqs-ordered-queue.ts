import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OrderedMessage, OrderedQueue } from '../ports/ordered-queue.js';
import { retryWhileTransient, type ThrottleBackoff } from './throttle-backoff.js';

/** SendMessageBatch takes at most 10 entries (SQS API reference, SendMessageBatch). */
const BATCH_LIMIT = 10;

/**
 * Sends to an SQS FIFO queue with SendMessageBatch. Every entry carries an explicit
 * MessageDeduplicationId, so repeating a send (after a timeout, a 5xx, or a whole record's retry)
 * is safe: FIFO queues drop a message whose deduplication id was sent in the last 5 minutes
 * (SQS developer guide, "Exactly-once processing"). So transient failures, of the call or of
 * single entries (`SenderFault` false), are retried in place until the invocation's deadline.
 */
export class SqsOrderedQueue implements OrderedQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly backoff: ThrottleBackoff,
  ) {}

  async send(messages: readonly OrderedMessage[]): Promise<readonly OrderedMessage[]> {
    const failed: OrderedMessage[] = [];
    for (let start = 0; start < messages.length; start += BATCH_LIMIT) {
      failed.push(...(await this.sendChunk(messages.slice(start, start + BATCH_LIMIT))));
    }
    return failed;
  }

  private async sendChunk(chunk: readonly OrderedMessage[]): Promise<OrderedMessage[]> {
    let pending = chunk;
    let refused: OrderedMessage[] = [];
    try {
      await retryWhileTransient(async () => {
        const output = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: pending.map((message, index) => ({
              Id: String(index),
              MessageBody: message.body,
              MessageGroupId: message.groupId,
              MessageDeduplicationId: message.deduplicationId,
            })),
          }),
        );
        const failures = output.Failed ?? [];
        const entryOf = (id: string | undefined) => pending[Number(id)];
        // A sender fault (a malformed entry) fails the same way every time: no retry in place.
        refused = refused.concat(
          failures.filter((failure) => failure.SenderFault).flatMap((failure) => entryOf(failure.Id) ?? []),
        );
        pending = failures
          .filter((failure) => !failure.SenderFault)
          .flatMap((failure) => entryOf(failure.Id) ?? []);
        if (pending.length > 0) {
          throw Object.assign(new Error(`${pending.length} entries failed on the server side`), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        }
      }, this.backoff);
      return refused;
    } catch {
      return [...refused, ...pending];
    }
  }
}
