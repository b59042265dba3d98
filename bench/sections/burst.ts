import { SimulatedQueue } from '../../test/support/sqs-simulator.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../../test/support/whatsapp-events.js';
import { buildBundle } from '../lib/bundles.js';
import { type Container, startContainer } from '../lib/container.js';
import { round } from '../lib/stats.js';
import { startBenchWorld } from '../lib/world.js';

export interface BurstRow {
  messages: number;
  conversations: number;
  quota: string;
  quotaMinimumS: number;
  drainS: number;
  ratioToMinimum: number;
  goal: string;
  delivered: number;
  duplicates: number;
  deadLettered: number;
  throttledCalls: number;
  invocations: number;
}

/**
 * A burst under Connect's participant quota: 500 messages across 50 running chats, while the fake
 * answers SendMessage beyond 10 per second (burst 15) with ThrottlingException, as Connect does.
 * Five containers poll the queue with real SQS semantics. The quota minimum is the time the
 * token bucket itself needs: (messages − burst) ÷ rate. `timeScale` speeds the quota up (and the
 * minimum down) by the same factor, keeping the ratio.
 */
export async function measureBurst(options: { timeScale?: number } = {}): Promise<BurstRow> {
  const scale = options.timeScale ?? 1;
  const rate = { perSecond: 10 * scale, burst: 15 };
  const messages = 500;
  const conversations = 50;
  const world = await startBenchWorld({ connect: { sendMessageRate: rate } });
  const bundle = await buildBundle('inbound');
  const containers: Container[] = await Promise.all(
    Array.from({ length: 5 }, () => startContainer(bundle, world.env)),
  );
  const customers = Array.from(
    { length: conversations },
    (_, index) => `4477008${String(index).padStart(5, '0')}`,
  );

  // The chats are already running (their first messages start them without SendMessage).
  await Promise.all(
    customers.map((customer, index) =>
      containers[index % containers.length]?.invoke(
        sqsEvent(
          sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: customer, body: 'chat opened' })] })),
        ),
      ),
    ),
  );
  // Let the token bucket refill completely before the burst.
  await new Promise((resolve) => setTimeout(resolve, (rate.burst / rate.perSecond) * 1000 + 200));

  const queue = new SimulatedQueue({
    visibilityTimeoutMs: 180_000,
    maxReceiveCount: 5,
    batchSize: 10,
    concurrency: containers.length,
  });
  const sent = new Map<string, string[]>();
  const base = Math.floor(Date.now() / 1000);
  for (let index = 0; index < messages; index++) {
    const customer = customers[index % conversations] ?? '';
    const body = `burst ${index}`;
    sent.set(customer, [...(sent.get(customer) ?? []), body]);
    queue.send(
      sqsRecordFor(
        eumEnvelope({
          messages: [
            textMessage({ from: customer, body, timestamp: base + Math.floor(index / conversations) }),
          ],
        }),
      ).body,
    );
  }
  const callsBefore = world.server.calls.length;
  const idle = [...containers];
  const result = await queue.drain(async (event) => {
    const container = idle.pop();
    if (!container) throw new Error('no idle container');
    try {
      const outcome = await container.invoke(event);
      if (outcome.error) throw new Error(outcome.error);
      return outcome.response;
    } finally {
      idle.push(container);
    }
  }, 600_000);

  let delivered = 0;
  let duplicates = 0;
  for (const contact of world.connect.contacts.values()) {
    const customer = contact.input.Attributes?.customerId ?? '';
    const transcript = world.connect.transcript(contact.contactId);
    for (const body of sent.get(customer) ?? []) {
      const copies = transcript.filter((line) => line === body).length;
      if (copies > 0) delivered++;
      duplicates += Math.max(0, copies - 1);
    }
  }
  const throttledCalls = world.server.calls.slice(callsBefore).filter((call) => call.status === 429).length;
  for (const container of containers) container.stop();
  await world.stop();

  const minimumS = (messages - rate.burst) / rate.perSecond;
  const drainS = result.elapsedMs / 1000;
  return {
    messages,
    conversations,
    quota: `SendMessage ${rate.perSecond}/s, burst ${rate.burst}${scale === 1 ? '' : ` (×${scale} time scale)`}`,
    quotaMinimumS: round(minimumS, 1),
    drainS: round(drainS, 1),
    ratioToMinimum: round(drainS / minimumS, 2),
    goal: '≤ 1.2',
    delivered,
    duplicates,
    deadLettered: result.deadLettered.length,
    throttledCalls,
    invocations: result.invocations,
  };
}
