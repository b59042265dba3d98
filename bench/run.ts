/**
 * `npm run bench`: the six measurements a buyer asks for, printed as tables and written to
 * bench/results.json. Every function runs as deployed (its esbuild bundle, in its own node
 * process, with its real SDK clients); Connect and EUM Social are fakes served over loopback HTTP,
 * and DynamoDB is the dynalite emulator the tests use. See docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { printTable } from './lib/stats.js';
import { measureBurst } from './sections/burst.js';
import { measureColdStart } from './sections/cold-start.js';
import { costPerThousand, PRICES_USD } from './sections/cost.js';
import { measureCpu } from './sections/cpu.js';
import { measureOrderingStage } from './sections/ordering-stage.js';
import { measureRoundTrips } from './sections/round-trips.js';
import { measureStickers } from './sections/stickers.js';
import { measureVoiceNotes } from './sections/voice-notes.js';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const BURST_TIME_SCALE = Number(process.env.BENCH_BURST_TIME_SCALE ?? 1);
const started = Date.now();
const asRows = <T extends object>(rows: readonly T[]) => rows as unknown as Record<string, string | number>[];

console.log(`WhatsApp relay benchmark — node ${process.version}, ${new Date().toISOString()}`);

const roundTrips = await measureRoundTrips(LATENCY_MS);
printTable(
  `1. Sequential AWS round trips (L = ${LATENCY_MS} ms per call; wall ÷ L, median of 5)`,
  asRows(roundTrips),
);

const cpu = await measureCpu();
printTable(
  '2. CPU per relayed message (warm container, zero-latency fakes; median per invocation)',
  asRows(cpu),
);

const orderingStage = await measureOrderingStage(LATENCY_MS);
printTable(
  `2b. What the ordering stage adds to each warm path (L = ${LATENCY_MS} ms on every call, SQS included; CPU at zero latency)`,
  asRows(orderingStage),
);

const coldStart = await measureColdStart();
printTable(
  '3. Cold start (minified bundle; module init, median of 21 fresh node processes)',
  asRows(coldStart),
);

const stickers = await measureStickers();
printTable(
  '3b. Stickers → PNG on the media path (deployed bundle code; first conversion in a fresh process compiles the WebAssembly decoder; median of 11)',
  asRows(stickers),
);

const burst = await measureBurst({ timeScale: BURST_TIME_SCALE });
printTable(
  '4. Burst under the participant quota (standard queue → 2 ordering containers → FIFO → 5 inbound containers)',
  asRows([burst]),
);

const durationOf = (scenario: string) =>
  roundTrips.find((row) => row.scenario === scenario)?.medianWallMs ?? 0;
const cost = [
  costPerThousand({
    name: 'inbound (WhatsApp → Connect)',
    durationMs: durationOf('inbound text, existing chat, warm'),
    memoryMb: 512,
    dynamoWrites: cpu[0]?.dynamoWritesPerMessage ?? 0,
    dynamoReads: cpu[0]?.dynamoReadsPerMessage ?? 0,
    logBytes: cpu[0]?.logBytesPerMessage ?? 0,
  }),
  costPerThousand({
    name: 'outbound (Connect → WhatsApp)',
    durationMs: durationOf('outbound text, warm'),
    memoryMb: 512,
    dynamoWrites: cpu[1]?.dynamoWritesPerMessage ?? 0,
    dynamoReads: cpu[1]?.dynamoReadsPerMessage ?? 0,
    logBytes: cpu[1]?.logBytesPerMessage ?? 0,
  }),
];
printTable(
  '5. AWS cost per 1,000 relayed messages (us-east-1 list prices, measured durations and calls)',
  asRows(cost),
);

const voiceNotes = measureVoiceNotes();
printTable(
  '6. Voice notes → WAV: peak memory per conversion (fresh node process each; deployed function has 512 MB)',
  asRows(voiceNotes),
);

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
writeFileSync(
  'bench/results.json',
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      commit,
      node: process.version,
      latencyMs: LATENCY_MS,
      burstTimeScale: BURST_TIME_SCALE,
      roundTrips,
      cpu,
      orderingStage,
      coldStart,
      stickers,
      burst,
      cost,
      voiceNotes,
      prices: PRICES_USD,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nWrote bench/results.json in ${Math.round((Date.now() - started) / 1000)} s.`);
