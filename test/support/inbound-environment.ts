import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from './dynamodb-emulator.js';
import { FakeConnect, type FakeConnectOptions } from './fake-connect.js';
import { FakeWhatsAppMedia } from './fake-whatsapp-media.js';
import { type RelayTable, relayTable } from './relay-table.js';
import { BUSINESS, SECOND_BUSINESS } from './whatsapp-events.js';

export const INSTANCE_ID = 'a1b2c3d4-5678-90ab-cdef-111122223333';
export const STREAMING_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming';
export const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/whatsapp-inbound-dlq';
export const INBOUND_FLOW_ID = 'f1f2f3f4-0000-1111-2222-333344445555';
export const SECOND_FLOW_ID = 'f9f9f9f9-0000-1111-2222-333344445555';
export const TABLE_NAME = 'relay-conversations';
export const MEDIA_BUCKET = 'relay-media-111122223333';

/**
 * The real inbound Lambda entry (functions/inbound/index.ts) wired to a DynamoDB emulator, with
 * Connect, SQS, EUM Social media and S3 answered at the SDK boundary, and Connect's attachment
 * upload URL answered by a fake global `fetch`. Each call to `start` imports a fresh module, as a
 * cold container would.
 */
export interface InboundEnvironment {
  readonly handler: (
    event: SQSEvent,
    context?: { getRemainingTimeInMillis(): number },
  ) => Promise<SQSBatchResponse>;
  readonly connect: FakeConnect;
  readonly sqs: AwsClientStub<SQSClient>;
  readonly media: FakeWhatsAppMedia;
  readonly store: RelayTable;
  readonly emulator: DynamoDbEmulator;
  /**
   * Another container of the same function: a fresh import of the entry module, with its own
   * clients and conversation cache, against the same table and fakes. `env` overrides variables,
   * as a redeploy with corrected configuration would.
   */
  container(env?: Record<string, string>): Promise<(event: SQSEvent) => Promise<SQSBatchResponse>>;
  stop(): Promise<void>;
}

export async function startInboundEnvironment(
  options: { connect?: FakeConnectOptions; env?: Record<string, string> } = {},
): Promise<InboundEnvironment> {
  const emulator = await startDynamoDbEmulator();
  await emulator.createTable(TABLE_NAME);
  const environment: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: emulator.endpoint,
    CONVERSATION_TABLE_NAME: TABLE_NAME,
    CONNECT_INSTANCE_ID: INSTANCE_ID,
    STREAMING_TOPIC_ARN,
    DEAD_LETTER_QUEUE_URL: DLQ_URL,
    MEDIA_BUCKET_NAME: MEDIA_BUCKET,
    BUSINESS_NUMBERS: JSON.stringify([
      { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: INBOUND_FLOW_ID },
      { phoneNumberId: SECOND_BUSINESS.phoneNumberId, inboundFlowId: SECOND_FLOW_ID },
    ]),
    CHAT_DURATION_MINUTES: '720',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'WhatsAppConnectRelay',
    ...options.env,
  };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);

  const connect = new FakeConnect(options.connect);
  const media = new FakeWhatsAppMedia(MEDIA_BUCKET);
  vi.stubGlobal('fetch', connect.fetch);
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-message', $metadata: {} });
  vi.resetModules();
  const module = await import('../../functions/inbound/index.js');
  const store = relayTable(emulator.client, TABLE_NAME);
  return {
    handler: module.handler,
    connect,
    sqs,
    media,
    store,
    emulator,
    async container(overrides = {}) {
      for (const [name, value] of Object.entries(overrides)) vi.stubEnv(name, value);
      vi.resetModules();
      return (await import('../../functions/inbound/index.js')).handler;
    },
    async stop() {
      connect.restore();
      sqs.restore();
      media.restore();
      vi.unstubAllEnvs();
      vi.unstubAllGlobals();
      await emulator.stop();
    },
  };
}
