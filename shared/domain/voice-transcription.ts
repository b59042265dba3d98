import { NOTICE_PREFIX } from './agent-notices.js';
import { neutraliseNoticeMarker } from './customer-text.js';
import { idempotencyToken } from './tokens.js';

/**
 * Voice-note transcription with Amazon Transcribe batch jobs: names, where the output goes, when a
 * note is transcribed, and what the agent reads.
 *
 * Job names must be unique in the account ("If you try to create a new job with the same name as
 * an existing job, you get a ConflictException": botocore transcribe 2017-10-26,
 * StartTranscriptionJobRequest.TranscriptionJobName; pattern `^[0-9a-zA-Z._-]+`, at most 200).
 * The name is derived from the WhatsApp message id, so a redelivered note names the same job.
 */

/** A business number's transcription settings (absent: transcription is off for that number). */
export interface TranscriptionSettings {
  readonly enabled: boolean;
  /** Candidate languages for IdentifyLanguage, e.g. ["es-US", "en-US", "pt-BR"]. */
  readonly languages: readonly string[];
  /** Longer notes are not transcribed (transcription is paid per second). */
  readonly maxSeconds: number;
}

/** The job for one WhatsApp voice note: the stack's prefix and a hash of the message id. */
export function transcriptionJobName(jobPrefix: string, whatsAppMessageId: string): string {
  return `${jobPrefix}${idempotencyToken('voice-transcript', whatsAppMessageId).slice(0, 40)}`;
}

/**
 * The transcript's object key under `prefix` (shared/config/media-bucket.ts): an OutputKey ending
 * in `.json` is the file's exact name (botocore transcribe, StartTranscriptionJobRequest.OutputKey).
 */
export function transcriptKey(prefix: string, jobName: string): string {
  return `${prefix}${jobName}.json`;
}

/** Whether a voice note is transcribed, or why not (the `TranscriptionsSkipped` metric's reason). */
export type TranscriptionDecision =
  | { readonly action: 'transcribe' }
  | { readonly action: 'skip'; readonly reason: 'Off' | 'TooLong' };

/** Transcribe only when the number has it on, and only notes within its maximum duration. */
export function decideTranscription(
  settings: TranscriptionSettings | undefined,
  durationSeconds: number,
): TranscriptionDecision {
  if (!settings?.enabled) return { action: 'skip', reason: 'Off' };
  if (durationSeconds > settings.maxSeconds) return { action: 'skip', reason: 'TooLong' };
  return { action: 'transcribe' };
}

/** What the transcript function needs to find the chat a note belongs to. */
export interface TranscriptJobRecord {
  readonly jobName: string;
  /** `conversationKeyString` of the note's conversation, for the logs' correlation (hashed there). */
  readonly conversationKey: string;
  /** The chat the note was attached in: the transcript goes there or nowhere. */
  readonly contactId: string;
  readonly whatsAppMessageId: string;
  /** When the customer sent the note (epoch ms), to name it in the chat. */
  readonly sentAt: number;
  /** Set once the transcript (or the failure line) is in the chat. */
  readonly posted: boolean;
}

/** `14:05 UTC`: which voice note a transcript belongs to, as the agent sees the chat. */
function noteTime(sentAt: number): string {
  return `${new Date(sentAt).toISOString().slice(11, 16)} UTC`;
}

/**
 * The agent's view of a finished transcript: marked as a machine transcript, naming the note and
 * the detected language, then the words (the relay's notice marker neutralised, as the customer
 * spoke them). An empty transcript says so rather than posting nothing.
 */
export function transcriptMessage(
  transcript: { text: string; languageCode?: string },
  sentAt: number,
): string {
  const language = transcript.languageCode ? `, detected language ${transcript.languageCode}` : '';
  const header = `📝 Machine transcript of the voice message from ${noteTime(sentAt)} (Amazon Transcribe${language}; may contain errors):`;
  const words = neutraliseNoticeMarker(transcript.text.trim());
  return words ? `${header}\n${words}` : `${header}\n(no speech recognised)`;
}

/** One line for the agent when Transcribe could not transcribe the note; the audio is still there. */
export function transcriptFailedNotice(sentAt: number, reason: string | undefined): string {
  const why = reason ? ` (${reason.replace(/\s+/g, ' ').trim().slice(0, 200)})` : '';
  return `${NOTICE_PREFIX} The voice message from ${noteTime(sentAt)} could not be transcribed${why}; play the attached audio.`;
}
