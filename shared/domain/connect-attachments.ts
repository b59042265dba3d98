import type { InboundContent, MediaKind } from './inbound-message.js';
import { stickerTooLargeNote } from './sticker-rules.js';

/**
 * Which customer files can become Amazon Connect chat attachments, and under what name.
 *
 * Connect accepts only these extensions in chats: .csv .doc .docx .heic .jfif .jpeg .jpg .mov
 * .mp4 .pdf .png .ppt .pptx .rtf .txt .wav .xls .xlsx, up to 20 MB each (Connect admin guide,
 * "feature specifications"). WhatsApp sends voice notes as OGG/Opus and stickers as WebP, which
 * are not on that list: voice notes are converted to WAV and stickers to PNG (see README
 * "Customer media").
 */

export type MediaContent = Extract<InboundContent, { kind: 'media' }>;

/** Connect's per-attachment limit for chats. */
export const CONNECT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Connect's AttachmentName limit. */
const MAX_ATTACHMENT_NAME_LENGTH = 256;

/** Accepted extension → the content type we declare for it in StartAttachmentUpload. */
const ACCEPTED_EXTENSIONS: Readonly<Record<string, string>> = {
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  heic: 'image/heic',
  jfif: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  png: 'image/png',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  rtf: 'application/rtf',
  txt: 'text/plain',
  // audio/wav is the registered-in-practice type; which spelling Connect prefers is UNCONFIRMED.
  wav: 'audio/wav',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** MIME types WhatsApp may send → the accepted extension they are stored under. */
const EXTENSION_FOR_MIME: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/pjpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/rtf': 'rtf',
  'text/rtf': 'rtf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
};

/** Types that say nothing about the content; the customer's file name decides for them. */
const GENERIC_MIME_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', '']);

/** WhatsApp's only OGG codec is Opus (Meta: "audio/ogg, OPUS codecs only"). */
const OGG_OPUS_MIME_TYPES = new Set(['audio/ogg', 'audio/opus']);

export type AttachmentPlan =
  /** Upload the bytes as they are. */
  | { readonly action: 'upload'; readonly extension: string; readonly contentType: string }
  /** Decode OGG/Opus and upload it as WAV, which Connect accepts. */
  | { readonly action: 'convert-to-wav'; readonly extension: 'wav'; readonly contentType: string }
  /** Decode the WebP sticker (its first frame when animated) and upload it as PNG. */
  | { readonly action: 'convert-to-png'; readonly extension: 'png'; readonly contentType: string }
  /** Connect cannot take this file; `note` tells the agent what arrived and why it is missing. */
  | { readonly action: 'skip'; readonly note: string };

/** Decides, from what WhatsApp declared, whether and how a customer's file becomes a Connect attachment. */
export function planAttachment(content: MediaContent): AttachmentPlan {
  const mime = baseMimeType(content.mimeType);
  if (content.mediaKind === 'sticker') {
    return { action: 'convert-to-png', extension: 'png', contentType: ACCEPTED_EXTENSIONS.png as string };
  }
  if (OGG_OPUS_MIME_TYPES.has(mime)) {
    return { action: 'convert-to-wav', extension: 'wav', contentType: ACCEPTED_EXTENSIONS.wav as string };
  }
  const byMime = EXTENSION_FOR_MIME[mime];
  if (byMime) return upload(byMime);
  const byName = extensionOf(content.filename);
  if (GENERIC_MIME_TYPES.has(mime) && byName && ACCEPTED_EXTENSIONS[byName]) return upload(byName);
  const what = `${mime || 'unknown type'}${content.filename ? `, ${content.filename}` : ''}`;
  const ask =
    content.mediaKind === 'audio'
      ? 'Ask the customer to send it as a voice message, or to type it.'
      : 'Ask the customer to send it as a PDF, an image or an Office document.';
  return {
    action: 'skip',
    note: `Not attached: Connect chat does not accept this file type (${what}). ${ask}`,
  };
}

function upload(extension: string): AttachmentPlan {
  return { action: 'upload', extension, contentType: ACCEPTED_EXTENSIONS[extension] as string };
}

/** `audio/ogg; codecs=opus` → `audio/ogg`: parameters never change what Connect accepts. */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

function extensionOf(filename: string | undefined): string | undefined {
  const match = filename ? /\.([A-Za-z0-9]{1,8})$/.exec(filename.trim()) : null;
  return match?.[1]?.toLowerCase();
}

const DEFAULT_NAMES: Readonly<Record<MediaKind, string>> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
};

/**
 * The file name the agent sees: the customer's own name for documents (so "invoice-0042.pdf"
 * stays recognisable), else a dated name. The extension always matches what is uploaded, because
 * Connect decides acceptance by extension.
 */
export function attachmentName(content: MediaContent, extension: string, sentAtUnixSeconds: number): string {
  const own = content.filename?.trim() ? splitName(content.filename.trim(), extension) : undefined;
  const stem =
    own?.stem ??
    `whatsapp-${content.voice ? 'voice-message' : DEFAULT_NAMES[content.mediaKind]}-${timestampForName(sentAtUnixSeconds)}`;
  // Path separators and control characters have no place in a name shown to an agent.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const safe = stem.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').trim() || 'file';
  const suffix = `.${own?.extension ?? extension}`;
  return `${safe.slice(0, MAX_ATTACHMENT_NAME_LENGTH - suffix.length)}${suffix}`;
}

/**
 * Keeps the customer's extension when it names the same type ("photo.jpeg" stays .jpeg); any
 * other ending is part of the name ("report.v2" becomes "report.v2.pdf"), except the OGG ending
 * of a file that was converted.
 */
function splitName(filename: string, extension: string): { stem: string; extension: string } {
  const dot = filename.lastIndexOf('.');
  const current = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  const sameType =
    current !== '' &&
    (current === extension || ACCEPTED_EXTENSIONS[current] === ACCEPTED_EXTENSIONS[extension]);
  if (sameType) return { stem: filename.slice(0, dot), extension: current };
  // A converted voice file is no longer OGG: "memo.ogg" becomes "memo.wav".
  if (extension === 'wav' && (current === 'ogg' || current === 'opus'))
    return { stem: filename.slice(0, dot), extension };
  return { stem: filename, extension };
}

function timestampForName(unixSeconds: number): string {
  // 2026-11-21T09:05:03.000Z → 20261121-090503 (UTC, sortable, no characters Windows rejects).
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19).replace(/-|:/g, '').replace('T', '-');
}

/** `21474836` → `20.5 MB`: what an agent needs to understand why a file is missing. */
export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** `1800.4` → `30 min 0 s`, `45.2` → `45 s`: a voice note's length as an agent reads it. */
export function describeDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes} min ${whole % 60} s` : `${whole} s`;
}

/** What the relay measured about a file it could not attach, for the agent's note and the log. */
export interface NotAttachedDetail {
  readonly sizeBytes?: number;
  readonly error?: string;
  readonly mimeType?: string;
  readonly durationSeconds?: number;
  readonly maxSeconds?: number;
  /** A sticker's canvas, and the largest side the relay decodes. */
  readonly width?: number;
  readonly height?: number;
  readonly maxSide?: number;
}

/** Why a file did not become an attachment; the `MediaNotAttached` metric's `Reason`. */
export type NotAttachedReason =
  | 'UnsupportedType'
  | 'TooLarge'
  /** A voice note whose WAV would not fit in 20 MB even at 8 kHz (about 21.8 minutes). */
  | 'TooLong'
  | 'ConversionFailed'
  | 'MediaUnavailable'
  | 'RejectedByConnect';

const WHAT: Readonly<Record<MediaKind, string>> = {
  image: 'photo',
  video: 'video',
  audio: 'audio file',
  document: 'document',
  sticker: 'sticker',
};

/**
 * The line sent after the message's own text when its file turned out not to be attachable, so
 * the agent is never left wondering where the file is.
 */
export function notAttachedNote(
  content: MediaContent,
  reason: Exclude<NotAttachedReason, 'UnsupportedType'>,
  detail: NotAttachedDetail = {},
): string {
  const what = content.mediaKind === 'audio' && content.voice ? 'voice message' : WHAT[content.mediaKind];
  const name = content.filename ? ` "${content.filename}"` : '';
  switch (reason) {
    case 'TooLarge':
      if (content.mediaKind === 'sticker') return stickerTooLargeNote(content, detail);
      return `⚠ The customer's ${what}${name}${detail.sizeBytes !== undefined ? ` (${describeSize(detail.sizeBytes)})` : ''} was not attached: Connect accepts files up to ${describeSize(CONNECT_MAX_ATTACHMENT_BYTES)}. Ask the customer for a smaller file or another way to share it.`;
    case 'TooLong':
      return `⚠ The customer's ${what}${name}${detail.durationSeconds !== undefined ? ` (${describeDuration(detail.durationSeconds)})` : ''} was not attached: it is too long for a Connect attachment${detail.maxSeconds !== undefined ? `, which holds up to ${describeDuration(detail.maxSeconds)} of voice` : ''}. Ask the customer to send it in shorter parts, or to type it.`;
    case 'ConversionFailed':
      return `⚠ The customer's ${what}${name} could not be converted for Connect and was not attached. Ask the customer to type it or send it again.`;
    case 'MediaUnavailable':
      return `⚠ The customer's ${what}${name} could not be retrieved from WhatsApp and was not attached. Ask the customer to send it again.`;
    case 'RejectedByConnect':
      return `⚠ Connect refused the customer's ${what}${name}${detail.error ? ` (${detail.error})` : ''}, so it was not attached. Ask the customer for another way to share it.`;
  }
}
