import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BadRequestException,
  ConflictException,
  GetTranscriptionJobCommand,
  LimitExceededException,
  StartTranscriptionJobCommand,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { TranscribeJobs } from '../../shared/adapters/transcribe-jobs.js';
import { RetryableError } from '../../shared/domain/errors.js';
import { TranscriptionRefusedError } from '../../shared/ports/transcription.js';

const transcribeMock = mockClient(TranscribeClient);
const s3Mock = mockClient(S3Client);
const jobs = new TranscribeJobs(
  new TranscribeClient({ region: 'us-east-1' }),
  new S3Client({ region: 'us-east-1' }),
  {
    bucketName: 'relay-media',
    transcriptPrefix: 'transcripts/',
  },
);
const NOTE = { jobName: 'stack-vn-abc', mediaKey: 'inbound/0a1b/123.ogg', languages: ['es-US', 'en-US'] };

describe('Amazon Transcribe jobs for voice notes', () => {
  afterEach(() => {
    transcribeMock.reset();
    s3Mock.reset();
  });

  it('starts a job on the original OGG with language identification among the candidates, writing to the transcript prefix', async () => {
    // Prepare
    transcribeMock.on(StartTranscriptionJobCommand).resolves({});

    // Act
    const outcome = await jobs.start(NOTE);

    // Assess
    expect(outcome).toBe('started');
    expect(transcribeMock).toHaveReceivedCommandWith(StartTranscriptionJobCommand, {
      TranscriptionJobName: 'stack-vn-abc',
      Media: { MediaFileUri: 's3://relay-media/inbound/0a1b/123.ogg' },
      MediaFormat: 'ogg',
      IdentifyLanguage: true,
      LanguageOptions: ['es-US', 'en-US'],
      OutputBucketName: 'relay-media',
      OutputKey: 'transcripts/stack-vn-abc.json',
    });
    expect(
      transcribeMock.commandCalls(StartTranscriptionJobCommand)[0]?.args[0].input.LanguageCode,
    ).toBeUndefined();
  });

  it('reads a duplicate job name (ConflictException) as already started', async () => {
    // Prepare
    transcribeMock
      .on(StartTranscriptionJobCommand)
      .rejects(new ConflictException({ message: 'The requested job name already exists.', $metadata: {} }));

    // Act + Assess
    await expect(jobs.start(NOTE)).resolves.toBe('already-started');
  });

  it('refuses for good on BadRequestException, and retries on LimitExceededException', async () => {
    // Prepare
    transcribeMock
      .on(StartTranscriptionJobCommand)
      .rejectsOnce(new BadRequestException({ message: 'Unsupported language', $metadata: {} }))
      .rejectsOnce(new LimitExceededException({ message: 'Too many jobs', $metadata: {} }));

    // Act + Assess
    await expect(jobs.start(NOTE)).rejects.toBeInstanceOf(TranscriptionRefusedError);
    await expect(jobs.start(NOTE)).rejects.toBeInstanceOf(RetryableError);
  });

  it('reads a completed job’s language and transcript from the media bucket', async () => {
    // Prepare
    transcribeMock.on(GetTranscriptionJobCommand).resolves({
      TranscriptionJob: { TranscriptionJobStatus: 'COMPLETED', LanguageCode: 'es-US' },
    });
    const body = JSON.stringify({ results: { transcripts: [{ transcript: 'Hola, buenas tardes.' }] } });
    s3Mock.on(GetObjectCommand, { Bucket: 'relay-media', Key: 'transcripts/stack-vn-abc.json' }).resolves({
      Body: { transformToByteArray: async () => new TextEncoder().encode(body) } as never,
    });

    // Act + Assess
    await expect(jobs.outcome('stack-vn-abc')).resolves.toEqual({
      status: 'completed',
      text: 'Hola, buenas tardes.',
      languageCode: 'es-US',
    });
  });

  it('reports a failed job with its reason, and retries a job that is not finished yet', async () => {
    // Prepare
    transcribeMock
      .on(GetTranscriptionJobCommand)
      .resolvesOnce({
        TranscriptionJob: { TranscriptionJobStatus: 'FAILED', FailureReason: 'Invalid file size' },
      })
      .resolvesOnce({ TranscriptionJob: { TranscriptionJobStatus: 'IN_PROGRESS' } });

    // Act + Assess
    await expect(jobs.outcome('stack-vn-abc')).resolves.toEqual({
      status: 'failed',
      reason: 'Invalid file size',
    });
    await expect(jobs.outcome('stack-vn-abc')).rejects.toBeInstanceOf(RetryableError);
  });
});
