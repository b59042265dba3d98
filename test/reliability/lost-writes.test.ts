import { afterEach, describe, expect, it } from 'vitest';
import { type FaultPlan, ReliabilityRun } from '../support/reliability-harness.js';
import { suiteSeed } from '../support/seeded-random.js';

const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 10, batchSize: 10, concurrency: 2 } as const;

/**
 * Two writes that record one step, where one lands and the other is lost (every SDK attempt
 * answered with a 5xx): a DynamoDB brownout, or a process killed between the two. Each one lost a
 * message before it was fixed; pinned here so they cannot come back.
 */
describe('reliability: one of two writes lost', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  /** Fails every SDK attempt of the first matching DynamoDB write; everything else goes through. */
  function loseWrite(operation: string, matches: (key: string) => boolean): FaultPlan {
    let lost = 0;
    return (call) => {
      if (call.service !== 'dynamodb' || call.operation !== operation || call.phase !== 'before')
        return undefined;
      if (lost >= 3 || !matches(call.key)) return undefined;
      lost++;
      return 'server-error';
    };
  }

  async function customerThenAgent(title: string, seed: number, plan: FaultPlan) {
    run = await ReliabilityRun.start({ seed, queue: QUEUE });
    run.faults = plan;
    const conversation = run.conversation('5511952000001');
    run.deliver([{ queue: 'inbound', body: run.customerMessage(conversation, 'hello, anyone there?') }]);
    await run.settle();
    run.deliver([{ queue: 'outbound', body: run.agentMessage(conversation, 'Yes, how can I help?') }]);
    await run.settle();
    const figures = run.figures();
    run.report(title, figures, {
      OutboundUnknownContact: run.output.metric('OutboundUnknownContact'),
      WindowClosedBlocked: run.output.metric('WindowClosedBlocked'),
    });
    return figures;
  }

  it("still routes the agent's reply when the new chat's contact lookup was lost", async () => {
    const figures = await customerThenAgent(
      'contact lookup write lost',
      suiteSeed(5_301),
      loseWrite('PutItem', (key) => key.startsWith('contact#')),
    );

    expect(figures.injected).toEqual({ 'dynamodb.PutItem.server-error': 3 });
    expect(figures.inbound).toMatchObject({ expected: 1, delivered: 1, duplicates: 0 });
    expect(figures.outbound).toMatchObject({ expected: 1, delivered: 1, duplicates: 0 });
    expect(figures.receipts).toMatchObject({ expected: 2, delivered: 2 });
    expect(run.output.metric('OutboundUnknownContact')).toBe(0);
  });

  it("keeps the 24-hour window open when the customer's activity was lost but the ledger landed", async () => {
    const figures = await customerThenAgent(
      'customer activity write lost',
      suiteSeed(5_302),
      loseWrite('UpdateItem', (key) => key.includes('lastCustomerMessageAt')),
    );

    expect(figures.injected).toEqual({ 'dynamodb.UpdateItem.server-error': 3 });
    expect(figures.inbound).toMatchObject({ expected: 1, delivered: 1, duplicates: 0 });
    expect(figures.outbound).toMatchObject({ expected: 1, delivered: 1, duplicates: 0 });
    expect(run.output.metric('WindowClosedBlocked')).toBe(0);
  });
});
