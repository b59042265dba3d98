import type { SQSEvent } from 'aws-lambda';
import { agentText } from '../../test/support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../../test/support/whatsapp-events.js';
import { buildBundle } from '../lib/bundles.js';
import { type Container, startContainer } from '../lib/container.js';
import { median, round } from '../lib/stats.js';
import { startBenchWorld } from '../lib/world.js';

export interface OrderingStageRow {
  stage: string;
  /** Added sequential AWS round trips: median wall ÷ L, with L on every call. */
  addedRoundTrips: number;
  medianWallMs: number;
  calls: string;
  cpuMsPerItem: number;
  goal: string;
}

const RUNS = 9;
const WARM_UP = 300;
const MEASURED = 1000;

/**
 * What the ordering stage adds to each warm path: its sequential AWS round trips (every call,
 * SQS included, takes L ms; one record per invocation, median of RUNS), and its CPU per item
 * (median per invocation, zero latency, after a warm-up). The relay's own paths are measured in
 * sections 1 and 2; a message pays both.
 */
export async function measureOrderingStage(latencyMs = 20): Promise<OrderingStageRow[]> {
  const world = await startBenchWorld();
  let n = 0;
  const stages: { stage: string; bundle: string; event: () => SQSEvent }[] = [
    {
      stage: 'inbound ordering (one WhatsApp text)',
      bundle: 'inbound-ordering',
      event: () =>
        sqsEvent(
          sqsRecordFor(
            eumEnvelope({ messages: [textMessage({ from: '447700900123', body: `text ${++n}` })] }),
          ),
        ),
    },
    {
      stage: 'outbound ordering (one agent text)',
      bundle: 'outbound-ordering',
      event: () => sqsEvent(agentText('contact-bench', `reply ${++n}`)),
    },
  ];
  const rows: OrderingStageRow[] = [];
  for (const { stage, bundle, event } of stages) {
    const container: Container = await startContainer(await buildBundle(bundle), world.env);
    for (let warmUp = 0; warmUp < 20; warmUp++) await succeed(container, event());
    const walls: number[] = [];
    let calls: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      world.setLatency(latencyMs, { includeDynamo: true });
      const from = world.server.calls.length;
      walls.push((await succeed(container, event())).wallMs);
      world.setLatency(0, { includeDynamo: false });
      calls = world.server.calls.slice(from).map((call) => call.operation);
    }
    for (let warmUp = 0; warmUp < WARM_UP; warmUp++) await succeed(container, event());
    const cpu: number[] = [];
    for (let measured = 0; measured < MEASURED; measured++)
      cpu.push((await succeed(container, event())).cpuMicros);
    container.stop();
    rows.push({
      stage,
      addedRoundTrips: round(median(walls) / latencyMs),
      medianWallMs: round(median(walls), 1),
      calls: calls.join(' → '),
      cpuMsPerItem: round(median(cpu) / 1000),
      goal: '≤ +1 round trip',
    });
  }
  await world.stop();
  return rows;
}

async function succeed(container: Container, event: SQSEvent) {
  const result = await container.invoke(event);
  if (result.error || (result.response?.batchItemFailures.length ?? 0) > 0) {
    throw new Error(`ordering stage invocation failed: ${result.error ?? JSON.stringify(result.response)}`);
  }
  return result;
}
