import { describe, expect, it } from 'vitest';
import type { TranscriptionSettings } from '../../shared/domain/voice-transcription.js';
import { transcriptionJobName } from '../../shared/domain/voice-transcription.js';
import { TranscriptionRefusedError } from '../../shared/ports/transcription.js';
import { StartVoiceTranscription } from '../../shared/use-cases/start-voice-transcription.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { FakeTranscribe, InMemoryTranscriptJobs } from '../support/fakes/transcription.js';
import { customerMessage } from '../support/inbound-messages.js';

const ON: TranscriptionSettings = { enabled: true, languages: ['es-US', 'en-US'], maxSeconds: 120 };

function world(settings: TranscriptionSettings | undefined) {
  const jobs = new FakeTranscribe();
  const records = new InMemoryTranscriptJobs();
  const telemetry = new RecordingTelemetry();
  const starter = new StartVoiceTranscription({
    jobs,
    records,
    telemetry,
    settingsFor: () => settings,
    jobPrefix: 'stack-vn-',
  });
  const note = (durationSeconds: number) => ({
    message: customerMessage({
      id: 'wamid.voice',
      at: Date.UTC(2026, 10, 21, 10),
      content: { kind: 'media', mediaKind: 'audio', mediaId: 'm', mimeType: 'audio/ogg', voice: true },
    }),
    contactId: 'contact-running',
    mediaKey: 'inbound/abc/m.ogg',
    durationSeconds,
  });
  return { jobs, records, telemetry, starter, note };
}

describe('starting a voice note’s transcription', () => {
  it('skips a number with transcription off, and a note longer than its maximum, counting why', async () => {
    // Prepare
    const off = world(undefined);
    const capped = world(ON);

    // Act
    const outcomes = [await off.starter.start(off.note(10)), await capped.starter.start(capped.note(121))];

    // Assess
    expect(outcomes).toEqual(['skipped', 'skipped']);
    expect(off.telemetry.counted('TranscriptionsSkipped', { Reason: 'Off' })).toBe(1);
    expect(capped.telemetry.counted('TranscriptionsSkipped', { Reason: 'TooLong' })).toBe(1);
    expect([...off.jobs.started, ...capped.jobs.started]).toEqual([]);
  });

  it('records which chat the note is in before starting its job, with the number’s candidate languages', async () => {
    // Prepare
    const { starter, note, records, jobs } = world(ON);

    // Act
    const outcome = await starter.start(note(30));

    // Assess
    const jobName = transcriptionJobName('stack-vn-', 'wamid.voice');
    expect(outcome).toBe('started');
    expect(await records.find(jobName)).toMatchObject({
      contactId: 'contact-running',
      whatsAppMessageId: 'wamid.voice',
      posted: false,
    });
    expect(jobs.started).toEqual([{ jobName, mediaKey: 'inbound/abc/m.ogg', languages: ['es-US', 'en-US'] }]);
  });

  it('starts nothing for a note whose transcript is already in the chat', async () => {
    // Prepare
    const { starter, note, records, jobs } = world(ON);
    await starter.start(note(30));
    await records.markPosted(transcriptionJobName('stack-vn-', 'wamid.voice'));

    // Act
    const outcome = await starter.start(note(30));

    // Assess
    expect(outcome).toBe('already-posted');
    expect(jobs.started).toHaveLength(1);
  });

  it('keeps the message when Transcribe refuses the job, counting it', async () => {
    // Prepare
    const { starter, note, jobs, telemetry } = world(ON);
    jobs.start = async () => {
      throw new TranscriptionRefusedError('Unsupported language');
    };

    // Act + Assess
    await expect(starter.start(note(30))).resolves.toBe('refused');
    expect(telemetry.counted('TranscriptionsNotStarted')).toBe(1);
  });
});
