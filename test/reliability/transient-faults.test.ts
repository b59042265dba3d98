import { afterEach, describe, expect, it } from 'vitest';
import { type AwsService, type FaultPlan, ReliabilityRun } from '../support/reliability-harness.js';
import { runConversationWorkload } from '../support/reliability-workload.js';
import { keyedUniform, suiteSeed } from '../support/seeded-random.js';

/**
 * Suite 2: transient faults. Every AWS call fails at random 20% of the time, split evenly between
 * throttling, a 5xx, a timeout before the call took effect, and a timeout AFTER it took effect
 * (the answer is lost). Each decision is drawn from the seed and the request itself (its
 * ClientToken, message or table key, and attempt number), not from call order, so a fault lands on
 * the same request run after run. Contact ids and batch make-up still depend on scheduling, so the
 * printed figures can differ slightly between runs; the assertions hold for any of them.
 *
 * Connect, the participant service and EUM Social are faked above the SDK, so their faults reach
 * the relay directly: harsher than production, where the SDK retries first. DynamoDB is the real
 * emulator; its faults are injected into each HTTP attempt beneath the SDK, whose standard retries
 * (3 attempts, as index.ts configures) run as in production.
 *
 * Retries go through SQS: 180 s visibility (virtual time) and a DLQ after 20 receives. Why 20:
 * at this rate a chat start fails about every other attempt (three Connect calls, none retried by
 * the SDK here), and every other message of that conversation waiting for the chat loses a receive
 * with it. Over 30 seeds the most receives any message needed was 11 (Connect and EUM faults) and
 * 12 (DynamoDB too); 20 leaves a margin, so a dead letter here means a stuck message, not bad
 * luck. Production's 5 is sized for the SDK's own retries in front (docs/reliability.md).
 */

const RATE = 0.2;

/** One fault decision per request attempt; `after` re-derives the same draw as its `before`. */
function transientFaults(seed: number, services: readonly AwsService[]): FaultPlan {
  const share = RATE / 4;
  return (call) => {
    if (!services.includes(call.service)) return undefined;
    const draw = keyedUniform(seed, `${call.service}|${call.operation}|${call.key}`);
    if (call.phase === 'after') return draw >= 3 * share && draw < RATE ? 'timeout' : undefined;
    if (draw < share) return 'throttle';
    if (draw < 2 * share) return 'server-error';
    if (draw < 3 * share) return 'timeout';
    return undefined;
  };
}

const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 20, batchSize: 10, concurrency: 6 } as const;
// A message waiting behind another invocation's chat start gives up after 0.3 s instead of 8 s: the
// wait is the relay's only real-time sleep, and giving up early only costs the waiter a redelivery.
const ENV = { CHAT_START_WAIT_MS: '300' };

describe('reliability: 20% transient faults on every AWS call', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  it.each([
    { label: 'Connect, participant service and EUM Social', seed: suiteSeed(5_201), dynamoDb: false },
    {
      label: "the same plus DynamoDB (beneath the SDK retries) and the ordering stages' SQS sends",
      seed: suiteSeed(5_202),
      dynamoDb: true,
    },
  ])('delivers everything exactly once with faults on $label', async ({ label, seed, dynamoDb }) => {
    run = await ReliabilityRun.start({ seed, queue: QUEUE, env: ENV });
    const services: AwsService[] = [
      'connect',
      'participant',
      'whatsapp',
      ...(dynamoDb ? ['dynamodb' as const, 'sqs' as const] : []),
    ];
    run.faults = transientFaults(seed, services);

    const sent = await runConversationWorkload(run, {
      earlyConversations: 4,
      lateConversations: 2,
      copies: 1,
    });

    const figures = run.figures();
    const lostSendAnswers = figures.injected['whatsapp.SendWhatsAppMessage.after-effect-timeout'] ?? 0;
    run.report(`transient faults (${Math.round(RATE * 100)}%) on ${label}`, figures, {
      'WhatsApp duplicates': `${figures.outbound.duplicates} observed, bound: ${lostSendAnswers} lost SendWhatsAppMessage answers`,
      RelayFailures: run.output.metric('RelayFailures'),
    });

    expect(figures.inbound).toEqual({
      expected: sent.customerMessages,
      delivered: sent.customerMessages,
      duplicates: 0,
      stray: 0,
    });
    expect(figures.outbound).toMatchObject({
      expected: sent.agentMessages,
      delivered: sent.agentMessages,
      stray: 0,
      misrouted: 0,
    });
    expect(figures.receipts).toMatchObject({
      expected: 2 * sent.agentMessages,
      delivered: 2 * sent.agentMessages,
    });
    expect(figures.receipts.duplicates).toBe(0);
    expect(figures.maxChatsPerConversation).toBe(1);
    // A failed item held back its conversation's later items, across batches and redeliveries.
    expect(figures.outOfOrder).toEqual({ inbound: 0, outbound: 0 });
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    // SendWhatsAppMessage takes no idempotency token: a duplicate needs a send whose record was
    // lost. Every one must have been flagged by the relay itself.
    expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.unrecordedSends);
    expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.possibleDuplicateSends);
    if (!dynamoDb) {
      // Without DynamoDB faults the only way to lose a send's record is to lose its answer.
      expect(figures.unrecordedSends).toBeLessThanOrEqual(lostSendAnswers);
      expect(figures.outbound.duplicates).toBeLessThanOrEqual(lostSendAnswers);
    }
    // The faults really happened: on each faked API, and of every kind.
    const injected = (matches: (name: string) => boolean) =>
      Object.entries(figures.injected)
        .filter(([name]) => matches(name))
        .reduce((sum, [, count]) => sum + count, 0);
    expect(
      injected((name) => /^(connect|participant)\./.test(name)),
      'Connect',
    ).toBeGreaterThan(0);
    expect(
      injected((name) => name.startsWith('whatsapp.')),
      'EUM Social',
    ).toBeGreaterThan(0);
    if (dynamoDb)
      expect(
        injected((name) => name.startsWith('dynamodb.')),
        'DynamoDB',
      ).toBeGreaterThan(0);
    for (const kind of ['.throttle', '.server-error', '.timeout', '.after-effect-timeout']) {
      expect(
        injected((name) => name.endsWith(kind)),
        kind,
      ).toBeGreaterThan(0);
    }
  });
});
