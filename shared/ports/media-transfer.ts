/**
 * Moving a customer's WhatsApp file into the agent's Connect chat: copy it out of WhatsApp into
 * the relay's own storage, optionally convert it, and upload it as a chat attachment.
 * Adapters turn throttling and 5xx into RetryableError; the errors below are permanent.
 */

/** WhatsApp media → the relay's media bucket. */
export interface MediaSource {
  /**
   * Copies the media into storage under a location unique to the WhatsApp message, and reports
   * its size. Reuses a copy an earlier attempt already made.
   */
  fetch(request: {
    readonly whatsAppMessageId: string;
    readonly mediaId: string;
    /** EUM Social phone number id (`phone-number-id-…`) the media was sent to. */
    readonly businessPhoneNumberId: string;
  }): Promise<StoredMedia>;
  read(media: StoredMedia): Promise<Uint8Array>;
}

export interface StoredMedia {
  readonly key: string;
  readonly sizeBytes: number;
}

/** A file → an attachment in a Connect chat (StartAttachmentUpload, PUT, CompleteAttachmentUpload). */
export interface ChatAttachments {
  /**
   * Uploads one file. `clientToken` makes the whole upload idempotent for this chat.
   * AccessDenied becomes ConnectionRejectedError (expired token or ended chat).
   */
  upload(request: {
    readonly connectionToken: string;
    readonly name: string;
    readonly contentType: string;
    readonly bytes: Uint8Array;
    readonly clientToken: string;
  }): Promise<{ attachmentId: string }>;
}

/** OGG/Opus voice notes → WAV, since Connect does not accept OGG. */
export interface VoiceNoteConverter {
  /**
   * Converts a note whose WAV fits Connect's limit; refuses a longer one before decoding it.
   * Throws MediaConversionError when the file is not decodable audio.
   */
  toWav(ogg: Uint8Array): Promise<VoiceConversion>;
}

export type VoiceConversion =
  | {
      readonly status: 'converted';
      readonly wav: Uint8Array;
      readonly durationSeconds: number;
      readonly sampleRate: number;
    }
  /** Even at the lowest sample rate the WAV would not fit: `maxSeconds` is the most that would. */
  | { readonly status: 'too-long'; readonly durationSeconds: number; readonly maxSeconds: number };

/** WebP stickers → PNG, since Connect does not accept WebP. */
export interface StickerConverter {
  /**
   * Converts a still sticker, or an animated sticker's first frame; refuses one whose canvas is
   * larger than a sticker can be before decoding it. Throws MediaConversionError when the file
   * is not a decodable WebP.
   */
  toPng(webp: Uint8Array): Promise<StickerConversion>;
}

export type StickerConversion =
  | {
      readonly status: 'converted';
      readonly png: Uint8Array;
      readonly width: number;
      readonly height: number;
      /** The sticker moves: the PNG is its first frame. */
      readonly animated: boolean;
    }
  | {
      readonly status: 'too-large';
      readonly width: number;
      readonly height: number;
      readonly maxSide: number;
    };

/** WhatsApp will not hand the file over (expired, removed, refused by Meta): retrying cannot help. */
export class MediaUnavailableError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`WhatsApp media unavailable: ${reason}`, options);
    this.name = 'MediaUnavailableError';
  }
}

/** Connect refused the attachment for good (quota, validation). */
export class AttachmentRejectedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Connect refused the attachment: ${reason}`, options);
    this.name = 'AttachmentRejectedError';
  }
}

/** The file could not be converted (corrupt or not what its type claimed). */
export class MediaConversionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaConversionError';
  }
}
