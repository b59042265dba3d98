import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { transcriptionJobName } from '../../shared/domain/voice-transcription.js';
import { INBOUND_FLOW_ID } from '../support/inbound-environment.js';
import { type ConversationRef, ReliabilityRun } from '../support/reliability-harness.js';
import { runConversationWorkload } from '../support/reliability-workload.js';
import { suiteSeed } from '../support/seeded-random.js';
import {
  JOB_PREFIX,
  jobFinishedEvent,
  startTranscriptionEnvironment,
} from '../support/transcription-environment.js';
import { BUSINESS, eumEnvelope, mediaMessage, sqsEvent, sqsRecordFor } from '../support/whatsapp-events.js';

/**
 * Suite 1: at-least-once delivery. SNS and SQS may deliver any event more than once, and Meta
 * retries webhooks. Every event here is delivered three times, in a seeded interleaving, through
 * standard SQS semantics into the real handlers: customer messages across several conversations
 * (first messages included, so chat starts race), agent messages, typing, and WhatsApp statuses.
 * Nothing may reach the agent or the customer twice.
 */

const SEED = suiteSeed(4_101);
const COPIES = 3;

describe('reliability: every event delivered three times', () => {
  let run: ReliabilityRun;

  afterEach(async () => {
    await run?.stop();
  });

  it('relays each message once, one chat per conversation, nothing dead-lettered', async () => {
    run = await ReliabilityRun.start({
      seed: SEED,
      // Production queue settings (infra/constructs): 180 s visibility, 5 receives; time is virtual.
      queue: { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 10, concurrency: 3 },
      statusCopies: COPIES,
    });

    const sent = await runConversationWorkload(run, {
      earlyConversations: 4,
      lateConversations: 2,
      copies: COPIES,
    });

    const figures = run.figures();
    run.report(`duplicates: every event delivered ${COPIES} times`, figures, {
      DuplicatesSkipped: run.output.metric('DuplicatesSkipped'),
    });
    expect(figures.inbound).toEqual({
      expected: sent.customerMessages,
      delivered: sent.customerMessages,
      duplicates: 0,
      stray: 0,
    });
    expect(figures.outbound).toEqual({
      expected: sent.agentMessages,
      delivered: sent.agentMessages,
      duplicates: 0,
      stray: 0,
      misrouted: 0,
    });
    // Delivered and read for every agent message, although Meta's statuses came three times each.
    expect(figures.receipts).toEqual({
      expected: 2 * sent.agentMessages,
      delivered: 2 * sent.agentMessages,
      duplicates: 0,
      stray: 0,
    });
    expect(figures.conversations).toBe(sent.conversations);
    expect(figures.maxChatsPerConversation).toBe(1);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    // No send lost its answer, so the relay never had to guess.
    expect(figures.possibleDuplicateSends).toBe(0);
    // The copies did reach the pipeline, and were dropped: by the FIFO queues' deduplication (a
    // copy within 5 minutes of the first), or by the relay's ledger.
    const dropped =
      run.inboundFifo.duplicatesDropped +
      run.outboundFifo.duplicatesDropped +
      run.output.metric('DuplicatesSkipped');
    expect(dropped).toBeGreaterThan(0);
  });

  it('relays each message once when three containers, each with its own cache, share the work', async () => {
    // Prepare
    run = await ReliabilityRun.start({
      seed: suiteSeed(4_102),
      queue: { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 10, concurrency: 3 },
      statusCopies: COPIES,
      containers: 3,
    });

    // Act
    const sent = await runConversationWorkload(run, {
      earlyConversations: 4,
      lateConversations: 2,
      copies: COPIES,
    });

    // Assess
    const figures = run.figures();
    const byContainer = run.invocationsByContainer();
    run.report(`duplicates across 3 containers: every event delivered ${COPIES} times`, figures, {
      'invocations/container': byContainer.join(' '),
      DuplicatesSkipped: run.output.metric('DuplicatesSkipped'),
    });
    // Three cold starts: separate module instances (clients, caches), and every one did work.
    expect(new Set(run.containers.map((container) => container.inbound)).size).toBe(3);
    expect(byContainer.every((count) => count > 0)).toBe(true);
    expect(figures.inbound).toEqual({
      expected: sent.customerMessages,
      delivered: sent.customerMessages,
      duplicates: 0,
      stray: 0,
    });
    expect(figures.outbound).toEqual({
      expected: sent.agentMessages,
      delivered: sent.agentMessages,
      duplicates: 0,
      stray: 0,
      misrouted: 0,
    });
    expect(figures.receipts).toMatchObject({ expected: 2 * sent.agentMessages, duplicates: 0, stray: 0 });
    expect(figures.maxChatsPerConversation).toBe(1);
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    // A dead process's leftover calls back off in real time until its deadline (about 20 s each).
  }, 150_000);
});

/**
 * Suite 1, voice callbacks: every "call me" delivered three times. A customer's phone must ring
 * once per request, even when Connect placed the call and its answer was lost (the relay then
 * tells the agent instead of dialling again).
 */
describe('reliability: "call me" delivered three times', () => {
  let run: ReliabilityRun;
  const callbackNumbers = {
    BUSINESS_NUMBERS: JSON.stringify([
      {
        phoneNumberId: BUSINESS.phoneNumberId,
        inboundFlowId: INBOUND_FLOW_ID,
        callback: {
          enabled: true,
          outboundFlowId: 'outbound-flow-callback',
          sourcePhoneNumber: '+15550009999',
        },
      },
    ]),
  };

  afterEach(async () => {
    await run?.stop();
  });

  /** Each customer writes, then asks for a call; every event is delivered `COPIES` times. */
  async function callMeWorkload(customers: readonly ConversationRef[]): Promise<void> {
    run.deliver(
      customers.map((conversation) => ({
        queue: 'inbound' as const,
        body: run.customerMessage(conversation, `${conversation.customer} hello`),
      })),
      COPIES,
    );
    await run.settle();
    run.deliver(
      customers.map((conversation) => ({
        queue: 'inbound' as const,
        body: run.customerMessage(conversation, 'call me'),
      })),
      COPIES,
    );
    await run.settle();
  }

  it('rings each customer once, with one reply, and dead-letters nothing', async () => {
    // Prepare
    run = await ReliabilityRun.start({
      seed: suiteSeed(4_103),
      queue: { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 10, concurrency: 3 },
      env: callbackNumbers,
      containers: 2,
    });
    const customers = Array.from({ length: 6 }, (_, index) => run.conversation(`5511977700${index}`));

    // Act
    await callMeWorkload(customers);

    // Assess
    const callbacks = run.callbacks();
    const figures = run.figures();
    run.report(`"call me": every event delivered ${COPIES} times`, figures, {
      calls: [...callbacks.values()].reduce((sum, entry) => sum + entry.calls, 0),
    });
    expect(figures.inbound).toMatchObject({ expected: 12, delivered: 12, duplicates: 0 });
    for (const customer of customers) expect(callbacks.get(customer.e164)).toEqual({ calls: 1, replies: 1 });
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
  });

  it('never rings twice when the process dies right after Connect placed the call', async () => {
    // Prepare: the first StartOutboundVoiceContact of each call takes effect, then its process dies.
    run = await ReliabilityRun.start({
      seed: suiteSeed(4_104),
      // One message per invocation, so each death takes one call with it.
      queue: { visibilityTimeoutMs: 180_000, maxReceiveCount: 5, batchSize: 1, concurrency: 3 },
      env: callbackNumbers,
    });
    const died = new Set<string>();
    run.faults = (call) => {
      const invocation = call.invocation;
      if (invocation?.dead) return 'exit';
      if (call.operation !== 'StartOutboundVoiceContact' || call.phase !== 'after') return undefined;
      const request = call.key.split('#')[0] ?? '';
      if (died.has(request) || !invocation) return undefined;
      died.add(request);
      invocation.dead = true;
      return 'exit';
    };
    // A dead process never returns its batch response: SQS sees a failed invocation.
    run.wrapInbound = async (handler, event) => {
      const response = await handler(event);
      if (run.invocations.getStore()?.dead) throw new Error('Runtime exited mid-batch');
      return response;
    };
    const customers = Array.from({ length: 2 }, (_, index) => run.conversation(`5511977800${index}`));

    // Act
    await callMeWorkload(customers);

    // Assess
    const callbacks = run.callbacks();
    const figures = run.figures();
    run.report('"call me": the process dies after each call is placed', figures, {
      deaths: died.size,
      CallbacksUnconfirmed: run.output.metric('CallbacksUnconfirmed'),
    });
    expect(died.size).toBe(customers.length);
    expect(figures.inbound).toMatchObject({ expected: 4, delivered: 4, duplicates: 0 });
    // Each phone rang once; the customer got no "calling you" (the relay could not confirm it),
    // and the agent was told to check instead.
    for (const customer of customers) expect(callbacks.get(customer.e164)).toEqual({ calls: 1, replies: 0 });
    for (const customer of customers) {
      const notices = run
        .contactsOf(customer)
        .flatMap((contact) => run.env.connect.transcript(contact.contactId))
        .filter((line) => line.includes('Connect did not confirm whether it placed the call'));
      expect(notices).toHaveLength(1);
    }
    expect(figures.deadLettered).toEqual({ redrive: 0, rejected: 0 });
    // A dead process's leftover calls back off in real time until its deadline (about 20 s each).
  }, 150_000);
});

describe('reliability: a voice note and its transcript delivered three times', () => {
  it('starts one Transcribe job and posts one transcript: 0 double transcripts', async () => {
    // Prepare: the first job start takes effect but its answer is lost, so the message is retried.
    const world = await startTranscriptionEnvironment();
    try {
      const message = mediaMessage({
        from: '5511987654321',
        type: 'audio',
        media: { id: '3847561029384751', mime_type: 'audio/ogg; codecs=opus', voice: true },
        timestamp: 1_795_255_200,
      });
      world.env.media.addFile('3847561029384751', {
        mimeType: 'audio/ogg; codecs=opus',
        bytes: new Uint8Array(readFileSync('test/fixtures/voice-note.ogg')),
      });
      world.loseNextAnswers(1);
      const record = sqsRecordFor(eumEnvelope({ messages: [message] }));
      const jobName = transcriptionJobName(JOB_PREFIX, message.id);

      // Act: the failed attempt and three more copies of the record, then three copies of the event.
      const first = await world.env.handler(sqsEvent(record));
      const copies = [];
      for (let copy = 0; copy < COPIES; copy++) {
        copies.push(
          await world.env.handler(
            sqsEvent({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }),
          ),
        );
      }
      world.finish(jobName, 'Can you call me back?', 'en-US');
      const transcriptHandler = await world.transcriptHandler();
      await Promise.all(Array.from({ length: COPIES }, () => transcriptHandler(jobFinishedEvent(jobName))));

      // Assess
      expect(first.batchItemFailures).toHaveLength(1);
      // The retry finds its job already started (ConflictException) and completes the message.
      expect(copies.map((response) => response.batchItemFailures)).toEqual([[], [], []]);
      expect([...world.jobs.keys()]).toEqual([jobName]);
      const [contact] = [...world.env.connect.contacts.values()];
      const transcripts = world.env.connect
        .transcript(contact?.contactId ?? '')
        .filter((line) => line.startsWith('📝 Machine transcript'));
      expect(transcripts).toHaveLength(1);
    } finally {
      await world.stop();
    }
  });
});
