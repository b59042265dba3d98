import type { SQSEvent } from 'aws-lambda';
import { agentText } from '../../test/support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../../test/support/whatsapp-events.js';
import { buildBundle } from '../lib/bundles.js';
import { type Container, startContainer } from '../lib/container.js';
import type { RecordedCall } from '../lib/fake-aws-server.js';
import { median, round } from '../lib/stats.js';
import { startBenchWorld } from '../lib/world.js';

export interface RoundTripRow {
  scenario: string;
  goal: string;
  /** Median handler wall time ÷ L, with L on Connect and EUM Social calls (the fakes). */
  roundTrips: number;
  /** The same, with every DynamoDB call also given L: the strict view. */
  roundTripsAllCallsL: number;
  medianWallMs: number;
  calls: string;
}

const RUNS = 5;

/**
 * Sequential AWS round trips on each critical path: every fake call takes L ms, and the handler's
 * wall time divided by L says how many of them happened one after another. Measured twice: with L
 * on the Connect/EUM fakes only (as the issue frames it; DynamoDB is the local emulator), and with
 * L on DynamoDB as well.
 */
export async function measureRoundTrips(latencyMs = 20): Promise<RoundTripRow[]> {
  const world = await startBenchWorld();
  const [inboundBundle, outboundBundle] = await Promise.all([
    buildBundle('inbound'),
    buildBundle('outbound'),
  ]);
  const containers: Container[] = [];
  const container = async (bundle: string) => {
    const started = await startContainer(bundle, world.env);
    containers.push(started);
    return started;
  };
  let customerSequence = 0;
  const newCustomer = () => `4477009${String(++customerSequence).padStart(5, '0')}`;
  const text = (customer: string, body: string) =>
    sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: customer, body })] })));
  const contactOf = (customer: string) =>
    [...world.connect.contacts.values()].find((contact) => contact.input.Attributes?.customerId === customer)
      ?.contactId ?? '';

  /** Runs `event` RUNS times (fresh event each time), returns median wall and the calls of the last run. */
  const measure = async (
    makeContainer: () => Promise<Container>,
    makeEvent: () => SQSEvent,
    allCallsL: boolean,
  ): Promise<{ wall: number; calls: RecordedCall[]; visible: number[] }> => {
    const walls: number[] = [];
    const visible: number[] = [];
    let calls: RecordedCall[] = [];
    for (let run = 0; run < RUNS; run++) {
      const target = await makeContainer();
      const event = makeEvent();
      world.setLatency(latencyMs, { includeDynamo: allCallsL });
      const from = world.server.calls.length;
      const t0 = performance.now();
      const result = await target.invoke(event);
      world.setLatency(0, { includeDynamo: false });
      if (result.error || (result.response?.batchItemFailures.length ?? 0) > 0) {
        throw new Error(`benchmark invocation failed: ${result.error ?? JSON.stringify(result.response)}`);
      }
      calls = world.server.calls.slice(from);
      walls.push(result.wallMs);
      const start = calls.find((call) => call.operation === 'StartChatContact');
      if (start) visible.push(start.end - t0);
    }
    return { wall: median(walls), calls, visible };
  };

  const rows: RoundTripRow[] = [];
  const row = async (
    scenario: string,
    goal: string,
    makeContainer: () => Promise<Container>,
    makeEvent: () => SQSEvent,
    extra?: (result: { wall: number; visible: number[] }) => Partial<RoundTripRow>,
  ) => {
    const loose = await measure(makeContainer, makeEvent, false);
    const strict = await measure(makeContainer, makeEvent, true);
    rows.push({
      scenario,
      goal,
      roundTrips: round(loose.wall / latencyMs),
      roundTripsAllCallsL: round(strict.wall / latencyMs),
      medianWallMs: round(loose.wall, 1),
      calls: describeCalls(loose.calls),
      ...extra?.(loose),
    });
    return loose;
  };

  // A warm inbound container with one conversation already running.
  const inbound = await container(inboundBundle);
  const regular = newCustomer();
  await inbound.invoke(text(regular, 'first'));
  for (let warmUp = 0; warmUp < 20; warmUp++) await inbound.invoke(text(regular, `warm-up ${warmUp}`));

  await row(
    'inbound text, existing chat, warm',
    '1',
    async () => inbound,
    () => text(regular, 'hello again'),
  );
  await row(
    'inbound text, existing chat, cold',
    '≤ 2',
    () => container(inboundBundle),
    () => text(regular, 'hello from a cold container'),
  );
  const first = await row(
    'first message: text visible (StartChatContact done)',
    '1',
    async () => inbound,
    () => text(newCustomer(), 'hi, new here'),
    (result) => ({
      roundTrips: round(median(result.visible) / latencyMs),
      medianWallMs: round(median(result.visible), 1),
    }),
  );
  rows.push({
    scenario: 'first message: setup complete (handler done)',
    goal: '≤ 3',
    roundTrips: round(first.wall / latencyMs),
    roundTripsAllCallsL: rows.at(-1)?.roundTripsAllCallsL ?? 0,
    medianWallMs: round(first.wall, 1),
    calls: describeCalls(first.calls),
  });

  const outbound = await container(outboundBundle);
  const contactId = contactOf(regular);
  for (let warmUp = 0; warmUp < 20; warmUp++)
    await outbound.invoke(sqsEvent(agentText(contactId, `warm-up ${warmUp}`)));
  await row(
    'outbound text, warm',
    '1',
    async () => outbound,
    () => sqsEvent(agentText(contactId, 'Sure, let me check.')),
  );
  await row(
    'outbound text, cold',
    '≤ 2',
    () => container(outboundBundle),
    () => sqsEvent(agentText(contactId, 'From a cold container.')),
  );

  // A delivered receipt for the agent's last message, back through the inbound function.
  const sent = world.whatsApp.sent.filter((message) => message.payload.type === 'text').at(-1);
  let receipt = 0;
  await row(
    'receipt: WhatsApp delivered → Connect',
    '1',
    async () => inbound,
    () =>
      sqsEvent(
        sqsRecordFor(
          eumEnvelope({
            contacts: [],
            statuses: [
              {
                id: `wamid.receipt.${++receipt}`,
                status: 'delivered',
                timestamp: String(Math.floor(Date.now() / 1000)),
                recipient_id: regular,
                biz_opaque_callback_data: sent?.payload.biz_opaque_callback_data,
              },
            ],
          }),
        ),
      ),
  );

  for (const started of containers) started.stop();
  await world.stop();
  return rows;
}

/** The calls of one invocation in order; calls that overlapped in time are joined with ∥. */
function describeCalls(calls: readonly RecordedCall[]): string {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const groups: RecordedCall[][] = [];
  for (const call of sorted) {
    const group = groups.at(-1);
    if (group?.some((other) => call.start < other.end)) group.push(call);
    else groups.push([call]);
  }
  return groups
    .map((group) => group.map((call) => call.operation.replace('DynamoDB.', 'ddb:')).join(' ∥ '))
    .join(' → ');
}
