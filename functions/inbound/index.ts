import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectParticipantClient } from '@aws-sdk/client-connectparticipant';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConnectChatAttachments } from '../../shared/adapters/connect-chat-attachments.js';
import { ConnectChatService } from '../../shared/adapters/connect-chat-service.js';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb-conversation-store.js';
import { EumS3MediaSource } from '../../shared/adapters/eum-s3-media-source.js';
import { OggOpusWavConverter } from '../../shared/adapters/ogg-opus-wav-converter.js';
import { SqsRejectedRecordSink } from '../../shared/adapters/sqs-rejected-record-sink.js';
import { loadInboundConfig } from '../../shared/config/inbound-config.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { AttachCustomerMedia } from '../../shared/use-cases/attach-customer-media.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { RelayDeliveryStatus } from '../../shared/use-cases/relay-delivery-status.js';
import { RelayInboundMessage } from '../../shared/use-cases/relay-inbound-message.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration and clients are built once per container and reused.
const config = loadInboundConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-inbound');
// Standard retry mode backs off on throttling and 5xx before SQS redelivery takes over.
const clientOptions = { maxAttempts: 3, retryMode: 'standard' } as const;

const store = new DynamoDbConversationStore(new DynamoDBClient(clientOptions), {
  tableName: config.CONVERSATION_TABLE_NAME,
  conversationTtlDays: config.CONVERSATION_TTL_DAYS,
  ledgerTtlDays: config.LEDGER_TTL_DAYS,
  now: Date.now,
});
const participant = new ConnectParticipantClient(clientOptions);
const chat = new ConnectChatService(new ConnectClient(clientOptions), participant, {
  instanceId: config.CONNECT_INSTANCE_ID,
  streamingTopicArn: config.STREAMING_TOPIC_ARN,
});
const customerConnection = new CustomerConnection({
  chat,
  conversations: store,
  telemetry,
  now: Date.now,
  refreshMarginMs: 60_000,
});
const flows = new Map(config.BUSINESS_NUMBERS.map((number) => [number.phoneNumberId, number.inboundFlowId]));

export const handler = makeHandler({
  relayMessage: new RelayInboundMessage({
    conversations: store,
    ledger: store,
    chat,
    attachMedia: new AttachCustomerMedia({
      media: new EumS3MediaSource(new SocialMessagingClient(clientOptions), new S3Client(clientOptions), {
        bucketName: config.MEDIA_BUCKET_NAME,
      }),
      // Global fetch, looked up per call: Node 22 has it, and tests can stand in for Connect's URL.
      attachments: new ConnectChatAttachments(participant, (url, init) => fetch(url, init)),
      voice: new OggOpusWavConverter(),
      telemetry,
    }),
    telemetry,
    settings: {
      chatDurationMinutes: config.CHAT_DURATION_MINUTES,
      inboundFlowFor: (phoneNumberId) => flows.get(phoneNumberId),
      startLeaseMs: config.CHAT_START_LEASE_MS,
      waitForChatMs: config.CHAT_START_WAIT_MS,
      pollIntervalMs: 150,
      connectionRefreshMarginMs: 60_000,
    },
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }),
  relayStatus: new RelayDeliveryStatus({
    conversations: store,
    ledger: store,
    chat,
    customerConnection,
    telemetry,
  }),
  isConfiguredNumber: (phoneNumberId) => flows.has(phoneNumberId),
  rejectedRecords: new SqsRejectedRecordSink(new SQSClient(clientOptions), config.DEAD_LETTER_QUEUE_URL),
  telemetry,
  concurrency: 8,
  flush: flushMetrics,
});
