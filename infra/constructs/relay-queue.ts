import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface RelayQueueProps {
  readonly key: kms.IKey;
  /** Must be at least the consuming function's timeout; AWS recommends six times it. */
  readonly visibilityTimeout: Duration;
  /** Receives before a record is dead-lettered. */
  readonly maxReceiveCount: number;
}

/**
 * A work queue with its dead-letter queue: KMS-encrypted, TLS-only, and with a DLQ that keeps
 * messages for the maximum 14 days so on-call has time to fix and redrive.
 */
export class RelayQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RelayQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      // Reuse data keys for 5 minutes: fewer KMS calls per message.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
