import { FakeConnect, type FakeConnectOptions } from '../../test/support/fake-connect.js';
import { FakeWhatsApp } from '../../test/support/fake-whatsapp.js';
import { startDynaliteProcess } from './dynalite-process.js';
import { startDynamoProxy } from './dynamo-proxy.js';
import { type SqsEntry, startFakeAwsServer } from './fake-aws-server.js';
import { functionEnvironment } from './function-env.js';

export const BENCH_TABLE = 'relay-bench';

/**
 * Everything a benchmark scenario runs against: dynalite in its own process, the Connect and
 * EUM Social fakes served over loopback HTTP, and the environment that points every SDK client
 * of a function container at them.
 */
export async function startBenchWorld(options: { connect?: FakeConnectOptions } = {}) {
  const dynamo = await startDynaliteProcess();
  await dynamo.createTable(BENCH_TABLE);
  const connect = new FakeConnect(options.connect);
  const whatsApp = new FakeWhatsApp();
  // Served over HTTP only: the SDK mocks stay out of the way.
  connect.restore();
  whatsApp.restore();
  // What the ordering stages send to their FIFO queues; a scenario may replace `onOrderedSend`.
  const ordered = { onOrderedSend: (_queueUrl: string, _entries: readonly SqsEntry[]) => {} };
  const server = await startFakeAwsServer(connect, whatsApp, (queueUrl, entries) =>
    ordered.onOrderedSend(queueUrl, entries),
  );
  // DynamoDB calls are recorded in the same list as the Connect and EUM calls.
  const dynamoProxy = await startDynamoProxy(dynamo.endpoint, server.calls);
  const env: Record<string, string> = {
    ...functionEnvironment(BENCH_TABLE),
    AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.endpoint,
    AWS_ENDPOINT_URL_CONNECT: server.endpoint,
    AWS_ENDPOINT_URL_CONNECTPARTICIPANT: server.endpoint,
    AWS_ENDPOINT_URL_SOCIALMESSAGING: server.endpoint,
    AWS_ENDPOINT_URL_SQS: server.endpoint,
    // The ordering stages' FIFO queue, on the fake server either way the SDK picks its endpoint.
    ORDERED_QUEUE_URL: `${server.endpoint}/111122223333/bench-ordered.fifo`,
    // Logs are written (their cost is real) and discarded by the container.
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_METRICS_DISABLED: 'false',
  };
  return {
    dynamo,
    connect,
    whatsApp,
    server,
    dynamoProxy,
    env,
    ordered,
    /** Gives every AWS call, Connect, EUM and DynamoDB alike, the same added latency. */
    setLatency(ms: number, options: { includeDynamo: boolean }) {
      server.latencyMs = ms;
      dynamoProxy.setLatency(options.includeDynamo ? ms : 0);
    },
    async stop() {
      await dynamoProxy.stop();
      await server.stop();
      await dynamo.stop();
    },
  };
}

export type BenchWorld = Awaited<ReturnType<typeof startBenchWorld>>;
