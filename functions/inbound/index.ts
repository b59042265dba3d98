import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectParticipantClient, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConnectChatService } from '../../shared/adapters/connect-chat-service.js';
import {
  ConnectHoursOfOperation,
  ConnectOutboundCalls,
} from '../../shared/adapters/connect-outbound-calls.js';
import { conversationStores } from '../../shared/adapters/conversation-stores.js';
import { EumWhatsAppSender } from '../../shared/adapters/eum-whatsapp-sender.js';
import { primeDynamoDb, primeRequestPipelines } from '../../shared/adapters/priming.js';
import { SqsRejectedRecordSink } from '../../shared/adapters/sqs-rejected-record-sink.js';
import { throttleBackoff } from '../../shared/adapters/throttle-backoff.js';
import { InvocationDeadline } from '../../shared/batch/invocation-deadline.js';
import { preferredAgentHours } from '../../shared/config/business-numbers.js';
import { loadInboundConfig } from '../../shared/config/inbound-config.js';
import { PRIMING_WEBHOOK_BODY } from '../../shared/decoders/priming-samples.js';
import { decodeWhatsAppWebhook } from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { marketingKeywords } from '../../shared/domain/marketing-consent.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import type { MediaAttacher } from '../../shared/use-cases/attach-customer-media.js';
import { callbackPlanOf } from '../../shared/use-cases/callback-plan.js';
import { ChatStarter } from '../../shared/use-cases/chat-starter.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { RecordMarketingChoice } from '../../shared/use-cases/record-marketing-choice.js';
import { RelayDeliveryStatus } from '../../shared/use-cases/relay-delivery-status.js';
import { RelayInboundMessage } from '../../shared/use-cases/relay-inbound-message.js';
import { RequestCallback } from '../../shared/use-cases/request-callback.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration and clients are built once per container and reused.
const config = loadInboundConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-inbound');
// Standard retry mode backs off on throttling and 5xx before SQS redelivery takes over.
const clientOptions = { maxAttempts: 3, retryMode: 'standard' } as const;
// Throttled participant calls wait inside the invocation, but never past its last few seconds.
const invocationDeadline = new InvocationDeadline();
const backoff = throttleBackoff(invocationDeadline.get);
const now = () => Date.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const dynamo = new DynamoDBClient(clientOptions);
const { conversations, inboundLedger, sendClaims, customerKeys, marketing, callbacks, transcriptJobs } =
  conversationStores(dynamo, config);
const participant = new ConnectParticipantClient(clientOptions);
const connect = new ConnectClient(clientOptions);
const chat = new ConnectChatService(
  connect,
  participant,
  { instanceId: config.CONNECT_INSTANCE_ID, streamingTopicArn: config.STREAMING_TOPIC_ARN },
  backoff,
);
const customerConnection = new CustomerConnection({
  chat,
  conversations,
  telemetry,
  now,
  refreshMarginMs: 60_000,
});
// The media path (S3, the Opus decoder) loads on the first media message, not at cold start.
let mediaAttacher: Promise<MediaAttacher> | undefined;
const lazyMediaAttacher: MediaAttacher = {
  async attach(message, chat) {
    mediaAttacher ??= import('./media.mjs').then(({ createMediaAttacher }) =>
      createMediaAttacher({
        participant,
        clientOptions,
        bucketName: config.MEDIA_BUCKET_NAME,
        telemetry,
        transcription: {
          settingsFor: (phoneNumberId) => transcription.get(phoneNumberId),
          jobPrefix: config.TRANSCRIPTION_JOB_PREFIX,
          records: transcriptJobs,
          anyEnabled: [...transcription.values()].some((settings) => settings.enabled),
        },
      }),
    );
    return (await mediaAttacher).attach(message, chat);
  },
};
const flows = new Map(config.BUSINESS_NUMBERS.map((number) => [number.phoneNumberId, number.inboundFlowId]));
const preferredAgent = new Map(
  config.BUSINESS_NUMBERS.map((number) => [number.phoneNumberId, preferredAgentHours(number)]),
);
const keywords = new Map(
  config.BUSINESS_NUMBERS.map((number) => [
    number.phoneNumberId,
    marketingKeywords({ optOut: number.optOutKeywords, optIn: number.optInKeywords }),
  ]),
);
const recordMarketingChoice = new RecordMarketingChoice({
  keys: customerKeys,
  preferences: marketing,
  telemetry,
  keywordsFor: (phoneNumberId) => keywords.get(phoneNumberId),
});
// "Call me": resolved once; numbers without `callback` settings match nothing and cost nothing.
const callbackPlans = new Map(
  config.BUSINESS_NUMBERS.map((number) => [number.phoneNumberId, callbackPlanOf(number.callback)]),
);
const requestCallback = new RequestCallback({
  keys: customerKeys,
  conversations,
  callbacks,
  // One attempt: a retried StartOutboundVoiceContact can ring a customer twice (connect-outbound-calls.ts).
  calls: new ConnectOutboundCalls(new ConnectClient({ maxAttempts: 1 }), config.CONNECT_INSTANCE_ID),
  hours: new ConnectHoursOfOperation(connect, config.CONNECT_INSTANCE_ID, now),
  chat,
  connection: customerConnection,
  // One attempt per SendWhatsAppMessage: it takes no idempotency token (eum-whatsapp-sender.ts).
  whatsApp: new EumWhatsAppSender(
    new SocialMessagingClient({ maxAttempts: 1 }),
    config.META_API_VERSION,
    backoff,
  ),
  telemetry,
  planFor: (phoneNumberId) => callbackPlans.get(phoneNumberId),
  now,
});
const transcription = new Map(
  config.BUSINESS_NUMBERS.flatMap((number) =>
    number.transcription ? [[number.phoneNumberId, number.transcription] as const] : [],
  ),
);

const relayHandler = makeHandler({
  relayMessage: new RelayInboundMessage({
    keys: customerKeys,
    conversations,
    activity: conversations,
    ledger: inboundLedger,
    sent: sendClaims,
    starter: new ChatStarter({
      conversations,
      contacts: conversations,
      activity: conversations,
      chat,
      telemetry,
      settings: {
        limits: {
          leaseMs: config.CHAT_START_LEASE_MS,
          maxAttempts: config.CHAT_START_MAX_ATTEMPTS,
          maxAgeMs: config.CHAT_START_MAX_AGE_MS,
        },
        waitForChatMs: config.CHAT_START_WAIT_MS,
        pollIntervalMs: 150,
        chatDurationMinutes: config.CHAT_DURATION_MINUTES,
        rehydrationPatienceMs: config.PERSISTENT_CHAT_PATIENCE_MS,
      },
      now,
      sleep,
      deadline: invocationDeadline.get,
    }),
    connection: customerConnection,
    chat,
    attachMedia: lazyMediaAttacher,
    keywords: recordMarketingChoice,
    telemetry,
    afterRelay: requestCallback,
    settings: {
      inboundFlowFor: (phoneNumberId) => flows.get(phoneNumberId),
      preferredAgentHoursFor: (phoneNumberId) => preferredAgent.get(phoneNumberId),
    },
    now,
  }),
  relayStatus: new RelayDeliveryStatus({
    keys: customerKeys,
    conversations,
    ledger: sendClaims,
    chat,
    customerConnection,
    telemetry,
  }),
  recordMarketingChoice,
  isConfiguredNumber: (phoneNumberId) => flows.has(phoneNumberId),
  rejectedRecords: new SqsRejectedRecordSink(new SQSClient(clientOptions), config.DEAD_LETTER_QUEUE_URL),
  telemetry,
  concurrency: 8,
  flush: flushMetrics,
});

/** The Lambda entry: notes this invocation's deadline, then runs the batch. */
export const handler = invocationDeadline.wrap(relayHandler);

// Init-time priming (see primeRequestPipelines): the first message of a container then costs what
// every later one does.
decodeWhatsAppWebhook(PRIMING_WEBHOOK_BODY);
// The Connect contacts client is left cold on purpose: it only starts chats, a path that waits
// on three Connect calls anyway, and priming it would add to every container's init.
await primeRequestPipelines([
  primeDynamoDb(dynamo, config.CONVERSATION_TABLE_NAME),
  (abortSignal) =>
    participant.send(
      new SendMessageCommand({ ConnectionToken: 'priming', ContentType: 'text/plain', Content: 'priming' }),
      { abortSignal },
    ),
]);
