import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transcriptionJobName, transcriptKey } from '../../shared/domain/voice-transcription.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { MEDIA_BUCKET } from '../support/inbound-environment.js';
import {
  JOB_PREFIX,
  jobFinishedEvent,
  startTranscriptionEnvironment,
} from '../support/transcription-environment.js';
import {
  eumEnvelope,
  mediaMessage,
  SECOND_BUSINESS,
  sqsEvent,
  sqsRecordFor,
} from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const SENT_AT = 1_795_255_200; // 2026-11-21T10:00:00Z
const VOICE_NOTE = new Uint8Array(readFileSync('test/fixtures/voice-note.ogg'));

function voiceNote(mediaId: string) {
  return mediaMessage({
    from: CUSTOMER,
    type: 'audio',
    media: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', voice: true },
    timestamp: SENT_AT,
  });
}

describe('voice notes: the agent gets the audio, then its transcript', () => {
  let world: Awaited<ReturnType<typeof startTranscriptionEnvironment>>;
  let output: CapturedOutput;

  beforeEach(async () => {
    world = await startTranscriptionEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await world.stop();
  });

  it('transcribes the original OGG with the number’s candidate languages and posts the transcript with the detected one', async () => {
    // Prepare
    const message = voiceNote('3847561029384750');
    world.env.media.addFile('3847561029384750', { mimeType: 'audio/ogg; codecs=opus', bytes: VOICE_NOTE });

    // Act
    const response = await world.env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message] }))));
    const jobName = transcriptionJobName(JOB_PREFIX, message.id);
    world.finish(jobName, 'Oi, meu pedido chegou quebrado.', 'pt-BR');
    await (await world.transcriptHandler())(jobFinishedEvent(jobName));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.jobs.get(jobName)).toMatchObject({
      MediaFormat: 'ogg',
      IdentifyLanguage: true,
      LanguageOptions: ['pt-BR', 'es-US', 'en-US'],
      OutputBucketName: MEDIA_BUCKET,
      OutputKey: transcriptKey('transcripts/', jobName),
    });
    expect(world.jobs.get(jobName)?.Media?.MediaFileUri).toMatch(
      new RegExp(`^s3://${MEDIA_BUCKET}/inbound/`),
    );
    const [contact] = [...world.env.connect.contacts.values()];
    expect(world.env.connect.timeline(contact?.contactId ?? '')).toEqual([
      'text:🎤 Voice message',
      expect.stringMatching(/^file:whatsapp-voice-message-.*\.wav$/),
      'text:📝 Machine transcript of the voice message from 10:00 UTC (Amazon Transcribe, detected language pt-BR; may contain errors):\nOi, meu pedido chegou quebrado.',
    ]);
    expect(output.lines.join('\n')).not.toContain('pedido');
  });

  it('does not transcribe voice notes for a number that has transcription off', async () => {
    // Prepare
    world.env.media.addFile('3847561029384752', { mimeType: 'audio/ogg; codecs=opus', bytes: VOICE_NOTE });

    // Act
    await world.env.handler(
      sqsEvent(
        sqsRecordFor(eumEnvelope({ messages: [voiceNote('3847561029384752')], business: SECOND_BUSINESS })),
      ),
    );

    // Assess
    expect(world.jobs.size).toBe(0);
    expect(output.metric('TranscriptionsSkipped', { Reason: 'Off' })).toBe(1);
  });
});
