import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import { type Deployment, outputOf, type REQUIRED_OUTPUTS } from '../deployment.js';

const QUEUES: readonly { output: keyof typeof REQUIRED_OUTPUTS; label: string; redriveTo: string }[] = [
  { output: 'inboundDeadLetterQueueUrl', label: 'inbound', redriveTo: 'the inbound queue' },
  { output: 'inboundOrderedDeadLetterQueueUrl', label: 'inbound FIFO', redriveTo: 'the inbound FIFO queue' },
  { output: 'outboundDeadLetterQueueUrl', label: 'outbound', redriveTo: 'the outbound queue' },
  {
    output: 'outboundOrderedDeadLetterQueueUrl',
    label: 'outbound FIFO',
    redriveTo: 'the outbound FIFO queue',
  },
];

/** The message attributes the relay dead-letters a record with (shared/adapters/sqs-rejected-record-sink.ts). */
const REASON_ATTRIBUTES = ['RejectReason', 'RejectDetail'];

/** How many messages the doctor looks at for their reasons (ReceiveMessage allows 1–10). */
const PEEK = 10;

/**
 * Each DLQ is empty, or says how many records it holds and why (GetQueueAttributes
 * `ApproximateNumberOfMessages`, `QueueArn`). The reasons are peeked without taking anything:
 * ReceiveMessage with VisibilityTimeout 0 leaves each message visible at once and nothing is
 * deleted (botocore sqs: "If not specified, the default visibility timeout for the queue is used").
 * A record that exhausted its retries has no RejectReason.
 */
export async function checkDeadLetters(
  sqs: SQSClient,
  deployment: Deployment,
): Promise<readonly CheckLine[]> {
  const lines: CheckLine[] = [];
  for (const queue of QUEUES) {
    const url = outputOf(deployment, queue.output);
    const title = `The ${queue.label} dead-letter queue is empty`;
    lines.push(
      ...(await readOrFail(
        title,
        'sqs:GetQueueAttributes, sqs:ReceiveMessage and kms:Decrypt on the relay key',
        async () => {
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn'],
            }),
          );
          const count = Number(Attributes?.ApproximateNumberOfMessages ?? '0');
          if (count === 0) return pass(title);
          const reasons = await peekReasons(sqs, url);
          const destination = (await sourceQueueArn(sqs, url)) ?? `<ARN of ${queue.redriveTo}>`;
          return fail(
            title,
            `${count} record${count === 1 ? '' : 's'}; of the ${reasons.seen} looked at: ${reasons.summary}`,
            `Read the reasons (README → Operations → Dead-letter queues and redrive), fix the cause, then as the stack's RedriveRoleArn: aws sqs start-message-move-task --source-arn ${Attributes?.QueueArn ?? url} --destination-arn ${destination}.`,
          );
        },
      )),
    );
  }
  return lines;
}

/**
 * The queue whose redrive policy names this DLQ (ListDeadLetterSourceQueues → `queueUrls`), as an
 * ARN: where a redrive sends the records back. Undefined when no queue names it.
 */
async function sourceQueueArn(sqs: SQSClient, url: string): Promise<string | undefined> {
  const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url }));
  const source = queueUrls?.[0];
  if (!source) return undefined;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: source, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn;
}

async function peekReasons(sqs: SQSClient, url: string): Promise<{ seen: number; summary: string }> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: PEEK,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageAttributeNames: REASON_ATTRIBUTES,
    }),
  );
  const counts = new Map<string, number>();
  for (const message of Messages ?? []) {
    const reason =
      message.MessageAttributes?.RejectReason?.StringValue ?? 'retries exhausted (no RejectReason)';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const summary = [...counts].map(([reason, n]) => `${n} × ${reason}`).join(', ');
  return { seen: Messages?.length ?? 0, summary: summary || 'none received yet (they may be in flight)' };
}
