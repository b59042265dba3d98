import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { RelayFunction } from './relay-function.js';
import { RelayQueue } from './relay-queue.js';

export interface OrderingStageProps {
  /** functions/<name>: `inbound-ordering` or `outbound-ordering`. */
  readonly functionName: string;
  readonly serviceName: string;
  readonly logRetentionDays: number;
  readonly key: kms.IKey;
  /** The standard queue SNS feeds (and its DLQ, where malformed records go with their reason). */
  readonly source: RelayQueue;
  /** The relay function's timeout: the FIFO queue's visibility timeout is six times it. */
  readonly relayTimeout: Duration;
}

/** The ordering stage's own timeout; the standard queue's visibility timeout is six times it. */
export const ORDERING_TIMEOUT = Duration.seconds(30);

/**
 * Per-conversation order behind a standard topic. EUM Social and Connect streaming publish only to
 * standard SNS topics, which keep no order, so a small function reads the standard queue and puts
 * each item into an SQS FIFO queue, in its conversation's message group; the relay reads the FIFO
 * queue. A failed item then holds back its own conversation, and nothing else.
 *
 * Its role may only: read its standard queue (the event source mapping's grant), send to its FIFO
 * queue and to its standard queue's DLQ (sqs:SendMessage, which also authorises SendMessageBatch),
 * and use the relay key for those sends (kms:GenerateDataKey and kms:Decrypt, what a producer to an
 * SSE-KMS queue needs: SQS developer guide, "Key management").
 */
export class OrderingStage extends Construct {
  readonly function: RelayFunction;
  /** The FIFO queue (and its FIFO DLQ) the relay function reads. */
  readonly ordered: RelayQueue;

  constructor(scope: Construct, id: string, props: OrderingStageProps) {
    super(scope, id);
    this.ordered = new RelayQueue(this, 'Fifo', {
      key: props.key,
      consumerTimeout: props.relayTimeout,
      fifo: true,
    });
    this.function = new RelayFunction(this, 'Function', {
      functionName: props.functionName,
      serviceName: props.serviceName,
      logRetentionDays: props.logRetentionDays,
      timeout: ORDERING_TIMEOUT,
      // It parses JSON and makes one SQS call per batch: the smallest memory that keeps init fast.
      memorySize: 256,
    });
    this.function.addEventSource(
      new SqsEventSource(props.source.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.function.bindOrderingQueues(this.ordered, props.source, props.key);
  }
}
