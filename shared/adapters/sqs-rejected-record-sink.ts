import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RejectedRecordSink } from '../ports/rejected-record-sink.js';

/**
 * Sends a record that can never be processed straight to the dead-letter queue, with the reason
 * as message attributes, instead of letting it fail N times first. Redrive puts it back. A FIFO
 * dead-letter queue (its name ends in `.fifo`) needs a MessageGroupId and, with content-based
 * deduplication off, a MessageDeduplicationId (botocore sqs SendMessageRequest): the record's own
 * group, so a redrive returns it to its conversation, and its source message id.
 */
export class SqsRejectedRecordSink implements RejectedRecordSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async reject(record: {
    body: string;
    reason: string;
    detail: string;
    sourceMessageId: string;
    groupId?: string;
  }): Promise<void> {
    const fifo = this.queueUrl.endsWith('.fifo');
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: record.body,
        ...(fifo
          ? {
              MessageGroupId: record.groupId ?? record.sourceMessageId,
              MessageDeduplicationId: `rejected-${record.sourceMessageId}`,
            }
          : {}),
        MessageAttributes: {
          RejectReason: { DataType: 'String', StringValue: record.reason },
          RejectDetail: { DataType: 'String', StringValue: record.detail.slice(0, 1000) },
          SourceMessageId: { DataType: 'String', StringValue: record.sourceMessageId },
        },
      }),
    );
  }
}
