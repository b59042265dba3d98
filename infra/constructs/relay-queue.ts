import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFindings } from './nag-findings.js';
import { QueueSeal, type RedriveRole } from './queue-policies.js';

export interface RelayQueueProps {
  readonly key: kms.IKey;
  /** The consuming function's timeout; the visibility timeout is six times it, as AWS recommends. */
  readonly consumerTimeout: Duration;
  /** Receives before a record is dead-lettered. */
  readonly maxReceiveCount?: number;
  /**
   * An SQS FIFO queue, with a FIFO dead-letter queue (a FIFO queue's DLQ must be FIFO too: SQS
   * developer guide, "Using dead-letter queues"). Content-based deduplication is off: every
   * sender gives an explicit MessageDeduplicationId.
   */
  readonly fifo?: boolean;
}

/**
 * A work queue with its dead-letter queue: KMS-encrypted, TLS-only, and with a DLQ that keeps
 * messages for the maximum 14 days so on-call has time to fix and redrive. Standard, or FIFO.
 * Both are sealed (QueueSeal): only the senders admitted to each may send to it.
 */
export class RelayQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RelayQueueProps) {
    super(scope, id);
    const fifo = props.fifo
      ? {
          fifo: true,
          contentBasedDeduplication: false,
          // High-throughput FIFO: throughput and deduplication per message group (one group per
          // conversation), so one busy conversation never slows the others.
          deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
          fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
        }
      : {};
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...(props.fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...fifo,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      // Reuse data keys for 5 minutes: fewer KMS calls per message.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    QueueSeal.of(this.queue);
    QueueSeal.of(this.deadLetterQueue).admitDeadLettersFrom(this.queue);
  }

  /** Lets operators who assume the redrive role move dead letters back into the work queue. */
  admitRedrive(redrive: RedriveRole): void {
    redrive.admit(this.queue, this.deadLetterQueue);
  }

  /** Lets a function dead-letter records it can never process (with their reason). */
  grantDeadLettering(fn: lambda.IFunction): void {
    this.deadLetterQueue.grantSendMessages(fn);
    if (fn.role) QueueSeal.of(this.deadLetterQueue).admitRole(fn.role);
    acknowledgeFindings(fn.role ?? this, {
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
        'Granted by CDK for sending to the KMS-encrypted dead-letter queue, on that one key only.',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]':
        'Granted by CDK for sending to the KMS-encrypted dead-letter queue, on that one key only.',
    });
  }
}
