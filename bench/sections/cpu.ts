import type { SQSEvent } from 'aws-lambda';
import { agentText } from '../../test/support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../../test/support/whatsapp-events.js';
import { buildBundle, buildEntry } from '../lib/bundles.js';
import { type Container, startContainer } from '../lib/container.js';
import { median, round } from '../lib/stats.js';
import { startBenchWorld } from '../lib/world.js';

export interface CpuRow {
  direction: string;
  cpuMsPerMessage: number;
  messagesPerSecondPerCore: number;
  baselineCpuMs: number;
  ratioToBaseline: number;
  goal: string;
  dynamoWritesPerMessage: number;
  dynamoReadsPerMessage: number;
  logBytesPerMessage: number;
}

const WARM_UP = 300;
const MEASURED = 1000;
const CONVERSATIONS = 20;

/**
 * CPU per relayed message in a warm container, with zero-latency fakes: the median of each
 * invocation's CPU time (one message per invocation) in the function's own process. The baseline,
 * measured in the same run, is a bare SDK call of the same kind (one SendMessage for inbound, one
 * SendWhatsAppMessage for outbound): what any relay would pay at the least.
 */
export async function measureCpu(): Promise<CpuRow[]> {
  const world = await startBenchWorld();
  const customers = Array.from(
    { length: CONVERSATIONS },
    (_, index) => `4477009${String(index).padStart(5, '0')}`,
  );
  const text = (customer: string, body: string) =>
    sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: customer, body })] })));

  const inbound = await startContainer(await buildBundle('inbound'), world.env);
  for (const customer of customers) await inbound.invoke(text(customer, 'hello'));
  const contacts = [...world.connect.contacts.values()].map((contact) => contact.contactId);
  const outbound = await startContainer(await buildBundle('outbound'), world.env);
  const rawSendMessage = await startContainer(
    await buildEntry('bench/baselines/raw-send-message.ts', 'baseline-send-message'),
    {
      ...world.env,
      BASELINE_CONNECTION_TOKEN: world.connect.issueConnectionToken(contacts[0] ?? ''),
    },
  );
  const rawSendWhatsApp = await startContainer(
    await buildEntry('bench/baselines/raw-send-whatsapp.ts', 'baseline-send-whatsapp'),
    world.env,
  );

  let n = 0;
  const inboundEvent = () => text(customers[n++ % customers.length] ?? '', `message ${n}`);
  const outboundEvent = () => sqsEvent(agentText(contacts[n++ % contacts.length] ?? '', `reply ${n}`));
  const emptyEvent = (): SQSEvent => ({ Records: [] });

  const inboundRun = await run(inbound, inboundEvent, world);
  const outboundRun = await run(outbound, outboundEvent, world);
  const sendMessageBaseline = await run(rawSendMessage, emptyEvent, world);
  const sendWhatsAppBaseline = await run(rawSendWhatsApp, emptyEvent, world);

  for (const container of [inbound, outbound, rawSendMessage, rawSendWhatsApp]) container.stop();
  await world.stop();
  return [
    row('inbound text (warm)', inboundRun, sendMessageBaseline),
    row('outbound text (warm)', outboundRun, sendWhatsAppBaseline),
  ];
}

interface Run {
  cpuMicros: number;
  dynamoWrites: number;
  dynamoReads: number;
  logBytes: number;
}

async function run(
  container: Container,
  event: () => SQSEvent,
  world: Awaited<ReturnType<typeof startBenchWorld>>,
): Promise<Run> {
  for (let index = 0; index < WARM_UP; index++) await container.invoke(event());
  const from = world.server.calls.length;
  const logsBefore = container.stdoutBytes();
  const cpu: number[] = [];
  for (let index = 0; index < MEASURED; index++) {
    const result = await container.invoke(event());
    if (result.error || (result.response?.batchItemFailures.length ?? 0) > 0) {
      throw new Error(`CPU benchmark invocation failed: ${result.error ?? JSON.stringify(result.response)}`);
    }
    cpu.push(result.cpuMicros);
  }
  const calls = world.server.calls.slice(from);
  const count = (operations: string[]) =>
    calls.filter((call) => operations.includes(call.operation)).length / MEASURED;
  return {
    cpuMicros: median(cpu),
    dynamoWrites: count(['DynamoDB.PutItem', 'DynamoDB.UpdateItem', 'DynamoDB.BatchWriteItem']),
    dynamoReads: count(['DynamoDB.GetItem']),
    logBytes: (container.stdoutBytes() - logsBefore) / MEASURED,
  };
}

function row(direction: string, measured: Run, baseline: Run): CpuRow {
  const cpuMs = measured.cpuMicros / 1000;
  return {
    direction,
    cpuMsPerMessage: round(cpuMs, 3),
    messagesPerSecondPerCore: Math.round(1000 / cpuMs),
    baselineCpuMs: round(baseline.cpuMicros / 1000, 3),
    ratioToBaseline: round(measured.cpuMicros / baseline.cpuMicros, 2),
    goal: '≥ 2,000 msg/s/core (≤ 0.5 ms)',
    dynamoWritesPerMessage: round(measured.dynamoWrites, 2),
    dynamoReadsPerMessage: round(measured.dynamoReads, 2),
    logBytesPerMessage: Math.round(measured.logBytes),
  };
}
