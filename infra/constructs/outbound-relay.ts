import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { RelayConfig } from '../config/relay-config.js';
import { phoneNumberArn } from './arns.js';
import type { ConversationTable } from './conversation-table.js';
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

/** Connect → WhatsApp: streaming topic → filtered subscription → queue (+DLQ) → outbound function. */
export class OutboundRelay extends Construct {
  readonly function: RelayFunction;
  readonly queue: RelayQueue;

  constructor(scope: Construct, id: string, props: OutboundRelayProps) {
    super(scope, id);
    const { config } = props;
    this.queue = new RelayQueue(this, 'Queue', {
      key: props.key,
      consumerTimeout: FUNCTION_TIMEOUT,
    });
    props.streamingTopic.addSubscription(
      new SealedSqsSubscription(this.queue.queue, { filterPolicy: STREAMING_FILTER_POLICY }),
    );

    this.function = new RelayFunction(this, 'Function', {
      functionName: 'outbound',
      serviceName: 'whatsapp-outbound',
      logRetentionDays: config.logRetentionDays,
      timeout: FUNCTION_TIMEOUT,
      environment: {
        CONVERSATION_TABLE_NAME: props.conversations.table.tableName,
        DEAD_LETTER_QUEUE_URL: this.queue.deadLetterQueue.queueUrl,
        META_API_VERSION: config.metaApiVersion,
        CONVERSATION_TTL_DAYS: String(config.conversationTtlDays),
        // A send-once claim must outlive the invocation holding it.
        SEND_LEASE_SECONDS: String(FUNCTION_TIMEOUT.toSeconds() * 2),
        ...(config.agentJoinedMessage ? { AGENT_JOINED_MESSAGE: config.agentJoinedMessage } : {}),
        ...(config.chatEndedMessage ? { CHAT_ENDED_MESSAGE: config.chatEndedMessage } : {}),
        ...(config.listButtonLabel ? { LIST_BUTTON_LABEL: config.listButtonLabel } : {}),
      },
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    props.conversations.grantRelayAccess(this.function);
    // Malformed records and refused sends go straight to the DLQ with their reason.
    this.queue.grantDeadLettering(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendFromConfiguredNumbersOnly',
        actions: ['social-messaging:SendWhatsAppMessage'],
        resources: config.businessNumbers.map((number) => phoneNumberArn(this, number.phoneNumberId)),
      }),
    );
  }
}
