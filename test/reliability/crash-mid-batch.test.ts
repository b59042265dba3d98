import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AwsCall,
  type FaultPlan,
  type Invocation,
  ReliabilityRun,
} from '../support/reliability-harness.js';
import { runConversationWorkload } from '../support/reliability-workload.js';
import { keyedUniform, suiteSeed } from '../support/seeded-random.js';

/**
 * Suite 3: the process dies mid-batch. Lambda can be killed at any point (timeout, out of memory,
 * a host failure): some records took effect, none were acknowledged, and SQS delivers the whole
 * batch again after the visibility timeout.
 *
 * - After the work: the real handler runs to the end, then the invocation dies instead of
 *   returning its batch response.
 * - Right after a given call took effect (StartChatContact, SendMessage, SendWhatsAppMessage, …):
 *   the worst moments for each step, one run each.
 * - After a random call: the invocation dies right after its K-th AWS call (Connect, participant,
 *   EUM Social or a DynamoDB HTTP attempt) took effect.
 * In the last two, the dying call's answer and every later call are lost, and so is the batch
 * response.
 *
 * Which invocations crash is keyed on the batch (its records and their receive counts). Queue:
 * production's 180 s visibility (virtual time), DLQ after 20 receives: with 40% of invocations
 * crashing, a message can land in several crashing batches in a row (over 21 seeds the most
 * receives any message needed was 8), so 20 keeps a dead letter meaning a stuck message.
 */

const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 20, batchSize: 5, concurrency: 4 } as const;
const ENV = { CHAT_START_WAIT_MS: '300' };
const CRASH_RATE = 0.4;
const MAX_CRASH_POINT = 25;
const DEATHS_PER_POINT = 3;
const CRASH_TEST_TIMEOUT_MS = 180_000;

function batchKey(queue: string, event: SQSEvent): string {
  return event.Records.map(
    (record) => `${queue}:${record.messageId}@${record.attributes.ApproximateReceiveCount}`,
  )
    .sort()
    .join(',');
}

/**
 * The process dies right after the call `diesAfter` picks took effect: that call's answer is lost,
 * and every call the invocation still makes fails without effect.
 */
function deadProcess(
  deaths: string[],
  diesAfter: (call: AwsCall, invocation: Invocation) => boolean,
): FaultPlan {
  return (call) => {
    const invocation = call.invocation;
    if (!invocation) return undefined;
    if (invocation.dead) return 'exit';
    if (call.phase === 'before') {
      if (!invocation.plan.dyingAfter && diesAfter(call, invocation)) invocation.plan.dyingAfter = call.key;
      return undefined;
    }
    if (invocation.plan.dyingAfter !== call.key) return undefined;
    invocation.dead = true;
    deaths.push(`${call.service}.${call.operation}`);
    return 'exit';
  };
}

describe('reliability: the process dies mid-batch', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  it('loses and duplicates nothing when invocations die after their work, before answering', async () => {
    const seed = suiteSeed(6_301);
    run = await ReliabilityRun.start({ seed, queue: QUEUE, env: ENV });
    const crashAfterWork = (queue: 'inbound' | 'outbound') => async (handler: Handler, event: SQSEvent) => {
      const response = await handler(event);
      if (keyedUniform(seed, `crash|${batchKey(queue, event)}`) < CRASH_RATE) {
        throw new Error('Runtime exited before returning the batch response');
      }
      return response;
    };
    run.wrapInbound = crashAfterWork('inbound');
    run.wrapOutbound = crashAfterWork('outbound');

    const sent = await runConversationWorkload(run, {
      earlyConversations: 4,
      lateConversations: 2,
      copies: 1,
    });

    const figures = run.figures();
    run.report('crash after the work, before the batch response', figures);
    expect(figures.crashes).toBeGreaterThan(0);
    expectEverythingOnce(figures, sent);
    // Every send was marked sent before the crash: redelivery must send nothing again.
    expect(figures.outbound.duplicates).toBe(0);
    expect(figures.unrecordedSends).toBe(0);
  });

  it.each([
    {
      point: 'StartChatContact (the chat exists, nothing records it)',
      service: 'connect',
      operation: 'StartChatContact',
      base: 6_311,
    },
    {
      point: 'CreateParticipantConnection',
      service: 'participant',
      operation: 'CreateParticipantConnection',
      base: 6_312,
    },
    {
      point: 'SendMessage (the agent has the text, the ledger does not)',
      service: 'participant',
      operation: 'SendMessage',
      base: 6_313,
    },
    { point: 'SendEvent (a receipt)', service: 'participant', operation: 'SendEvent', base: 6_314 },
    { point: 'a DynamoDB write', service: 'dynamodb', operation: 'PutItem', base: 6_315 },
    {
      point: 'SendWhatsAppMessage (WhatsApp has it, the claim is not marked sent)',
      service: 'whatsapp',
      operation: 'SendWhatsAppMessage',
      base: 6_316,
    },
  ] as const)(
    'recovers when processes die right after $point took effect',
    async ({ service, operation, base }) => {
      const seed = suiteSeed(base);
      run = await ReliabilityRun.start({ seed, queue: QUEUE, env: ENV });
      const deaths: string[] = [];
      const isTarget = (call: AwsCall) =>
        call.service === service &&
        call.operation === operation &&
        // For WhatsApp, a chat message (read receipts and typing carry no "type").
        (service !== 'whatsapp' || call.key.includes('"type"'));
      // The first processes to make that call die right after it, each one mid-batch.
      let doomed = 0;
      run.faults = deadProcess(deaths, (call) => isTarget(call) && doomed++ < DEATHS_PER_POINT);
      run.wrapInbound = async (handler, event) => dieWith(run.invocations.getStore(), await handler(event));
      run.wrapOutbound = run.wrapInbound;

      const sent = await runConversationWorkload(run, {
        earlyConversations: 3,
        lateConversations: 1,
        copies: 1,
      });

      const figures = run.figures();
      run.report(`crash right after ${service}.${operation}`, figures, {
        'WhatsApp duplicates': `${figures.outbound.duplicates} observed, bound: ${figures.unrecordedSends} sends lost with their process`,
      });
      expect(deaths).toHaveLength(DEATHS_PER_POINT);
      expectEverythingOnce(figures, sent);
      // A duplicate needs a send that took effect in a process that died before marking it sent,
      // and the relay must have counted each one as a possible duplicate.
      expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.unrecordedSends);
      expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.possibleDuplicateSends);
      if (service === 'whatsapp') expect(figures.unrecordedSends).toBeGreaterThan(0);
      else expect(figures.unrecordedSends).toBe(0);
    },
    // A dead process's leftover calls back off in real time until its deadline (about 20 s), and
    // behind a FIFO queue one batch can hold several conversations, so the deaths run one after
    // another rather than side by side.
    CRASH_TEST_TIMEOUT_MS,
  );

  it(
    'loses nothing, and duplicates only unrecorded sends, when processes die after a random call',
    async () => {
      const seed = suiteSeed(6_302);
      run = await ReliabilityRun.start({ seed, queue: QUEUE, env: ENV });
      const deaths: string[] = [];
      run.faults = deadProcess(deaths, (_, invocation) => invocation.calls === invocation.plan.crashAt);
      const diePartWay = (queue: 'inbound' | 'outbound') => async (handler: Handler, event: SQSEvent) => {
        const invocation = run.invocations.getStore();
        const key = batchKey(queue, event);
        if (invocation && keyedUniform(seed, `crash|${key}`) < CRASH_RATE) {
          invocation.plan.crashAt = 1 + Math.floor(keyedUniform(seed, `crash-at|${key}`) * MAX_CRASH_POINT);
        }
        return dieWith(invocation, await handler(event));
      };
      run.wrapInbound = diePartWay('inbound');
      run.wrapOutbound = diePartWay('outbound');

      const sent = await runConversationWorkload(run, {
        earlyConversations: 4,
        lateConversations: 2,
        copies: 1,
      });

      const figures = run.figures();
      run.report(`crash after a random call (1..${MAX_CRASH_POINT})`, figures, {
        'died right after': countBy(deaths),
        'WhatsApp duplicates': `${figures.outbound.duplicates} observed, bound: ${figures.unrecordedSends} sends lost with their process`,
      });
      expect(deaths.length).toBeGreaterThan(0);
      expectEverythingOnce(figures, sent);
      expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.unrecordedSends);
      expect(figures.outbound.duplicates).toBeLessThanOrEqual(figures.possibleDuplicateSends);
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});

/** A dead process never returns its batch response: SQS sees a failed invocation. */
function dieWith(invocation: Invocation | undefined, response: SQSBatchResponse): SQSBatchResponse {
  if (invocation?.dead) throw new Error('Runtime exited mid-batch');
  return response;
}

function countBy(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value}×${count}`).join(' ');
}

type Handler = Parameters<ReliabilityRun['wrapInbound']>[0];

function expectEverythingOnce(
  figures: ReturnType<ReliabilityRun['figures']>,
  sent: { customerMessages: number; agentMessages: number },
): void {
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
    duplicates: 0,
  });
  expect(figures.maxChatsPerConversation).toBe(1);
  expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
}
