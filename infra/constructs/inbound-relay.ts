import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/environment-names.js';
import type { ResolvedRelayConfig } from '../config/relay-config.js';
import { contactFlowArn, contactsArn } from './arns.js';
import { grantVoiceCallbacks } from './callback-permissions.js';
import type { ConversationTable } from './conversation-table.js';
import type { MediaBucket } from './media-bucket.js';
import { acknowledgeFindings } from './nag-findings.js';
import { ORDERING_TIMEOUT, OrderingStage } from './ordering-stage.js';
import { SealedSqsSubscription } from './queue-policies.js';
import { RelayFunction } from './relay-function.js';
import { RelayQueue } from './relay-queue.js';

export interface InboundRelayProps {
  readonly config: ResolvedRelayConfig;
  readonly instanceId: string;
  readonly key: kms.IKey;
  readonly inboundTopic: sns.ITopic;
  readonly streamingTopic: sns.ITopic;
  readonly conversations: ConversationTable;
  /** Where customers' media is copied on its way into Connect. */
  readonly media: MediaBucket;
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
    });
    this.function.addEventSource(
      new SqsEventSource(this.ordering.ordered.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );

    this.function
      .bindConversationTable(props.conversations)
      // Malformed records and refused sends go straight to the DLQ with their reason.
      .bindDeadLetterQueue(this.ordering.ordered)
      .bindStreamingTopic(props.streamingTopic)
      .bindMediaBucket(props.media, config.businessNumbers)
      .configure({
        [ENV.connectInstanceId]: props.instanceId,
        [ENV.businessNumbers]: JSON.stringify(config.businessNumbers),
        [ENV.chatDurationMinutes]: String(config.chatDurationMinutes),
        [ENV.conversationTtlDays]: String(config.conversationTtlDays),
        [ENV.chatStartLeaseMs]: String(CHAT_START_LEASE.toMilliseconds()),
        // The callback's WhatsApp replies.
        [ENV.metaApiVersion]: config.metaApiVersion,
      });
    grantVoiceCallbacks(this.function, config.connectInstanceArn, config.businessNumbers);
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
