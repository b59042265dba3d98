import { readFileSync } from 'node:fs';
import {
  ConflictException,
  GetTranscriptionJobCommand,
  StartTranscriptionJobCommand,
  type StartTranscriptionJobCommandInput,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { transcriptionJobName, transcriptKey } from '../../shared/domain/voice-transcription.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import {
  INBOUND_FLOW_ID,
  type InboundEnvironment,
  MEDIA_BUCKET,
  SECOND_FLOW_ID,
  startInboundEnvironment,
  TABLE_NAME,
} from '../support/inbound-environment.js';
import {
  BUSINESS,
  eumEnvelope,
  mediaMessage,
  SECOND_BUSINESS,
  sqsEvent,
  sqsRecordFor,
} from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const SENT_AT = 1_795_255_200; // 2026-11-21T10:00:00Z
const VOICE_NOTE = new Uint8Array(readFileSync('test/fixtures/voice-note.ogg'));
const JOB_PREFIX = 'relay-test-vn-';
const TRANSCRIPTION = { enabled: true, languages: ['pt-BR', 'es-US', 'en-US'], maxSeconds: 120 };

/** The completed-job event as EventBridge delivers it (fixture), for `jobName`. */
function completedEvent(jobName: string): unknown {
  const event = JSON.parse(readFileSync('test/fixtures/transcribe/job-state-change-completed.json', 'utf8'));
  return { ...event, detail: { TranscriptionJobName: jobName, TranscriptionJobStatus: 'COMPLETED' } };
}

describe('voice notes: transcribed once, the transcript posted once, in the chat the note is in', () => {
  let env: InboundEnvironment;
  let output: CapturedOutput;
  let transcribe: AwsClientStub<TranscribeClient>;
  const jobs = new Map<string, StartTranscriptionJobCommandInput>();

  beforeEach(async () => {
    jobs.clear();
    env = await startInboundEnvironment({
      env: {
        TRANSCRIPTION_JOB_PREFIX: JOB_PREFIX,
        BUSINESS_NUMBERS: JSON.stringify([
          {
            phoneNumberId: BUSINESS.phoneNumberId,
            inboundFlowId: INBOUND_FLOW_ID,
            transcription: TRANSCRIPTION,
          },
          { phoneNumberId: SECOND_BUSINESS.phoneNumberId, inboundFlowId: SECOND_FLOW_ID },
        ]),
      },
    });
    output = captureOutput();
    // Amazon Transcribe: a job name is unique in the account; a second start is a ConflictException.
    transcribe = mockClient(TranscribeClient);
    transcribe
      .on(StartTranscriptionJobCommand)
      .callsFake(async (input: StartTranscriptionJobCommandInput) => {
        const name = input.TranscriptionJobName ?? '';
        if (jobs.has(name))
          throw new ConflictException({ message: 'The requested job name already exists.', $metadata: {} });
        jobs.set(name, input);
        return { $metadata: {} };
      });
  });

  afterEach(async () => {
    transcribe.restore();
    output.restore();
    await env.stop();
  });

  it('starts one job for a voice note delivered three times and retried after a lost answer, and posts its transcript once', async () => {
    // Prepare: the first StartTranscriptionJob takes effect but its answer is lost (a timeout).
    const message = mediaMessage({
      from: CUSTOMER,
      type: 'audio',
      media: { id: '3847561029384751', mime_type: 'audio/ogg; codecs=opus', voice: true },
      timestamp: SENT_AT,
    });
    env.media.addFile('3847561029384751', { mimeType: 'audio/ogg; codecs=opus', bytes: VOICE_NOTE });
    const record = sqsRecordFor(eumEnvelope({ messages: [message] }));
    let lostAnswers = 1;
    transcribe
      .on(StartTranscriptionJobCommand)
      .callsFake(async (input: StartTranscriptionJobCommandInput) => {
        const name = input.TranscriptionJobName ?? '';
        if (jobs.has(name))
          throw new ConflictException({ message: 'The requested job name already exists.', $metadata: {} });
        jobs.set(name, input);
        if (lostAnswers-- > 0) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return { $metadata: {} };
      });

    // Act: the failed first attempt is retried; then two more copies of the same record arrive.
    const first = await env.handler(sqsEvent(record));
    for (let copy = 0; copy < 3; copy++)
      await env.handler(
        sqsEvent({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }),
      );

    // Assess: one job, named after the message, on the original OGG, languages from the config.
    expect(first.batchItemFailures).toHaveLength(1);
    const jobName = transcriptionJobName(JOB_PREFIX, message.id);
    expect([...jobs.keys()]).toEqual([jobName]);
    const job = jobs.get(jobName);
    expect(job).toMatchObject({
      MediaFormat: 'ogg',
      IdentifyLanguage: true,
      LanguageOptions: ['pt-BR', 'es-US', 'en-US'],
      OutputBucketName: MEDIA_BUCKET,
      OutputKey: transcriptKey('transcripts/', jobName),
    });
    expect(job?.Media?.MediaFileUri).toMatch(new RegExp(`^s3://${MEDIA_BUCKET}/inbound/`));
    expect(job?.LanguageCode).toBeUndefined();
    expect(
      output.metric('TranscriptionsStarted') + output.metric('TranscriptionsAlreadyStarted'),
    ).toBeGreaterThan(0);

    // Act: Transcribe finishes; EventBridge delivers the event three times.
    transcribe.on(GetTranscriptionJobCommand).resolves({
      TranscriptionJob: {
        TranscriptionJobName: jobName,
        TranscriptionJobStatus: 'COMPLETED',
        LanguageCode: 'pt-BR',
      },
      $metadata: {},
    });
    env.media.objects.set(transcriptKey('transcripts/', jobName), {
      bytes: new TextEncoder().encode(
        JSON.stringify({ results: { transcripts: [{ transcript: 'Oi, meu pedido chegou quebrado.' }] } }),
      ),
      size: 80,
    });
    vi.stubEnv('CONVERSATION_TABLE_NAME', TABLE_NAME);
    vi.resetModules();
    const { handler: transcriptHandler } = await import('../../functions/transcript/index.js');
    for (let copy = 0; copy < 3; copy++) await transcriptHandler(completedEvent(jobName));

    // Assess: the chat shows the note's line, its audio, and one transcript.
    const [contact] = [...env.connect.contacts.values()];
    const transcripts = env.connect
      .transcript(contact?.contactId ?? '')
      .filter((line) => line.startsWith('📝 Machine transcript'));
    expect(transcripts).toEqual([
      '📝 Machine transcript of the voice message from 10:00 UTC (Amazon Transcribe, detected language pt-BR; may contain errors):\nOi, meu pedido chegou quebrado.',
    ]);
    expect(output.lines.join('\n')).not.toContain('pedido');
  });

  it('does not transcribe voice notes for a number that has transcription off', async () => {
    // Prepare
    const message = mediaMessage({
      from: CUSTOMER,
      type: 'audio',
      media: { id: '3847561029384752', mime_type: 'audio/ogg; codecs=opus', voice: true },
      timestamp: SENT_AT,
    });
    const onSecondNumber = { ...message };
    env.media.addFile('3847561029384752', { mimeType: 'audio/ogg; codecs=opus', bytes: VOICE_NOTE });

    // Act
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [onSecondNumber], business: SECOND_BUSINESS }))),
    );

    // Assess
    expect(jobs.size).toBe(0);
    expect(output.metric('TranscriptionsSkipped', { Reason: 'Off' })).toBe(1);
  });
});
