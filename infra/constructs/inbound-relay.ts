import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ResolvedRelayConfig } from '../config/relay-config.js';
import { contactFlowArn, contactsArn } from './arns.js';
import type { ConversationTable } from './conversation-table.js';
import { ORDERING_TIMEOUT, OrderingStage } from './ordering-stage.js';
import { SealedSqsSubscription } from './queue-policies.js';
import { acknowledgeFindings, RelayFunction } from './relay-function.js';
import { RelayQueue } from './relay-queue.js';

export interface InboundRelayProps {
  readonly config: ResolvedRelayConfig;
  readonly instanceId: string;
  readonly key: kms.IKey;
  readonly inboundTopic: sns.ITopic;
  readonly streamingTopic: sns.ITopic;
  readonly conversations: ConversationTable;
}

const FUNCTION_TIMEOUT = Duration.seconds(30);
// A chat-start lease must outlive the invocation that holds it, so a live starter is never overtaken.
const CHAT_START_LEASE = Duration.seconds(40);

/**
 * WhatsApp → Connect: inbound topic → queue (+DLQ) → ordering stage → FIFO queue (+FIFO DLQ), one
 * message group per conversation → inbound function.
 */
export class InboundRelay extends Construct {
  readonly function: RelayFunction;
  /** The standard queue the topic feeds. */
  readonly queue: RelayQueue;
  readonly ordering: OrderingStage;

  constructor(scope: Construct, id: string, props: InboundRelayProps) {
    super(scope, id);
    const { config } = props;
    this.queue = new RelayQueue(this, 'Queue', {
      key: props.key,
      consumerTimeout: ORDERING_TIMEOUT,
    });
    props.inboundTopic.addSubscription(new SealedSqsSubscription(this.queue.queue));
    this.ordering = new OrderingStage(this, 'Ordering', {
      functionName: 'inbound-ordering',
      serviceName: 'whatsapp-inbound-ordering',
      logRetentionDays: config.logRetentionDays,
      key: props.key,
      source: this.queue,
      relayTimeout: FUNCTION_TIMEOUT,
    });

    this.function = new RelayFunction(this, 'Function', {
      functionName: 'inbound',
      serviceName: 'whatsapp-inbound',
      logRetentionDays: config.logRetentionDays,
      timeout: FUNCTION_TIMEOUT,
      environment: {
        CONVERSATION_TABLE_NAME: props.conversations.table.tableName,
        CONNECT_INSTANCE_ID: props.instanceId,
        STREAMING_TOPIC_ARN: props.streamingTopic.topicArn,
        BUSINESS_NUMBERS: JSON.stringify(config.businessNumbers),
        DEAD_LETTER_QUEUE_URL: this.ordering.ordered.deadLetterQueue.queueUrl,
        CHAT_DURATION_MINUTES: String(config.chatDurationMinutes),
        CONVERSATION_TTL_DAYS: String(config.conversationTtlDays),
        CHAT_START_LEASE_MS: String(CHAT_START_LEASE.toMilliseconds()),
      },
    });
    this.function.addEventSource(
      new SqsEventSource(this.ordering.ordered.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );

    props.conversations.grantRelayAccess(this.function);
    // Malformed records and refused sends go straight to the DLQ with their reason.
    this.ordering.ordered.grantDeadLettering(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StartChatsInConfiguredFlowsOnly',
        actions: ['connect:StartChatContact'],
        resources: [
          config.connectInstanceArn,
          ...config.businessNumbers.map((number) =>
            contactFlowArn(config.connectInstanceArn, number.inboundFlowId),
          ),
        ],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StreamChatsOfThisInstance',
        actions: ['connect:StartContactStreaming'],
        resources: [config.connectInstanceArn, contactsArn(config.connectInstanceArn)],
      }),
    );
    acknowledgeFindings(this.function.role ?? this, {
      [`AwsSolutions-IAM5[Resource::${contactsArn(config.connectInstanceArn)}]`]:
        'Contacts are created at run time; streaming is limited to contacts of the configured instance.',
    });
  }
}
