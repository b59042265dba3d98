import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { transcriptionJobName } from '../../shared/domain/voice-transcription.js';
import { ReliabilityRun } from '../support/reliability-harness.js';
import { runConversationWorkload } from '../support/reliability-workload.js';
import { suiteSeed } from '../support/seeded-random.js';
import {
  JOB_PREFIX,
  jobFinishedEvent,
  startTranscriptionEnvironment,
} from '../support/transcription-environment.js';
import { eumEnvelope, mediaMessage, sqsEvent, sqsRecordFor } from '../support/whatsapp-events.js';

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
  });
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
