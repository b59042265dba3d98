import { afterEach, describe, expect, it } from 'vitest';
import {
  type AwsCall,
  type FaultKind,
  type FaultPlan,
  ReliabilityRun,
} from '../support/reliability-harness.js';
import { runConversationWorkload } from '../support/reliability-workload.js';
import { keyedUniform, suiteSeed } from '../support/seeded-random.js';

/**
 * Per-conversation order under faults (issue 9, part 1). A message whose call is throttled past the
 * relay's in-place retries goes back to its queue; the conversation's later messages must wait for
 * it, in both directions, while other conversations keep flowing. Each scenario publishes in order,
 * one record per invocation, so the later messages really are in other batches than the failed one.
 */

const QUEUE = { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 1, concurrency: 2 } as const;

/**
 * Throttles the first attempt of the call carrying `text`, for longer than the invocation has left
 * (the virtual clock jumps 30 s), so the relay's in-place backoff gives up and SQS must retry it.
 */
function throttleOnceBeyondTheInvocation(run: ReliabilityRun, service: AwsCall['service'], text: string) {
  let throttled = false;
  return (call: AwsCall): FaultKind | undefined => {
    if (throttled || call.phase !== 'before' || call.service !== service || call.text !== text) {
      return undefined;
    }
    throttled = true;
    run.clock.advanceTo(run.clock.now() + 30_000);
    return 'throttle';
  };
}

describe('reliability: a conversation never overtakes itself', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  it("shows the agent texts 1, 2, 3 in order when text 2 is throttled past the relay's retries", async () => {
    // Prepare
    run = await ReliabilityRun.start({ seed: suiteSeed(9_101), queue: QUEUE });
    const ana = run.conversation('5511990009101');
    const bruno = run.conversation('5511990009102');
    run.publish([{ queue: 'inbound', body: run.customerMessage(ana, 'Hello') }]);
    await run.settle();
    run.faults = throttleOnceBeyondTheInvocation(run, 'participant', 'Text 2');

    // Act
    run.publish([
      { queue: 'inbound', body: run.customerMessage(ana, 'Text 1') },
      { queue: 'inbound', body: run.customerMessage(ana, 'Text 2') },
      { queue: 'inbound', body: run.customerMessage(bruno, 'Bruno here') },
      { queue: 'inbound', body: run.customerMessage(ana, 'Text 3') },
    ]);
    await run.settle();

    // Assess
    expect(run.injected['participant.SendMessage.throttle']).toBe(1);
    expect(run.contactOf(ana).transcript.map((entry) => entry.content)).toEqual([
      'Hello',
      'Text 1',
      'Text 2',
      'Text 3',
    ]);
    expect(run.contactOf(bruno).transcript.map((entry) => entry.content)).toEqual(['Bruno here']);
  });

  it('sends the customer "Step 1" before "Step 2" when "Step 1" is throttled past the relay\'s retries', async () => {
    // Prepare
    run = await ReliabilityRun.start({ seed: suiteSeed(9_102), queue: QUEUE });
    const ana = run.conversation('5511990009103');
    run.publish([{ queue: 'inbound', body: run.customerMessage(ana, 'I need help') }]);
    await run.settle();
    run.faults = throttleOnceBeyondTheInvocation(run, 'whatsapp', 'Step 1');

    // Act
    run.publish([
      { queue: 'outbound', body: run.agentMessage(ana, 'Step 1') },
      { queue: 'outbound', body: run.agentMessage(ana, 'Step 2') },
      { queue: 'outbound', body: run.agentMessage(ana, 'Step 3') },
    ]);
    await run.settle();

    // Assess
    expect(run.injected['whatsapp.SendWhatsAppMessage.throttle']).toBe(1);
    const texts = run.env.whatsApp
      .messagesTo(ana.e164)
      .map((payload) => (payload.text as { body?: string } | undefined)?.body);
    expect(texts).toEqual(['Step 1', 'Step 2', 'Step 3']);
  });

  /**
   * Sustained throttling: 25% of Connect, participant and EUM Social requests are throttled, and
   * half of those for longer than the invocation has left (the clock jumps 30 s), so they go back
   * through SQS while the conversation's later messages are already queued behind them.
   */
  function sustainedThrottling(run: ReliabilityRun, seed: number): FaultPlan {
    return (call) => {
      if (call.phase !== 'before' || !['connect', 'participant', 'whatsapp'].includes(call.service)) {
        return undefined;
      }
      const draw = keyedUniform(seed, `throttle|${call.service}|${call.operation}|${call.key}`);
      if (draw >= 0.25) return undefined;
      if (draw < 0.125) run.clock.advanceTo(run.clock.now() + 30_000);
      return 'throttle';
    };
  }

  it.each([9_201, 9_202, 9_203])(
    'keeps every conversation in order in both directions under sustained throttling (seed base %i)',
    async (base) => {
      // Prepare
      const seed = suiteSeed(base);
      run = await ReliabilityRun.start({
        seed,
        queue: { visibilityTimeoutMs: 180_000, maxReceiveCount: 20, batchSize: 10, concurrency: 4 },
        env: { CHAT_START_WAIT_MS: '300' },
      });
      run.faults = sustainedThrottling(run, seed);

      // Act
      const sent = await runConversationWorkload(run, {
        earlyConversations: 4,
        lateConversations: 2,
        copies: 1,
      });

      // Assess
      const figures = run.figures();
      run.report('sustained throttling (25%, half beyond the invocation)', figures, {
        RelayFailures: run.output.metric('RelayFailures'),
      });
      expect(figures.inbound.delivered).toBe(sent.customerMessages);
      expect(figures.outbound.delivered).toBe(sent.agentMessages);
      expect(figures.outOfOrder).toEqual({ inbound: 0, outbound: 0 });
      // Items really went back through SQS while their conversations had later ones queued.
      expect(run.output.metric('RelayFailures')).toBeGreaterThan(0);
    },
    120_000,
  );
});
