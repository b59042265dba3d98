import type { TranscriptJobRecord } from '../domain/voice-transcription.js';

/**
 * Amazon Transcribe as the relay uses it. Adapters turn throttling and 5xx into RetryableError;
 * TranscriptionRefusedError is permanent.
 */

/** Starting a batch job on the note's S3 copy (inbound function). */
export interface TranscriptionJobs {
  /** Starts the job; `already-started` when a job of that name exists (a redelivery). */
  start(job: {
    readonly jobName: string;
    readonly mediaKey: string;
    readonly languages: readonly string[];
  }): Promise<'started' | 'already-started'>;
}

/** A finished job's outcome (transcript function). */
export type TranscriptionOutcome =
  | { readonly status: 'completed'; readonly text: string; readonly languageCode?: string }
  | { readonly status: 'failed'; readonly reason?: string };

export interface TranscriptionResults {
  /** Reads the job's status, its detected language and its transcript (from the media bucket). */
  outcome(jobName: string): Promise<TranscriptionOutcome>;
}

/** The job → chat map, in the conversation table, with a TTL. */
export interface TranscriptJobStore {
  /**
   * Records (or points at the current chat) the job's note; false when its transcript was already
   * posted, so nothing needs starting.
   */
  record(job: Omit<TranscriptJobRecord, 'posted'>): Promise<boolean>;
  find(jobName: string): Promise<TranscriptJobRecord | undefined>;
  /** Marks the transcript posted; false when another invocation already had. */
  markPosted(jobName: string): Promise<boolean>;
}

/** Transcribe refused the job for good (a bad request): retrying cannot help. */
export class TranscriptionRefusedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Amazon Transcribe refused the job: ${reason}`, options);
    this.name = 'TranscriptionRefusedError';
  }
}
