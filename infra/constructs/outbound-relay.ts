import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/environment-names.js';
import type { RelayConfig } from '../config/relay-config.js';
import { phoneNumberArn } from './arns.js';
import type { ConversationTable } from './conversation-table.js';
import { ORDERING_TIMEOUT, OrderingStage } from './ordering-stage.js';
import { SealedSqsSubscription } from './queue-policies.js';
import { RelayFunction } from './relay-function.js';
import { RelayQueue } from './relay-queue.js';
import { STREAMING_FILTER_POLICY } from './streaming-filter.js';

export interface OutboundRelayProps {
  readonly config: RelayConfig;
  readonly key: kms.IKey;
  readonly streamingTopic: sns.ITopic;
  readonly conversations: ConversationTable;
}

const FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Connect → WhatsApp: streaming topic → filtered subscription → queue (+DLQ) → ordering stage →
 * FIFO queue (+FIFO DLQ), one message group per chat (InitialContactId) → outbound function.
 */
export class OutboundRelay extends Construct {
  readonly function: RelayFunction;
  /** The standard queue the topic feeds. */
  readonly queue: RelayQueue;
  readonly ordering: OrderingStage;

  constructor(scope: Construct, id: string, props: OutboundRelayProps) {
    super(scope, id);
    const { config } = props;
    this.queue = new RelayQueue(this, 'Queue', {
      key: props.key,
      consumerTimeout: ORDERING_TIMEOUT,
    });
    props.streamingTopic.addSubscription(
      new SealedSqsSubscription(this.queue.queue, { filterPolicy: STREAMING_FILTER_POLICY }),
    );
    this.ordering = new OrderingStage(this, 'Ordering', {
      functionName: 'outbound-ordering',
      serviceName: 'whatsapp-outbound-ordering',
      logRetentionDays: config.logRetentionDays,
      key: props.key,
      source: this.queue,
      relayTimeout: FUNCTION_TIMEOUT,
    });

    this.function = new RelayFunction(this, 'Function', {
      functionName: 'outbound',
      serviceName: 'whatsapp-outbound',
      logRetentionDays: config.logRetentionDays,
      timeout: FUNCTION_TIMEOUT,
    });
    this.function.addEventSource(
      new SqsEventSource(this.ordering.ordered.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.function
      .bindConversationTable(props.conversations)
      // Malformed records and refused sends go straight to the DLQ with their reason.
      .bindDeadLetterQueue(this.ordering.ordered)
      // Which agent joined a chat: the conversation's last agent (preferred-agent routing).
      .bindContactDescriptions(config.connectInstanceArn)
      .configure({
        [ENV.metaApiVersion]: config.metaApiVersion,
        [ENV.conversationTtlDays]: String(config.conversationTtlDays),
        // A send-once claim must outlive the invocation holding it.
        [ENV.sendLeaseSeconds]: String(FUNCTION_TIMEOUT.toSeconds() * 2),
        [ENV.agentJoinedMessage]: config.agentJoinedMessage,
        [ENV.chatEndedMessage]: config.chatEndedMessage,
        [ENV.listButtonLabel]: config.listButtonLabel,
      });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendFromConfiguredNumbersOnly',
        actions: ['social-messaging:SendWhatsAppMessage'],
        resources: config.businessNumbers.map((number) => phoneNumberArn(this, number.phoneNumberId)),
      }),
    );
  }
}
