import { startDynamoProxy } from '../bench/lib/dynamo-proxy.js';
import { type RecordedCall, startFakeAwsServer } from '../bench/lib/fake-aws-server.js';
import { loadCustomersFile, seedCustomers } from '../scripts/seed-customers.js';
import { startDynamoDbEmulator } from '../test/support/dynamodb-emulator.js';
import { FakeConnect } from '../test/support/fake-connect.js';
import { FakeEum, WABA_ID } from '../test/support/fake-eum.js';
import { FakeGuideContacts } from '../test/support/fake-guide-contacts.js';
import { FakeWhatsApp } from '../test/support/fake-whatsapp.js';
import { FakeWhatsAppMedia } from '../test/support/fake-whatsapp-media.js';
import { BUSINESS } from '../test/support/whatsapp-events.js';
import { sandboxRoutes } from './aws-routes.js';
import { EventLog } from './event-log.js';
import { Pipeline, type PipelineFunctions, queueUrls, type SqsHandler } from './pipeline.js';

const CONVERSATIONS_TABLE = 'sandbox-conversations';
const CUSTOMERS_TABLE = 'sandbox-customers';
const MEDIA_BUCKET = 'sandbox-media-111122223333';
export const INSTANCE_ID = 'a1b2c3d4-5678-90ab-cdef-111122223333';
export const STREAMING_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:connect-chat-streaming';

/**
 * The sandbox's clock. Every function reads Date.now (some capture the function itself at import,
 * so it is replaced before they load); "Advance 25 hours" moves it on. The log keeps real time.
 */
function installClock() {
  const realNow = Date.now.bind(Date);
  const state = { offsetMs: 0 };
  Date.now = () => realNow() + state.offsetMs;
  return {
    realNow,
    advance(ms: number) {
      state.offsetMs += ms;
    },
    get offsetMs() {
      return state.offsetMs;
    },
  };
}

/** Guide functions: Connect invokes them synchronously from the guide flow. */
export type FlowHandler = (event: unknown, context?: unknown) => Promise<Record<string, unknown>>;

/**
 * Everything the sandbox runs: the real bundle entries (functions/<name>/index.ts) with their real
 * configuration loading, pointed by AWS_ENDPOINT_URL_* at one loopback server that answers as
 * Connect, the participant service, EUM Social, S3 and SQS (the test fakes behind it), dynalite
 * for DynamoDB, and the in-process SNS → SQS pipeline. Dummy static credentials; nothing leaves
 * 127.0.0.1.
 */
export async function startSandboxWorld() {
  const clock = installClock();
  const log = new EventLog(clock.realNow);
  const dynamo = await startDynamoDbEmulator();
  await dynamo.createTable(CONVERSATIONS_TABLE);
  await dynamo.createTable(CUSTOMERS_TABLE);
  const customers = loadCustomersFile('scripts/customers.sample.json');
  await seedCustomers(customers, { client: dynamo.client, tableName: CUSTOMERS_TABLE });

  // The fakes answer over HTTP only: their SDK mocks are taken off at once, as the bench does.
  const connect = new FakeConnect();
  const whatsApp = new FakeWhatsApp();
  const eum = new FakeEum();
  const media = new FakeWhatsAppMedia(MEDIA_BUCKET);
  const contacts = new FakeGuideContacts();
  for (const fake of [connect, whatsApp, eum, media, contacts]) fake.restore();

  const awsCall = (call: RecordedCall) => {
    if (call.operation.startsWith('SQS.')) return;
    log.add('aws', `${call.operation} → ${call.status}`, call.end - call.start);
  };
  const sink = { pipeline: undefined as Pipeline | undefined };
  const server = await startFakeAwsServer(
    connect,
    whatsApp,
    (queueUrl, entries) => sink.pipeline?.sqsSink(queueUrl, entries),
    { extraRoutes: sandboxRoutes({ eum, media, contacts }), onCall: awsCall },
  );
  // The proxy records into an array; the sandbox logs each DynamoDB call as it is recorded.
  const dynamoCalls: RecordedCall[] = [];
  dynamoCalls.push = (...calls: RecordedCall[]) => {
    for (const call of calls) awsCall(call);
    return 0;
  };
  const dynamoProxy = await startDynamoProxy(dynamo.endpoint, dynamoCalls);

  // Connect's pre-signed attachment upload URL is answered by the fake; everything else is refused.
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((url: string | URL, init?: RequestInit) => {
    const href = String(url);
    if (href.startsWith('https://fake-connect-attachments.test/')) {
      log.add('aws', 'PUT attachment to Connect’s upload URL');
      return connect.fetch(href, init as Parameters<FakeConnect['fetch']>[1]);
    }
    if (href.startsWith('http://127.0.0.1')) return realFetch(url, init);
    return Promise.reject(new TypeError(`The sandbox reaches no network: ${href}`));
  }) as typeof fetch;

  const urls = queueUrls(server.endpoint);
  const common: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
    AWS_ENDPOINT_URL_CONNECT: server.endpoint,
    AWS_ENDPOINT_URL_CONNECTPARTICIPANT: server.endpoint,
    AWS_ENDPOINT_URL_SOCIALMESSAGING: server.endpoint,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ENDPOINT_URL_SQS: server.endpoint,
    CONVERSATION_TABLE_NAME: CONVERSATIONS_TABLE,
    CUSTOMERS_TABLE_NAME: CUSTOMERS_TABLE,
    CONNECT_INSTANCE_ID: INSTANCE_ID,
    STREAMING_TOPIC_ARN,
    MEDIA_BUCKET_NAME: MEDIA_BUCKET,
    BUSINESS_NUMBERS: JSON.stringify([
      { phoneNumberId: BUSINESS.phoneNumberId, inboundFlowId: 'sandbox-inbound-flow' },
    ]),
    META_API_VERSION: 'v23.0',
    WHATSAPP_BUSINESS_ACCOUNT_ID: WABA_ID,
    TEMPLATE_SENDER_PHONE_NUMBER_ID: BUSINESS.phoneNumberId,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const load = async <T>(name: string, env: Record<string, string> = {}): Promise<T> => {
    Object.assign(process.env, common, env);
    const module = (await import(`../functions/${name}/index.ts`)) as { handler: T };
    return module.handler;
  };
  // Each entry reads its own queues while it loads, as each deployed function has its own env.
  const functions: PipelineFunctions = {
    'inbound-ordering': await load<SqsHandler>('inbound-ordering', {
      ORDERED_QUEUE_URL: urls.inboundFifo,
      DEAD_LETTER_QUEUE_URL: urls.inboundDlq,
    }),
    inbound: await load<SqsHandler>('inbound', { DEAD_LETTER_QUEUE_URL: urls.inboundFifoDlq }),
    'outbound-ordering': await load<SqsHandler>('outbound-ordering', {
      ORDERED_QUEUE_URL: urls.outboundFifo,
      DEAD_LETTER_QUEUE_URL: urls.outboundDlq,
    }),
    outbound: await load<SqsHandler>('outbound', { DEAD_LETTER_QUEUE_URL: urls.outboundFifoDlq }),
  };
  const guide = {
    customerData: await load<FlowHandler>('customer-data'),
    sendTemplate: await load<FlowHandler>('send-template'),
  };
  const pipeline = new Pipeline(functions, server.endpoint, log, clock.realNow);
  sink.pipeline = pipeline;
  log.add('sandbox', 'Sandbox ready: 6 functions loaded from functions/*/index.ts');

  return {
    clock,
    log,
    connect,
    whatsApp,
    media,
    contacts,
    pipeline,
    guide,
    customers,
    async stop() {
      await dynamoProxy.stop();
      await server.stop();
      await dynamo.stop();
      globalThis.fetch = realFetch;
    },
  };
}

export type SandboxWorld = Awaited<ReturnType<typeof startSandboxWorld>>;
