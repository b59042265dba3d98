import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  GetTranscriptionJobCommand,
  type GetTranscriptionJobCommandOutput,
  type LanguageCode,
  StartTranscriptionJobCommand,
  type TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { RetryableError } from '../domain/errors.js';
import { transcriptKey } from '../domain/voice-transcription.js';
import {
  type TranscriptionJobs,
  type TranscriptionOutcome,
  TranscriptionRefusedError,
  type TranscriptionResults,
} from '../ports/transcription.js';
import { classifyAwsError, errorName } from './aws-errors.js';

export interface TranscribeJobsOptions {
  /** The media bucket: the notes are read from it and the transcripts written to it. */
  readonly bucketName: string;
  /** Where transcripts go in the bucket (shared/config/media-bucket.ts TRANSCRIPT_PREFIX). */
  readonly transcriptPrefix: string;
  /** Set when the bucket encrypts with a customer managed key (OutputEncryptionKMSKeyId). */
  readonly outputKmsKeyArn?: string;
}

/**
 * Amazon Transcribe batch jobs on the voice note's copy in the media bucket (botocore transcribe
 * 2017-10-26): StartTranscriptionJob with IdentifyLanguage and LanguageOptions (no fixed
 * language), MediaFormat `ogg` (the MediaFormat enum accepts it: the original OGG/Opus is
 * transcribed, not the WAV), and the transcript written to OutputBucketName/OutputKey, where the
 * bucket lifecycle expires it with the media. A duplicate job name answers ConflictException
 * ("A resource already exists with this name"), which means the job was already started.
 */
export class TranscribeJobs implements TranscriptionJobs, TranscriptionResults {
  constructor(
    private readonly transcribe: TranscribeClient,
    private readonly s3: S3Client,
    private readonly options: TranscribeJobsOptions,
  ) {}

  async start(job: {
    jobName: string;
    mediaKey: string;
    languages: readonly string[];
  }): Promise<'started' | 'already-started'> {
    try {
      await this.transcribe.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: job.jobName,
          Media: { MediaFileUri: `s3://${this.options.bucketName}/${job.mediaKey}` },
          MediaFormat: 'ogg',
          IdentifyLanguage: true,
          LanguageOptions: job.languages as LanguageCode[],
          OutputBucketName: this.options.bucketName,
          OutputKey: transcriptKey(this.options.transcriptPrefix, job.jobName),
          ...(this.options.outputKmsKeyArn ? { OutputEncryptionKMSKeyId: this.options.outputKmsKeyArn } : {}),
        }),
      );
      return 'started';
    } catch (error) {
      if (errorName(error) === 'ConflictException') return 'already-started';
      if (errorName(error) === 'BadRequestException') {
        throw new TranscriptionRefusedError((error as Error).message || 'BadRequestException', {
          cause: error,
        });
      }
      throw classifyAwsError('StartTranscriptionJob', error);
    }
  }

  async outcome(jobName: string): Promise<TranscriptionOutcome> {
    let job: GetTranscriptionJobCommandOutput;
    try {
      job = await this.transcribe.send(new GetTranscriptionJobCommand({ TranscriptionJobName: jobName }));
    } catch (error) {
      throw classifyAwsError('GetTranscriptionJob', error);
    }
    const status = job.TranscriptionJob?.TranscriptionJobStatus;
    if (status === 'FAILED') {
      return {
        status: 'failed',
        ...(job.TranscriptionJob?.FailureReason ? { reason: job.TranscriptionJob.FailureReason } : {}),
      };
    }
    if (status !== 'COMPLETED') {
      // The event said final; the job's record has not caught up yet (or was deleted): try again.
      throw new RetryableError(`Transcription job is ${status ?? 'missing'}`, 'TranscriptionNotFinished');
    }
    const text = await this.readTranscript(jobName);
    const languageCode = job.TranscriptionJob?.LanguageCode;
    return { status: 'completed', text, ...(languageCode ? { languageCode } : {}) };
  }

  /** The transcript JSON's `results.transcripts[0].transcript` (Transcribe's output format). */
  private async readTranscript(jobName: string): Promise<string> {
    let body: string;
    try {
      const output = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.options.bucketName,
          Key: transcriptKey(this.options.transcriptPrefix, jobName),
        }),
      );
      body = new TextDecoder().decode(await output.Body?.transformToByteArray());
    } catch (error) {
      throw classifyAwsError('S3GetObject', error);
    }
    const parsed = JSON.parse(body) as { results?: { transcripts?: { transcript?: string }[] } };
    return (parsed.results?.transcripts ?? []).map((part) => part.transcript ?? '').join(' ');
  }
}
