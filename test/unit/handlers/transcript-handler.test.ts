import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/transcript/handler.js';
import { conversationKeyString } from '../../../shared/domain/conversation.js';
import { idempotencyToken } from '../../../shared/domain/tokens.js';
import { transcriptionJobName } from '../../../shared/domain/voice-transcription.js';
import { CustomerConnection } from '../../../shared/use-cases/customer-connection.js';
import { PostVoiceTranscript } from '../../../shared/use-cases/post-voice-transcript.js';
import {
  activeConversation,
  CONVERSATION_KEY,
  endedConversation,
} from '../../support/conversation-builders.js';
import { scriptedChatService } from '../../support/fakes/chat-service.js';
import { InMemoryConversationStore } from '../../support/fakes/conversation-store.js';
import { RecordingTelemetry } from '../../support/fakes/telemetry.js';
import { FakeTranscribe, InMemoryTranscriptJobs } from '../../support/fakes/transcription.js';

const NOW = Date.UTC(2026, 10, 21, 10, 1, 0);
const JOB_PREFIX = 'wa-relay-test-';
const VOICE_NOTE_ID = 'wamid.HBgMNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMEQ3RjU3QTg0RjZBMjE5AA==';
const JOB = transcriptionJobName(JOB_PREFIX, VOICE_NOTE_ID);
// The note was sent at 10:00:00 UTC.
const SENT_AT = Date.UTC(2026, 10, 21, 10, 0, 0);

/** The EventBridge event as Transcribe sends it (fixture), for this job and status. */
function jobEvent(status: string, jobName = JOB): unknown {
  const event = JSON.parse(readFileSync('test/fixtures/transcribe/job-state-change-completed.json', 'utf8'));
  return { ...event, detail: { TranscriptionJobName: jobName, TranscriptionJobStatus: status } };
}

function transcriptWorld(options: { chat?: 'running' | 'ended' | 'next-chat' } = {}) {
  const telemetry = new RecordingTelemetry();
  const conversations = new InMemoryConversationStore();
  const chat = scriptedChatService(() => NOW);
  const records = new InMemoryTranscriptJobs();
  const transcribe = new FakeTranscribe();
  const conversation =
    options.chat === 'ended'
      ? endedConversation({ contactId: 'contact-of-the-note', endedAt: NOW - 60_000 })
      : activeConversation({
          contactId: options.chat === 'next-chat' ? 'contact-next-chat' : 'contact-of-the-note',
          expiresAt: NOW + 3_600_000,
        });
  conversations.put(conversation);
  const directory = {
    // Every contact the conversation has had leads to it (the table's contact lookups).
    findByContactId: async (contactId: string) =>
      ['contact-of-the-note', 'contact-next-chat'].includes(contactId)
        ? conversations.get(CONVERSATION_KEY)
        : undefined,
  };
  records.items.set(JOB, {
    jobName: JOB,
    conversationKey: conversationKeyString(CONVERSATION_KEY),
    contactId: 'contact-of-the-note',
    whatsAppMessageId: VOICE_NOTE_ID,
    sentAt: SENT_AT,
    posted: false,
  });
  const handler = makeHandler({
    postTranscript: new PostVoiceTranscript({
      records,
      results: transcribe,
      conversations: directory,
      connection: new CustomerConnection({
        chat,
        conversations,
        telemetry,
        now: () => NOW,
        refreshMarginMs: 60_000,
      }),
      chat,
      telemetry,
    }),
    jobPrefix: JOB_PREFIX,
    telemetry,
  });
  const posted = () => chat.requests('sendMessage').map((request) => request.content);
  return { telemetry, chat, records, transcribe, handler, posted };
}

describe('voice-note transcripts reach the agent through EventBridge', () => {
  it('posts a finished transcript into the chat, marked as a machine transcript with its language', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, {
      status: 'completed',
      text: 'Hola, mi pedido llegó roto.',
      languageCode: 'es-US',
    });

    // Act
    const outcome = await world.handler(jobEvent('COMPLETED'));

    // Assess
    expect(outcome).toEqual({ status: 'posted', kind: 'transcript' });
    expect(world.posted()).toEqual([
      '📝 Machine transcript of the voice message from 10:00 UTC (Amazon Transcribe, detected language es-US; may contain errors):\nHola, mi pedido llegó roto.',
    ]);
    expect(world.chat.requests('sendMessage')[0]).toMatchObject({
      contactId: 'contact-of-the-note',
      clientToken: idempotencyToken('voice-transcript', JOB, 0),
    });
    expect((await world.records.find(JOB))?.posted).toBe(true);
    expect(world.telemetry.counted('TranscriptsPosted', { Kind: 'transcript' })).toBe(1);
    expect(JSON.stringify(world.telemetry.logs)).not.toContain('pedido');
  });

  it('tells the agent in one line when Transcribe could not transcribe the note', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, {
      status: 'failed',
      reason: 'The media format provided does not match the detected media format.',
    });

    // Act
    const outcome = await world.handler(jobEvent('FAILED'));

    // Assess
    expect(outcome).toEqual({ status: 'posted', kind: 'failure' });
    expect(world.posted()).toEqual([
      '⚠ [WhatsApp relay notice — not from the customer] The voice message from 10:00 UTC could not be transcribed (The media format provided does not match the detected media format.); play the attached audio.',
    ]);
    expect(world.posted()[0]).not.toContain('\n');
  });

  it('posts a transcript once when EventBridge delivers the same event twice', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, {
      status: 'completed',
      text: 'Can you call me back?',
      languageCode: 'en-US',
    });

    // Act
    const first = await world.handler(jobEvent('COMPLETED'));
    const second = await world.handler(jobEvent('COMPLETED'));

    // Assess
    expect([first, second]).toEqual([{ status: 'posted', kind: 'transcript' }, { status: 'already-posted' }]);
    expect(world.posted()).toHaveLength(1);
    expect(world.telemetry.counted('TranscriptsAlreadyPosted')).toBe(1);
  });

  it('posts once when two deliveries of the event race: both send the same ClientToken, one is marked', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, { status: 'completed', text: 'Can you call me back?' });

    // Act
    const outcomes = await Promise.all([
      world.handler(jobEvent('COMPLETED')),
      world.handler(jobEvent('COMPLETED')),
    ]);

    // Assess: Connect accepts a ClientToken once, so the chat shows one transcript.
    const tokens = new Set(world.chat.requests('sendMessage').map((request) => request.clientToken));
    expect(tokens).toEqual(new Set([idempotencyToken('voice-transcript', JOB, 0)]));
    expect(outcomes.filter((outcome) => outcome.status === 'posted')).toHaveLength(1);
  });

  it('drops and counts a transcript that arrives after the chat ended, never posting it elsewhere', async () => {
    // Prepare
    const world = transcriptWorld({ chat: 'ended' });
    world.transcribe.outcomes.set(JOB, { status: 'completed', text: 'Late words' });

    // Act
    const outcome = await world.handler(jobEvent('COMPLETED'));

    // Assess
    expect(outcome).toEqual({ status: 'dropped', reason: 'ChatEnded' });
    expect(world.chat.calls).toEqual([]);
    expect(world.telemetry.counted('TranscriptsDropped', { Reason: 'ChatEnded' })).toBe(1);
  });

  it('drops a transcript whose customer is already in their next chat, instead of posting it there', async () => {
    // Prepare
    const world = transcriptWorld({ chat: 'next-chat' });
    world.transcribe.outcomes.set(JOB, { status: 'completed', text: 'Old words' });

    // Act
    const outcome = await world.handler(jobEvent('COMPLETED'));

    // Assess
    expect(outcome).toEqual({ status: 'dropped', reason: 'DifferentChat' });
    expect(world.chat.calls).toEqual([]);
  });

  it('drops the transcript when Connect refuses the participant: the chat ended on the way', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, { status: 'completed', text: 'words' });
    const { ConnectionRejectedError } = await import('../../../shared/ports/chat-service.js');
    world.chat.answer.sendMessage = async () => {
      throw new ConnectionRejectedError();
    };
    world.chat.answer.connectParticipant = async () => {
      throw new ConnectionRejectedError();
    };

    // Act
    const outcome = await world.handler(jobEvent('COMPLETED'));

    // Assess
    expect(outcome).toEqual({ status: 'dropped', reason: 'ChatEnded' });
    expect((await world.records.find(JOB))?.posted).toBe(false);
  });

  it('drops a job of this stack it has no record of, with the reason', async () => {
    // Prepare
    const world = transcriptWorld();
    const unknown = transcriptionJobName(JOB_PREFIX, 'wamid.never-seen');

    // Act
    const outcome = await world.handler(jobEvent('COMPLETED', unknown));

    // Assess
    expect(outcome).toEqual({ status: 'dropped', reason: 'UnknownJob' });
    expect(world.telemetry.counted('TranscriptsDropped', { Reason: 'UnknownJob' })).toBe(1);
    expect(world.telemetry.logs.at(-1)).toMatchObject({
      level: 'warn',
      attributes: { jobName: unknown, reason: 'UnknownJob' },
    });
  });

  it('ignores another application’s job and a malformed event, counting both', async () => {
    // Prepare
    const world = transcriptWorld();

    // Act
    const foreign = await world.handler(jobEvent('COMPLETED', 'someone-elses-job'));
    const malformed = await world.handler({ source: 'aws.transcribe', detail: {} });

    // Assess
    expect([foreign, malformed]).toEqual([{ status: 'ignored' }, { status: 'ignored' }]);
    expect(world.telemetry.counted('TranscriptsDropped', { Reason: 'UnknownJob' })).toBe(1);
    expect(world.telemetry.counted('TranscriptsDropped', { Reason: 'MalformedEvent' })).toBe(1);
    expect(world.chat.calls).toEqual([]);
  });

  it('splits a long transcript into ordered parts of at most 1,024 characters', async () => {
    // Prepare
    const world = transcriptWorld();
    world.transcribe.outcomes.set(JOB, {
      status: 'completed',
      text: 'palabra '.repeat(300),
      languageCode: 'es-ES',
    });

    // Act
    await world.handler(jobEvent('COMPLETED'));

    // Assess
    const parts = world.posted();
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((part) => part.length <= 1024)).toBe(true);
    expect(world.chat.requests('sendMessage').map((request) => request.clientToken)).toEqual(
      parts.map((_, index) => idempotencyToken('voice-transcript', JOB, index)),
    );
  });
});
