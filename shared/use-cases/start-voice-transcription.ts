import { conversationKeyFor, conversationKeyString } from '../domain/conversation.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { hashForLogs } from '../domain/tokens.js';
import {
  decideTranscription,
  type TranscriptionSettings,
  transcriptionJobName,
} from '../domain/voice-transcription.js';
import type { Telemetry } from '../ports/telemetry.js';
import {
  type TranscriptionJobs,
  TranscriptionRefusedError,
  type TranscriptJobStore,
} from '../ports/transcription.js';

/** A voice note just attached in a chat: what is needed to transcribe it. */
export interface AttachedVoiceNote {
  readonly message: InboundMessage;
  readonly contactId: string;
  /** The note's copy in the media bucket (the original OGG/Opus: Transcribe reads `ogg`). */
  readonly mediaKey: string;
  readonly durationSeconds: number;
}

export type TranscriptionStart = 'started' | 'already-started' | 'already-posted' | 'skipped' | 'refused';

/** What AttachCustomerMedia calls after a voice note is in the chat (a narrow seam for its tests). */
export interface VoiceTranscriptionStarter {
  start(note: AttachedVoiceNote): Promise<TranscriptionStart>;
}

export interface StartVoiceTranscriptionDependencies {
  readonly jobs: TranscriptionJobs;
  readonly records: TranscriptJobStore;
  readonly telemetry: Telemetry;
  /** The number's settings; undefined when it has transcription off. */
  readonly settingsFor: (phoneNumberId: string) => TranscriptionSettings | undefined;
  /** This stack's job-name prefix: the EventBridge rule matches only names that start with it. */
  readonly jobPrefix: string;
}

/**
 * Starts an Amazon Transcribe job for a voice note the agent can already play.
 *
 * Primary course: the number has transcription on and the note is within its maximum length; the
 * job → chat record is written (so the transcript function finds the chat), then the job starts
 * on the note's S3 copy, named after the WhatsApp message, writing its transcript under the
 * media bucket's expiring prefix. Completion arrives through EventBridge (PostVoiceTranscript).
 *
 * Alternate courses: off or too long → skipped and counted. A redelivered note (a retry after a
 * later step failed) names the same job: Transcribe answers ConflictException, which means
 * "already started"; a note whose transcript is already posted starts nothing. Transcribe refusing
 * the job is counted and logged, and the note stays as it is (the agent has the audio).
 * Throttling and 5xx throw RetryableError: the message is retried, everything before is idempotent.
 */
export class StartVoiceTranscription implements VoiceTranscriptionStarter {
  constructor(private readonly deps: StartVoiceTranscriptionDependencies) {}

  async start(note: AttachedVoiceNote): Promise<TranscriptionStart> {
    const { telemetry } = this.deps;
    const { message } = note;
    const decision = decideTranscription(
      this.deps.settingsFor(message.business.phoneNumberId),
      note.durationSeconds,
    );
    if (decision.action === 'skip') {
      telemetry.count('TranscriptionsSkipped', { Reason: decision.reason });
      return 'skipped';
    }
    const jobName = transcriptionJobName(this.deps.jobPrefix, message.id);
    const conversationKey = conversationKeyString(conversationKeyFor(message.business, message.customer));
    const recorded = await this.deps.records.record({
      jobName,
      conversationKey,
      contactId: note.contactId,
      whatsAppMessageId: message.id,
      sentAt: message.timestamp * 1000,
    });
    if (!recorded) return 'already-posted';
    const languages = this.deps.settingsFor(message.business.phoneNumberId)?.languages ?? [];
    const context = {
      whatsAppMessageId: message.id,
      contactId: note.contactId,
      jobName,
      conversation: hashForLogs(conversationKey),
    };
    try {
      const outcome = await this.deps.jobs.start({
        jobName,
        mediaKey: note.mediaKey,
        languages,
      });
      telemetry.count(outcome === 'started' ? 'TranscriptionsStarted' : 'TranscriptionsAlreadyStarted');
      telemetry.info('Voice note transcription requested', { ...context, outcome });
      return outcome;
    } catch (error) {
      if (!(error instanceof TranscriptionRefusedError)) throw error;
      telemetry.count('TranscriptionsNotStarted');
      telemetry.warn('Amazon Transcribe refused the voice note job', { ...context, reason: error.reason });
      return 'refused';
    }
  }
}
