import { ConnectClient } from '@aws-sdk/client-connect';
import { ConnectParticipantClient, SendEventCommand } from '@aws-sdk/client-connectparticipant';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConnectParticipantService } from '../../shared/adapters/connect-chat-service.js';
import { ConnectDescribeContacts } from '../../shared/adapters/connect-contacts.js';
import { conversationStores } from '../../shared/adapters/conversation-stores.js';
import { EumWhatsAppSender } from '../../shared/adapters/eum-whatsapp-sender.js';
import { primeDynamoDb, primeRequestPipelines } from '../../shared/adapters/priming.js';
import { SqsRejectedRecordSink } from '../../shared/adapters/sqs-rejected-record-sink.js';
import { throttleBackoff } from '../../shared/adapters/throttle-backoff.js';
import { InvocationDeadline } from '../../shared/batch/invocation-deadline.js';
import { loadOutboundConfig } from '../../shared/config/outbound-config.js';
import { decodeStreamingRecord } from '../../shared/decoders/connect-streaming-decoder.js';
import { PRIMING_STREAMING_BODY } from '../../shared/decoders/priming-samples.js';
import { createObservability } from '../../shared/observability/telemetry.js';
import { CustomerConnection } from '../../shared/use-cases/customer-connection.js';
import { RecordLastAgent } from '../../shared/use-cases/record-last-agent.js';
import { RelayOutboundItem } from '../../shared/use-cases/relay-outbound-item.js';
import { makeHandler } from './handler.js';

// Bundle entry: configuration and clients are built once per container and reused.
const config = loadOutboundConfig(process.env);
const { telemetry, flushMetrics } = createObservability('whatsapp-outbound');
const clientOptions = { maxAttempts: 3, retryMode: 'standard' } as const;
// Throttled participant calls wait inside the invocation, but never past its last few seconds.
const invocationDeadline = new InvocationDeadline();
const backoff = throttleBackoff(invocationDeadline.get);

const dynamo = new DynamoDBClient(clientOptions);
const { conversations, sendClaims, inboundLedger, assignments } = conversationStores(dynamo, config);
// Participant calls (bearer tokens) relay the chat; the one Connect call is DescribeContact, to
// learn which agent joined (connect:DescribeContact on the instance's contacts).
const contacts = new ConnectDescribeContacts(new ConnectClient(clientOptions), config.CONNECT_INSTANCE_ID);
const participant = new ConnectParticipantClient(clientOptions);
const chat = new ConnectParticipantService(participant, backoff);
// No SDK retries for sends: a retry after a timeout could deliver twice (see EumWhatsAppSender).
const socialMessaging = new SocialMessagingClient({ ...clientOptions, maxAttempts: 1 });

const relayHandler = makeHandler({
  relayItem: new RelayOutboundItem({
    conversations,
    ledger: sendClaims,
    inbound: inboundLedger,
    chat,
    whatsApp: new EumWhatsAppSender(socialMessaging, config.META_API_VERSION, backoff),
    customerConnection: new CustomerConnection({
      chat,
      conversations,
      telemetry,
      now: Date.now,
      refreshMarginMs: 60_000,
    }),
    telemetry,
    lastAgent: new RecordLastAgent({ contacts, assignments, telemetry, now: Date.now }),
    settings: {
      customerServiceWindowMs: config.CUSTOMER_SERVICE_WINDOW_HOURS * 3_600_000,
      typingIntervalMs: config.TYPING_INTERVAL_SECONDS * 1000,
      sendLeaseMs: config.SEND_LEASE_SECONDS * 1000,
      unknownContactRetryMs: config.UNKNOWN_CONTACT_RETRY_SECONDS * 1000,
      attachmentScanWaitMs: config.ATTACHMENT_SCAN_WAIT_SECONDS * 1000,
      ...(config.LIST_BUTTON_LABEL ? { listButtonLabel: config.LIST_BUTTON_LABEL } : {}),
      ...(config.AGENT_JOINED_MESSAGE ? { agentJoinedMessage: config.AGENT_JOINED_MESSAGE } : {}),
      ...(config.CHAT_ENDED_MESSAGE ? { chatEndedMessage: config.CHAT_ENDED_MESSAGE } : {}),
    },
    now: Date.now,
  }),
  rejectedRecords: new SqsRejectedRecordSink(new SQSClient(clientOptions), config.DEAD_LETTER_QUEUE_URL),
  telemetry,
  concurrency: 8,
  flush: flushMetrics,
});

/** The Lambda entry: notes this invocation's deadline, then runs the batch. */
export const handler = invocationDeadline.wrap(relayHandler);

// Init-time priming (see primeRequestPipelines): the first item of a container then costs what
// every later one does.
decodeStreamingRecord(PRIMING_STREAMING_BODY);
await primeRequestPipelines([
  primeDynamoDb(dynamo, config.CONVERSATION_TABLE_NAME),
  (abortSignal) =>
    participant.send(new SendEventCommand({ ConnectionToken: 'priming', ContentType: 'priming' }), {
      abortSignal,
    }),
  (abortSignal) =>
    socialMessaging.send(
      new SendWhatsAppMessageCommand({
        originationPhoneNumberId: 'phone-number-id-priming',
        metaApiVersion: config.META_API_VERSION,
        message: new TextEncoder().encode('{}'),
      }),
      { abortSignal },
    ),
]);
