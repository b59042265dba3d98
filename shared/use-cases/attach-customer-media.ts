import {
  type AttachmentPlan,
  attachmentName,
  baseMimeType,
  CONNECT_MAX_ATTACHMENT_BYTES,
  type MediaContent,
  type NotAttachedDetail,
  type NotAttachedReason,
  notAttachedNote,
  planAttachment,
} from '../domain/connect-attachments.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { ANIMATED_STICKER_NOTE, stickerByteLimit } from '../domain/sticker-rules.js';
import { idempotencyToken } from '../domain/tokens.js';
import { ConnectionRejectedError } from '../ports/chat-service.js';
import {
  AttachmentRejectedError,
  type ChatAttachments,
  MediaConversionError,
  type MediaSource,
  MediaUnavailableError,
  type StickerConverter,
  type VoiceNoteConverter,
} from '../ports/media-transfer.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { VoiceTranscriptionStarter } from './start-voice-transcription.js';

/** The customer's current chat, as the relay has just used it to deliver the message's text. */
export interface CustomerChat {
  readonly contactId: string;
  /** The connection token last known to work. */
  connectionToken(): string;
  /** A fresh connection token; throws ChatEndedError when the chat is over. */
  refreshConnection(): Promise<string>;
  /** Sends a text line into the chat (idempotent by `clientToken`). */
  sendNote(content: string, clientToken: string): Promise<void>;
}

export type AttachmentOutcome =
  | { readonly status: 'attached'; readonly attachmentId: string }
  | { readonly status: 'not-attached'; readonly reason: NotAttachedReason };

/** What RelayInboundMessage needs from this collaborator (a narrow seam for its own tests). */
export interface MediaAttacher {
  attach(message: InboundMessage & { content: MediaContent }, chat: CustomerChat): Promise<AttachmentOutcome>;
}

export interface AttachCustomerMediaDependencies {
  readonly media: MediaSource;
  readonly attachments: ChatAttachments;
  readonly voice: VoiceNoteConverter;
  readonly stickers: StickerConverter;
  readonly telemetry: Telemetry;
  /** Transcribes voice notes once attached (absent: no number has transcription on). */
  readonly transcription?: VoiceTranscriptionStarter;
}

/** A file ready to upload, or why it cannot be. */
type PreparedFile =
  | { bytes: Uint8Array; durationSeconds?: number; animatedSticker?: boolean }
  | { failed: string }
  | { tooLong: { durationSeconds: number; maxSeconds: number } }
  | { tooLarge: { width: number; height: number; maxSide: number } };

/**
 * Puts a customer's WhatsApp file into the Connect chat as a real attachment, after the
 * message's text line is already there.
 *
 * Primary course:
 * 1. Decide from the declared MIME type whether Connect can take the file (planAttachment).
 * 2. Copy it from WhatsApp into the media bucket (EUM Social), and check its real size.
 * 3. Read it; convert OGG/Opus voice notes to WAV, and WebP stickers to PNG (an animated one's
 *    first frame, followed by a line saying it moves).
 * 4. Upload it with a ClientToken derived from the WhatsApp message and the contact, so a
 *    redelivered message attaches it once.
 * 5. A voice note: start its transcription (StartVoiceTranscription), which posts later.
 *
 * Alternate courses. The file must never cost the customer their message, so every permanent
 * problem ends in a text line for the agent plus a `MediaNotAttached` metric, never an error:
 * an unsupported type (already explained in the text line), a file over 20 MB, a sticker over
 * WhatsApp's sticker limits (refused before reading), a voice note too
 * long to fit in 20 MB as WAV (refused before decoding), a voice note that will not decode, media WhatsApp no longer has, Connect refusing the file. Throttling and 5xx
 * throw RetryableError, and the whole message is retried (its text deduplicated by ClientToken).
 * An expired connection token is refreshed once; an ended chat surfaces as ChatEndedError for
 * the caller, which delivers text and file into the customer's next chat.
 */
export class AttachCustomerMedia implements MediaAttacher {
  constructor(private readonly deps: AttachCustomerMediaDependencies) {}

  async attach(
    message: InboundMessage & { content: MediaContent },
    chat: CustomerChat,
  ): Promise<AttachmentOutcome> {
    const { content } = message;
    const plan = planAttachment(content);
    if (plan.action === 'skip') {
      // The text line already carries plan.note.
      return this.notAttached(message, 'UnsupportedType', { mimeType: baseMimeType(content.mimeType) });
    }

    let stored: Awaited<ReturnType<MediaSource['fetch']>>;
    try {
      stored = await this.deps.media.fetch({
        whatsAppMessageId: message.id,
        mediaId: content.mediaId,
        businessPhoneNumberId: message.business.phoneNumberId,
      });
    } catch (error) {
      if (!(error instanceof MediaUnavailableError)) throw error;
      return this.notAttached(message, 'MediaUnavailable', { error: error.reason }, chat);
    }
    // Checked before reading, so a 100 MB document never has to fit in the function's memory.
    if (plan.action === 'upload' && stored.sizeBytes > CONNECT_MAX_ATTACHMENT_BYTES) {
      return this.notAttached(message, 'TooLarge', { sizeBytes: stored.sizeBytes }, chat);
    }
    if (plan.action === 'convert-to-png' && stored.sizeBytes > stickerByteLimit(content)) {
      return this.notAttached(message, 'TooLarge', { sizeBytes: stored.sizeBytes }, chat);
    }

    const file = await this.prepare(plan, await this.deps.media.read(stored));
    if ('failed' in file) {
      return this.notAttached(message, 'ConversionFailed', { error: file.failed }, chat);
    }
    if ('tooLong' in file) {
      return this.notAttached(message, 'TooLong', file.tooLong, chat);
    }
    if ('tooLarge' in file) {
      return this.notAttached(message, 'TooLarge', file.tooLarge, chat);
    }
    if (file.bytes.byteLength > CONNECT_MAX_ATTACHMENT_BYTES) {
      return this.notAttached(message, 'TooLarge', { sizeBytes: file.bytes.byteLength }, chat);
    }

    const request = {
      name: attachmentName(content, plan.extension, message.timestamp),
      contentType: plan.contentType,
      bytes: file.bytes,
      // Per contact: if the chat ends and the message goes into the next chat, it is a new attachment.
      clientToken: idempotencyToken('attachment', message.id, chat.contactId),
    };
    let attachmentId: string;
    try {
      attachmentId = await this.upload(chat, request);
    } catch (error) {
      if (!(error instanceof AttachmentRejectedError)) throw error;
      return this.notAttached(message, 'RejectedByConnect', { error: error.reason }, chat);
    }
    if (file.animatedSticker) {
      await chat.sendNote(
        ANIMATED_STICKER_NOTE,
        idempotencyToken('sticker-note', message.id, chat.contactId),
      );
    }
    if (plan.action === 'convert-to-wav' && file.durationSeconds !== undefined) {
      // The agent can already play the note; its transcript follows when Transcribe is done.
      await this.deps.transcription?.start({
        message,
        contactId: chat.contactId,
        mediaKey: stored.key,
        durationSeconds: file.durationSeconds,
      });
    }
    this.deps.telemetry.count('MediaAttached', { MediaKind: content.mediaKind });
    this.deps.telemetry.info('Customer media attached in Connect', {
      whatsAppMessageId: message.id,
      contactId: chat.contactId,
      attachmentId,
      contentType: request.contentType,
      sizeBytes: request.bytes.byteLength,
      ...(file.durationSeconds !== undefined ? { durationSeconds: Math.round(file.durationSeconds) } : {}),
    });
    return { status: 'attached', attachmentId };
  }

  private async prepare(
    plan: Exclude<AttachmentPlan, { action: 'skip' }>,
    bytes: Uint8Array,
  ): Promise<PreparedFile> {
    try {
      switch (plan.action) {
        case 'upload':
          return { bytes };
        case 'convert-to-png': {
          const sticker = await this.deps.stickers.toPng(bytes);
          if (sticker.status === 'too-large') {
            return { tooLarge: { width: sticker.width, height: sticker.height, maxSide: sticker.maxSide } };
          }
          return { bytes: sticker.png, animatedSticker: sticker.animated };
        }
        case 'convert-to-wav': {
          const converted = await this.deps.voice.toWav(bytes);
          if (converted.status === 'too-long') {
            return {
              tooLong: { durationSeconds: converted.durationSeconds, maxSeconds: converted.maxSeconds },
            };
          }
          return { bytes: converted.wav, durationSeconds: converted.durationSeconds };
        }
      }
    } catch (error) {
      if (!(error instanceof MediaConversionError)) throw error;
      return { failed: error.message };
    }
  }

  private async upload(
    chat: CustomerChat,
    request: { name: string; contentType: string; bytes: Uint8Array; clientToken: string },
  ): Promise<string> {
    try {
      return (await this.deps.attachments.upload({ ...request, connectionToken: chat.connectionToken() }))
        .attachmentId;
    } catch (error) {
      if (!(error instanceof ConnectionRejectedError)) throw error;
      // Expired token or ended chat: a fresh connection tells them apart (ChatEndedError if ended).
      const connectionToken = await chat.refreshConnection();
      return (await this.deps.attachments.upload({ ...request, connectionToken })).attachmentId;
    }
  }

  /** Counts and logs why the file is missing and, unless the text line already said so, tells the agent. */
  private async notAttached(
    message: InboundMessage & { content: MediaContent },
    reason: NotAttachedReason,
    detail: NotAttachedDetail,
    chat?: CustomerChat,
  ): Promise<AttachmentOutcome> {
    const { telemetry } = this.deps;
    telemetry.count('MediaNotAttached', { Reason: reason });
    telemetry.warn('Customer media not attached in Connect', {
      whatsAppMessageId: message.id,
      mediaKind: message.content.mediaKind,
      mimeType: baseMimeType(message.content.mimeType),
      reason,
      ...detail,
    });
    if (chat && reason !== 'UnsupportedType') {
      await chat.sendNote(
        notAttachedNote(message.content, reason, detail),
        idempotencyToken('media-note', message.id, chat.contactId),
      );
    }
    return { status: 'not-attached', reason };
  }
}
