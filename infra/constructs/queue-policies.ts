import { Lazy, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeFindings } from './nag-findings.js';

const SEALS = new WeakMap<sqs.IQueue, QueueSeal>();

/**
 * An explicit Deny on a queue for every sender but the ones admitted: the topics subscribed to
 * it (matched on `aws:SourceArn`, which only AWS services set) and named IAM roles (matched on
 * `aws:PrincipalArn`: the ordering stage, the functions that dead-letter, the redrive role).
 *
 * IAM condition operators: several keys in one block are ANDed, and a negated operator on a key
 * the request lacks is true (IAM user guide, reference_policies_elements_condition_operators). So
 * the Deny applies unless the request comes from an admitted topic or an admitted role. A queue
 * that admits nobody fails the synth, so no queue is ever sealed shut by accident.
 */
export class QueueSeal {
  private readonly sourceArns: string[] = [];
  private readonly roleArns: string[] = [];

  /** The seal of `queue`, created (with its Deny statement) on first use. */
  static of(queue: sqs.IQueue): QueueSeal {
    const existing = SEALS.get(queue);
    if (existing) return existing;
    const seal = new QueueSeal(queue);
    SEALS.set(queue, seal);
    return seal;
  }

  private constructor(private readonly queue: sqs.IQueue) {
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenySendingByAnyoneButTheAdmittedSenders',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnNotEquals: Lazy.any({ produce: () => this.condition() }) },
      }),
    );
  }

  /** Lets SNS deliver from `topic` to this queue (and nobody else by way of SNS). */
  admitTopic(topic: sns.ITopic): this {
    this.sourceArns.push(topic.topicArn);
    return this;
  }

  /**
   * Lets the queue that dead-letters into this one move messages here. SQS's own redrive is not
   * documented to pass through the queue policy; if it does, its source is that queue.
   */
  admitDeadLettersFrom(queue: sqs.IQueue): this {
    this.sourceArns.push(queue.queueArn);
    return this;
  }

  /** Lets `role` (a function's or the ordering stage's) send to this queue. */
  admitRole(role: iam.IRole): this {
    this.roleArns.push(role.roleArn);
    return this;
  }

  private condition(): Record<string, string[]> {
    if (this.sourceArns.length === 0 && this.roleArns.length === 0) {
      throw new Error(
        `Queue ${this.queue.node.path} admits no sender: call QueueSeal.of(queue).admitTopic() or .admitRole()`,
      );
    }
    return {
      ...(this.sourceArns.length > 0 ? { 'aws:SourceArn': this.sourceArns } : {}),
      ...(this.roleArns.length > 0 ? { 'aws:PrincipalArn': this.roleArns } : {}),
    };
  }
}

export interface SealedSqsSubscriptionProps {
  readonly filterPolicy?: Record<string, unknown>;
}

/**
 * Subscribes a queue to a topic like CDK's SqsSubscription (the queue policy admits SNS for this
 * topic only), and seals the queue to that topic. Unlike SqsSubscription it adds no key-policy
 * statement: CDK's is unconditioned, and the relay key already admits SNS for this account's
 * topics only (RelayEncryption). Its filter policy is set as raw JSON, because `$or` with
 * `exists: false` has no L2 filter helper.
 */
export class SealedSqsSubscription implements sns.ITopicSubscription {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly props: SealedSqsSubscriptionProps = {},
  ) {}

  bind(topic: sns.ITopic): sns.TopicSubscriptionConfig {
    // The statement CDK's SqsSubscription adds (SNS "Fanout to Amazon SQS queues": the queue
    // policy must let sns.amazonaws.com SendMessage, with aws:SourceArn the topic).
    const dependable = this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
      }),
    ).policyDependable;
    QueueSeal.of(this.queue).admitTopic(topic);
    return {
      subscriberScope: this.queue,
      subscriberId: Names.nodeUniqueId(topic.node),
      endpoint: this.queue.queueArn,
      protocol: sns.SubscriptionProtocol.SQS,
      ...(this.props.filterPolicy ? { filterPolicy: rawFilterPolicy(this.props.filterPolicy) } : {}),
      ...(dependable ? { subscriptionDependency: dependable } : {}),
    };
  }
}

/** The filter policy handed through unchanged (CfnSubscription takes any JSON). */
function rawFilterPolicy(policy: Record<string, unknown>): Record<string, sns.SubscriptionFilter> {
  return Object.fromEntries(
    Object.entries(policy).map(([name, value]) => [name, new sns.SubscriptionFilter(value as unknown[])]),
  );
}

/**
 * The one principal, besides the relay itself, that may put messages back on the relay's
 * queues: `aws sqs start-message-move-task` sends each message to the destination queue as the
 * caller, so the queue's Deny has to admit whoever redrives. Operators assume this role to redrive
 * (docs/operations.md, "Redrive a dead-letter queue"); it can read the dead-letter queues and send to the work queues, nothing else.
 */
export class RedriveRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: IConstruct, id: string) {
    super(scope as Construct, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Redrives the ${Stack.of(this).stackName} dead-letter queues back into the relay`,
    });
    acknowledgeFindings(this.role, {
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
        'Granted by CDK for sending to the KMS-encrypted work queues, on the relay key only.',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]':
        'Granted by CDK for sending to the KMS-encrypted work queues, on the relay key only.',
    });
  }

  /** Lets the role move messages from `deadLetterQueue` back into `queue`, through its seal. */
  admit(queue: sqs.IQueue, deadLetterQueue: sqs.IQueue): void {
    deadLetterQueue.grantConsumeMessages(this.role);
    deadLetterQueue.grant(
      this.role,
      'sqs:StartMessageMoveTask',
      'sqs:ListMessageMoveTasks',
      'sqs:CancelMessageMoveTask',
    );
    queue.grantSendMessages(this.role);
    QueueSeal.of(queue).admitRole(this.role);
  }
}
