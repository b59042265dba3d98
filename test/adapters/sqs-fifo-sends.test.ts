import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsOrderedQueue } from '../../shared/adapters/sqs-ordered-queue.js';
import { SqsRejectedRecordSink } from '../../shared/adapters/sqs-rejected-record-sink.js';
import type { ThrottleBackoff } from '../../shared/adapters/throttle-backoff.js';

const FIFO_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/relay-ordered.fifo';
const FIFO_DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/relay-ordered-dlq.fifo';

/** Backoff without real sleeps, with a deadline far away. */
const backoff: ThrottleBackoff = {
  baseMs: 1,
  capMs: 1,
  deadline: () => Date.now() + 60_000,
  now: Date.now,
  sleep: async () => undefined,
  random: () => 0.5,
};

describe('SQS FIFO sends', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());

  it('sends with explicit group and deduplication ids, retries what SQS failed on its side, and gives back what it refused as the sender’s fault', async () => {
    // Prepare
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [],
        Failed: [
          { Id: '0', SenderFault: false, Code: 'InternalError' },
          { Id: '1', SenderFault: true, Code: 'InvalidParameterValue' },
        ],
      })
      .resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }], Failed: [] });
    const queue = new SqsOrderedQueue(new SQSClient({}), FIFO_URL, backoff);
    const first = { groupId: 'conversation-a', deduplicationId: 'message#wamid.1', body: '{"a":1}' };
    const second = { groupId: 'conversation-b', deduplicationId: 'message#wamid.2', body: '{"b":2}' };

    // Act
    const unsent = await queue.send([first, second]);

    // Assess
    expect(unsent).toEqual([second]);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 1, {
      QueueUrl: FIFO_URL,
      Entries: [
        {
          Id: '0',
          MessageBody: '{"a":1}',
          MessageGroupId: 'conversation-a',
          MessageDeduplicationId: 'message#wamid.1',
        },
        {
          Id: '1',
          MessageBody: '{"b":2}',
          MessageGroupId: 'conversation-b',
          MessageDeduplicationId: 'message#wamid.2',
        },
      ],
    });
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 2, {
      Entries: [expect.objectContaining({ MessageDeduplicationId: 'message#wamid.1' })],
    });
  });

  it('puts a record the relay rejects back in its own conversation group on a FIFO dead-letter queue', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const sink = new SqsRejectedRecordSink(new SQSClient({}), FIFO_DLQ_URL);

    // Act
    await sink.reject({
      body: '{}',
      reason: 'ChatStartRefused',
      detail: 'Connect refused the flow',
      sourceMessageId: 'b6f3c1d2-0000-4000-8000-000000000001',
      groupId: 'conversation-a',
    });

    // Assess
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: FIFO_DLQ_URL,
      MessageGroupId: 'conversation-a',
      MessageDeduplicationId: 'rejected-b6f3c1d2-0000-4000-8000-000000000001',
    });
  });
});
