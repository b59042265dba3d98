import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { instanceParts } from './config/instance-arn.js';
import type { RelayConfig } from './config/relay-config.js';
import { AgentInitiatedTemplates, wabaArn } from './constructs/agent-initiated-templates.js';
import { ConversationTable } from './constructs/conversation-table.js';
import { monitorCustomerHealth } from './constructs/customer-health.js';
import { RelayEncryption } from './constructs/encryption.js';
import { WabaEventDestination } from './constructs/event-destination.js';
import { InboundRelay } from './constructs/inbound-relay.js';
import { InboundRoutingFlow } from './constructs/inbound-routing-flow.js';
import { MediaBucket } from './constructs/media-bucket.js';
import { Messaging } from './constructs/messaging.js';
import { RelayObservability } from './constructs/observability.js';
import { OutboundRelay } from './constructs/outbound-relay.js';
import { RedriveRole } from './constructs/queue-policies.js';
import { SavedQueries } from './constructs/saved-queries.js';
import { monitorTemplateFunctions } from './constructs/template-monitoring.js';
import { VoiceTranscription } from './constructs/voice-transcription.js';

export interface RelayStackProps extends StackProps {
  readonly config: RelayConfig;
}

/** The whole product in one stack: one construct per concern. */
export class WhatsAppRelayStack extends Stack {
  readonly messaging: Messaging;
  readonly conversations: ConversationTable;
  readonly inbound: InboundRelay;
  readonly outbound: OutboundRelay;
  readonly observability: RelayObservability;

  constructor(scope: Construct, id: string, props: RelayStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { instanceId } = instanceParts(config.connectInstanceArn);

    const encryption = new RelayEncryption(this, 'Encryption');
    this.messaging = new Messaging(this, 'Messaging', {
      key: encryption.key,
      connectInstanceArn: config.connectInstanceArn,
    });
    this.conversations = new ConversationTable(this, 'Conversations');
    this.observability = new RelayObservability(this, 'Observability', {
      key: encryption.key,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      ...(config.alarms.runbookUrl ? { runbookUrl: config.alarms.runbookUrl } : {}),
    });
    // The dashboard's headline comes first: are customers getting through, and how fast?
    monitorCustomerHealth(this.observability, config.alarms, config.businessNumbers);

    // The inbound flow numbers without one of their own start their chats in.
    const routing = new InboundRoutingFlow(this, 'InboundRouting', { config });
    // Agent-initiated templates (issue #5).
    const templates = new AgentInitiatedTemplates(this, 'AgentInitiatedTemplates', {
      config,
      conversations: this.conversations,
    });
    monitorTemplateFunctions(
      this.observability,
      [
        { name: 'CustomerData', serviceName: 'whatsapp-customer-data', fn: templates.customerDataFunction },
        { name: 'SendTemplate', serviceName: 'whatsapp-send-template', fn: templates.sendTemplateFunction },
      ],
      'whatsapp-send-template',
    );

    // Customer photos, documents and voice notes on their way into Connect as attachments.
    const media = new MediaBucket(this, 'Media');
    this.inbound = new InboundRelay(this, 'InboundRelay', {
      config: routing.inboundConfig,
      instanceId,
      key: encryption.key,
      inboundTopic: this.messaging.inboundTopic,
      streamingTopic: this.messaging.streamingTopic,
      conversations: this.conversations,
      media,
    });
    // Voice-note transcripts for the agent (issue 12): jobs started by the inbound function.
    new VoiceTranscription(this, 'VoiceTranscription', {
      businessNumbers: config.businessNumbers.map((number) => ({
        ...number,
        inboundFlowId: number.inboundFlowId ?? '',
      })),
      logRetentionDays: config.logRetentionDays,
      conversations: this.conversations,
      media,
      inbound: this.inbound.function,
    });
    this.observability.monitorRelay(
      'Inbound',
      'whatsapp-inbound',
      this.inbound.function,
      this.inbound.ordering.ordered,
    );
    this.observability.monitorRelay(
      'InboundOrdering',
      'whatsapp-inbound-ordering',
      this.inbound.ordering.function,
      this.inbound.queue,
    );

    this.outbound = new OutboundRelay(this, 'OutboundRelay', {
      config,
      key: encryption.key,
      streamingTopic: this.messaging.streamingTopic,
      conversations: this.conversations,
    });
    this.observability.monitorRelay(
      'Outbound',
      'whatsapp-outbound',
      this.outbound.function,
      this.outbound.ordering.ordered,
    );
    this.observability.monitorRelay(
      'OutboundOrdering',
      'whatsapp-outbound-ordering',
      this.outbound.ordering.function,
      this.outbound.queue,
    );

    // Logs Insights queries on-call runs by name (docs/operations.md), over every function's logs.
    new SavedQueries(
      this,
      'SavedQueries',
      [
        this.inbound.ordering.function,
        this.inbound.function,
        this.outbound.ordering.function,
        this.outbound.function,
        templates.customerDataFunction,
        templates.sendTemplateFunction,
      ].map((fn) => fn.logGroup),
    );

    // The queues refuse every sender but their own; operators redrive dead letters as this role.
    const redrive = new RedriveRole(this, 'Redrive');
    this.inbound.queue.admitRedrive(redrive);
    this.outbound.queue.admitRedrive(redrive);
    this.inbound.ordering.ordered.admitRedrive(redrive);
    this.outbound.ordering.ordered.admitRedrive(redrive);

    // The WABA's events go to the inbound topic from the first deploy on: no console step.
    new WabaEventDestination(this, 'WabaEventDestination', {
      wabaId: config.whatsAppBusinessAccountId,
      wabaArn: wabaArn(this, config.whatsAppBusinessAccountId),
      topic: this.messaging.inboundTopic,
      takeOver: config.takeOverEventDestination,
      logRetentionDays: config.logRetentionDays,
    });

    new CfnOutput(this, 'WhatsAppInboundTopicArn', {
      value: this.messaging.inboundTopic.topicArn,
      description: 'Set this as the WABA event destination in EUM Social',
    });
    new CfnOutput(this, 'ConnectStreamingTopicArn', { value: this.messaging.streamingTopic.topicArn });
    new CfnOutput(this, 'InboundDeadLetterQueueUrl', { value: this.inbound.queue.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'OutboundDeadLetterQueueUrl', {
      value: this.outbound.queue.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'RedriveRoleArn', {
      value: redrive.role.roleArn,
      description: 'Assume this role to redrive a dead-letter queue (docs/operations.md)',
    });
    new CfnOutput(this, 'InboundOrderedDeadLetterQueueUrl', {
      value: this.inbound.ordering.ordered.deadLetterQueue.queueUrl,
      description:
        'FIFO DLQ of the inbound relay: items that exhausted their retries, in their conversation group',
    });
    new CfnOutput(this, 'OutboundOrderedDeadLetterQueueUrl', {
      value: this.outbound.ordering.ordered.deadLetterQueue.queueUrl,
      description: 'FIFO DLQ of the outbound relay',
    });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}
