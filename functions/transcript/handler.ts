import { decodeTranscribeJobEvent } from '../../shared/decoders/transcribe-job-event.js';
import type { Telemetry } from '../../shared/ports/telemetry.js';
import type {
  TranscriptionJobFinished,
  TranscriptOutcome,
} from '../../shared/use-cases/post-voice-transcript.js';

/** What the transcript handler needs; built once in index.ts, or by a test. */
export interface TranscriptHandlerDependencies {
  readonly postTranscript: { execute(event: TranscriptionJobFinished): Promise<TranscriptOutcome> };
  /** This stack's job-name prefix; the EventBridge rule already filters on it. */
  readonly jobPrefix: string;
  readonly telemetry: Telemetry;
  readonly flush?: () => void;
}

/**
 * EventBridge (Transcribe Job State Change) → the transcript, or a one-line failure, in the chat
 * the voice note belongs to. An event that cannot be decoded, or names a job this stack did not
 * start, is logged and counted; no retry could help it. Anything else that fails throws, and
 * Lambda's asynchronous retries (then the on-failure queue) take over; posting is idempotent.
 */
export function makeHandler(deps: TranscriptHandlerDependencies) {
  return async (event: unknown): Promise<TranscriptOutcome | { status: 'ignored' }> => {
    const { telemetry } = deps;
    try {
      const decoded = decodeTranscribeJobEvent(event);
      if (decoded.kind === 'malformed') {
        telemetry.count('TranscriptsDropped', { Reason: 'MalformedEvent' });
        telemetry.warn('Transcribe event could not be decoded; dropped', { detail: decoded.detail });
        return { status: 'ignored' };
      }
      if (!decoded.jobName.startsWith(deps.jobPrefix)) {
        telemetry.count('TranscriptsDropped', { Reason: 'UnknownJob' });
        telemetry.warn('Transcribe job of another application; dropped', { jobName: decoded.jobName });
        return { status: 'ignored' };
      }
      if (decoded.kind === 'in-progress') return { status: 'ignored' };
      return await deps.postTranscript.execute({ jobName: decoded.jobName, status: decoded.status });
    } finally {
      deps.flush?.();
    }
  };
}
