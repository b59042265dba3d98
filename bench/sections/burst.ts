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
  orderingInvocations: number;
}

/**
 * A burst under Connect's participant quota: 500 messages across 50 running chats, while the fake
 * answers SendMessage beyond 10 per second (burst 15) with ThrottlingException, as Connect does.
 * The pipeline is the deployed one: the standard queue (real SQS semantics) → two ordering-stage
 * containers → the FIFO queue (message groups: a conversation's next message waits for the one in
 * flight) → five inbound containers. The quota minimum is the time the token bucket itself needs:
 * (messages − burst) ÷ rate. `timeScale` speeds the quota up (and the minimum down) by the same
 * factor, keeping the ratio.
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
  const orderingBundle = await buildBundle('inbound-ordering');
  const orderingContainers: Container[] = await Promise.all(
    Array.from({ length: 2 }, () => startContainer(orderingBundle, world.env)),
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
    concurrency: orderingContainers.length,
  });
  const fifo = new SimulatedQueue({
    visibilityTimeoutMs: 180_000,
    maxReceiveCount: 5,
    batchSize: 10,
    concurrency: containers.length,
    fifo: true,
  });
  world.ordered.onOrderedSend = (_queueUrl, entries) => {
    for (const entry of entries) {
      fifo.send(entry.MessageBody, {
        groupId: entry.MessageGroupId ?? '',
        deduplicationId: entry.MessageDeduplicationId ?? '',
      });
    }
  };
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
  const started = Date.now();
  const invokeOn = (pool: Container[]) => async (event: import('aws-lambda').SQSEvent) => {
    const container = pool.pop();
    if (!container) throw new Error('no idle container');
    try {
      const outcome = await container.invoke(event);
      if (outcome.error) throw new Error(outcome.error);
      return outcome.response;
    } finally {
      pool.push(container);
    }
  };
  let ordering = true;
  const ordered = queue.drain(invokeOn([...orderingContainers]), 600_000).finally(() => {
    ordering = false;
  });
  const relayed = { invocations: 0, deadLettered: 0 };
  // The FIFO queue fills while it drains: poll it until the ordering stage is done and it is empty.
  while (ordering || fifo.depth > 0) {
    if (fifo.depth === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    const drained = await fifo.drain(invokeOn([...containers]), 600_000);
    relayed.invocations += drained.invocations;
  }
  const standard = await ordered;
  relayed.deadLettered = fifo.deadLetters.length + standard.deadLettered.length;
  const result = { elapsedMs: Date.now() - started, ...relayed, orderingInvocations: standard.invocations };

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
  for (const container of [...containers, ...orderingContainers]) container.stop();
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
    deadLettered: result.deadLettered,
    throttledCalls,
    invocations: result.invocations,
    orderingInvocations: result.orderingInvocations,
  };
}
