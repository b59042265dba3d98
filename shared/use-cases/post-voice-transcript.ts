import { CONNECT_MAX_MESSAGE_LENGTH } from '../domain/agent-message-parts.js';
import { type ConversationIn, isIn } from '../domain/conversation.js';
import { ChatEndedError } from '../domain/errors.js';
import { splitText } from '../domain/text-splitting.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import { transcriptFailedNotice, transcriptMessage } from '../domain/voice-transcription.js';
import type { ParticipantService } from '../ports/chat-service.js';
import type { ContactDirectory } from '../ports/conversation-store.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { TranscriptionResults, TranscriptJobStore } from '../ports/transcription.js';
import type { CustomerConnection } from './customer-connection.js';

/** A Transcribe job reached a final state (EventBridge "Transcribe Job State Change"). */
export interface TranscriptionJobFinished {
  readonly jobName: string;
  readonly status: 'COMPLETED' | 'FAILED';
}

/** Why a transcript did not reach a chat: the `TranscriptsDropped` metric's reason. */
export type TranscriptDropReason = 'UnknownJob' | 'ChatEnded' | 'DifferentChat';

export type TranscriptOutcome =
  | { readonly status: 'posted'; readonly kind: 'transcript' | 'failure' }
  | { readonly status: 'already-posted' }
  | { readonly status: 'dropped'; readonly reason: TranscriptDropReason };

export interface PostVoiceTranscriptDependencies {
  readonly records: TranscriptJobStore;
  readonly results: TranscriptionResults;
  readonly conversations: Pick<ContactDirectory, 'findByContactId'>;
  readonly connection: Pick<CustomerConnection, 'run'>;
  readonly chat: Pick<ParticipantService, 'sendMessage'>;
  readonly telemetry: Telemetry;
}

/**
 * Posts a voice note's transcript into the chat the note was attached in.
 *
 * Primary course: the job is one this relay started (its record names the chat), that chat is
 * still the conversation's running chat, the transcript is read and posted as the customer, marked
 * as a machine transcript with its detected language, in parts of at most 1,024 characters; then
 * the record is marked posted.
 *
 * Alternate courses: a FAILED job posts one line instead. An unknown job, an ended chat, or a
 * conversation now in another chat drops the transcript and counts it: it is never posted into a
 * chat it does not belong to. A duplicate event for a posted transcript does nothing; two
 * concurrent ones send the same parts with the same ClientTokens, which Connect accepts once.
 * The transcript's words never reach the logs.
 */
export class PostVoiceTranscript {
  constructor(private readonly deps: PostVoiceTranscriptDependencies) {}

  async execute(event: TranscriptionJobFinished): Promise<TranscriptOutcome> {
    const { telemetry } = this.deps;
    const record = await this.deps.records.find(event.jobName);
    if (!record) return this.drop('UnknownJob', { jobName: event.jobName });
    const context = {
      jobName: event.jobName,
      whatsAppMessageId: record.whatsAppMessageId,
      contactId: record.contactId,
      conversation: hashForLogs(record.conversationKey),
    };
    if (record.posted) {
      telemetry.count('TranscriptsAlreadyPosted');
      return { status: 'already-posted' };
    }
    const conversation = await this.deps.conversations.findByContactId(record.contactId);
    if (!isIn(conversation, 'active')) return this.drop('ChatEnded', context);
    if (conversation.chat.contactId !== record.contactId) return this.drop('DifferentChat', context);

    // The job's own record decides (status, language, FailureReason), not the event alone.
    const outcome = await this.deps.results.outcome(event.jobName);
    if (outcome.status === 'completed') {
      return this.post(conversation, transcriptMessage(outcome, record.sentAt), 'transcript', context);
    }
    return this.post(conversation, transcriptFailedNotice(record.sentAt, outcome.reason), 'failure', context);
  }

  private async post(
    conversation: ConversationIn<'active'>,
    content: string,
    kind: 'transcript' | 'failure',
    context: Record<string, unknown> & { jobName: string },
  ): Promise<TranscriptOutcome> {
    const parts = splitText(content, CONNECT_MAX_MESSAGE_LENGTH);
    try {
      await this.deps.connection.run(conversation, async (connectionToken) => {
        for (const [index, part] of parts.entries()) {
          await this.deps.chat.sendMessage({
            connectionToken,
            contactId: conversation.chat.contactId,
            content: part,
            clientToken: idempotencyToken('voice-transcript', context.jobName, index),
          });
        }
      });
    } catch (error) {
      if (!(error instanceof ChatEndedError)) throw error;
      return this.drop('ChatEnded', context);
    }
    if (!(await this.deps.records.markPosted(context.jobName))) {
      // A concurrent duplicate posted first; Connect took these parts once (same ClientTokens).
      this.deps.telemetry.count('TranscriptsAlreadyPosted');
      return { status: 'already-posted' };
    }
    this.deps.telemetry.count('TranscriptsPosted', { Kind: kind });
    this.deps.telemetry.info('Voice note transcript posted in the chat', {
      ...context,
      kind,
      parts: parts.length,
    });
    return { status: 'posted', kind };
  }

  private drop(reason: TranscriptDropReason, context: Record<string, unknown>): TranscriptOutcome {
    this.deps.telemetry.count('TranscriptsDropped', { Reason: reason });
    this.deps.telemetry.warn('Voice note transcript dropped', { ...context, reason });
    return { status: 'dropped', reason };
  }
}
