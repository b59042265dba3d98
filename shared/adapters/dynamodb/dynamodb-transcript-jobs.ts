import type { TranscriptJobRecord } from '../../domain/voice-transcription.js';
import type { TranscriptJobStore } from '../../ports/transcription.js';
import { n, num, s, str, ttlSeconds } from '../dynamodb-attributes.js';
import { type ConversationTable, keys } from './conversation-table.js';

/**
 * Kept a day past the media bucket's 2-day expiry: a job finishing that late is still recognised
 * (and dropped with its reason) instead of looking unknown.
 */
const RECORD_TTL_DAYS = 3;

/** Transcribe job → the chat its voice note was attached in, and whether its transcript is posted. */
export class DynamoDbTranscriptJobs implements TranscriptJobStore {
  constructor(private readonly table: ConversationTable) {}

  async record(job: Omit<TranscriptJobRecord, 'posted'>): Promise<boolean> {
    // Points a not-yet-posted job at the chat the note is in now (a note redelivered into the
    // customer's next chat), and never touches a posted one.
    return this.table.update(keys.transcriptJob(job.jobName), {
      update:
        'SET conversationKey = :key, contactId = :contact, whatsAppMessageId = :message, sentAt = :sent, posted = if_not_exists(posted, :no), expiresAt = :expires',
      condition: 'attribute_not_exists(posted) OR posted = :no',
      values: {
        ':key': s(job.conversationKey),
        ':contact': s(job.contactId),
        ':message': s(job.whatsAppMessageId),
        ':sent': n(job.sentAt),
        ':no': { BOOL: false },
        ':expires': n(ttlSeconds(this.table.now(), RECORD_TTL_DAYS)),
      },
    });
  }

  async find(jobName: string): Promise<TranscriptJobRecord | undefined> {
    const item = await this.table.get(keys.transcriptJob(jobName));
    if (!item) return undefined;
    return {
      jobName,
      conversationKey: str(item, 'conversationKey') ?? '',
      contactId: str(item, 'contactId') ?? '',
      whatsAppMessageId: str(item, 'whatsAppMessageId') ?? '',
      sentAt: num(item, 'sentAt') ?? 0,
      posted: item.posted?.BOOL === true,
    };
  }

  async markPosted(jobName: string): Promise<boolean> {
    return this.table.update(keys.transcriptJob(jobName), {
      update: 'SET posted = :yes',
      condition: 'posted = :no',
      values: { ':yes': { BOOL: true }, ':no': { BOOL: false } },
    });
  }
}
