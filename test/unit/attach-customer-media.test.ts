import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  CONNECT_MAX_ATTACHMENT_BYTES,
  type MediaContent,
  notAttachedNote,
} from '../../shared/domain/connect-attachments.js';
import { ChatEndedError, RetryableError } from '../../shared/domain/errors.js';
import type { InboundMessage } from '../../shared/domain/inbound-message.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { ConnectionRejectedError } from '../../shared/ports/chat-service.js';
import { AttachmentRejectedError, MediaConversionError } from '../../shared/ports/media-transfer.js';
import { AttachCustomerMedia, type CustomerChat } from '../../shared/use-cases/attach-customer-media.js';
import { scriptedChatAttachments } from '../support/fakes/chat-attachments.js';
import { InMemoryMediaSource } from '../support/fakes/media-source.js';
import { scriptedStickerConverter } from '../support/fakes/sticker-converter.js';
import { RecordingTelemetry } from '../support/fakes/telemetry.js';
import { scriptedVoiceNoteConverter } from '../support/fakes/voice-note-converter.js';
import { customerMessage } from '../support/inbound-messages.js';

const SENT_AT = Date.UTC(2025, 5, 2, 9, 0, 0);
const PHOTO_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);

function mediaWorld() {
  const media = new InMemoryMediaSource();
  const attachments = scriptedChatAttachments();
  const voice = scriptedVoiceNoteConverter();
  const stickers = scriptedStickerConverter();
  const telemetry = new RecordingTelemetry();
  const attacher = new AttachCustomerMedia({ media, attachments, voice, stickers, telemetry });
  const notes: { content: string; clientToken: string }[] = [];
  let token = 'connection-current';
  const chat: CustomerChat = {
    contactId: 'contact-running',
    connectionToken: () => token,
    refreshConnection: async () => {
      token = 'connection-fresh';
      return token;
    },
    sendNote: async (content, clientToken) => {
      notes.push({ content, clientToken });
    },
  };
  return { media, attachments, voice, stickers, telemetry, attacher, chat, notes };
}

function mediaMessage(id: string, content: Omit<MediaContent, 'kind'>) {
  return customerMessage({ id, at: SENT_AT, content: { kind: 'media', ...content } }) as InboundMessage & {
    content: MediaContent;
  };
}

const photo = (id = 'wamid.photo') =>
  mediaMessage(id, {
    mediaKind: 'image',
    mediaId: 'media-photo',
    mimeType: 'image/jpeg',
    caption: 'The box',
  });

const voiceNote = () =>
  mediaMessage('wamid.voice', {
    mediaKind: 'audio',
    mediaId: 'media-voice',
    mimeType: 'audio/ogg; codecs=opus',
    voice: true,
  });

describe("attaching a customer's file to the Connect chat", () => {
  it('uploads a photo once per chat, named and typed so Connect accepts it', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-photo', PHOTO_BYTES);
    const message = photo();
    // Act
    const outcome = await world.attacher.attach(message, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'attached', attachmentId: 'attachment-1' });
    expect(world.attachments.requests('upload')).toEqual([
      {
        connectionToken: 'connection-current',
        name: attachmentName(message.content, 'jpg', message.timestamp),
        contentType: 'image/jpeg',
        bytes: PHOTO_BYTES,
        clientToken: idempotencyToken('attachment', 'wamid.photo', 'contact-running'),
      },
    ]);
    expect(world.notes).toEqual([]);
    expect(world.telemetry.counted('MediaAttached', { MediaKind: 'image' })).toBe(1);
  });

  it('converts a voice note to WAV before uploading it', async () => {
    // Prepare
    const world = mediaWorld();
    const ogg = new TextEncoder().encode('OggS-opus');
    world.media.files.set('media-voice', ogg);
    // Act
    const outcome = await world.attacher.attach(voiceNote(), world.chat);
    // Assess
    expect(outcome.status).toBe('attached');
    expect(world.voice.requests('toWav')).toEqual([ogg]);
    const [upload] = world.attachments.requests('upload');
    expect(upload?.contentType).toBe('audio/wav');
    expect(upload?.name.endsWith('.wav')).toBe(true);
    expect(new TextDecoder().decode(upload?.bytes)).toBe('WAV:OggS-opus');
  });

  it('converts a sticker to PNG before uploading it, and says nothing more when it is still', async () => {
    // Prepare
    const world = mediaWorld();
    const webp = new TextEncoder().encode('RIFF-webp');
    world.media.files.set('media-s', webp);
    const sticker = mediaMessage('wamid.sticker', {
      mediaKind: 'sticker',
      mediaId: 'media-s',
      mimeType: 'image/webp',
      animated: false,
    });
    // Act
    const outcome = await world.attacher.attach(sticker, world.chat);
    // Assess
    expect(outcome.status).toBe('attached');
    expect(world.stickers.requests('toPng')).toEqual([webp]);
    const [upload] = world.attachments.requests('upload');
    expect(upload?.contentType).toBe('image/png');
    expect(upload?.name).toBe(attachmentName(sticker.content, 'png', sticker.timestamp));
    expect(new TextDecoder().decode(upload?.bytes)).toBe('PNG:RIFF-webp');
    expect(world.notes).toEqual([]);
  });

  it('follows an animated sticker’s first frame with one line saying it moves, once per chat', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-s', new Uint8Array([1]));
    world.stickers.answer.toPng = async () => ({
      status: 'converted',
      png: new Uint8Array([2]),
      width: 512,
      height: 512,
      animated: true,
    });
    const sticker = mediaMessage('wamid.sticker', {
      mediaKind: 'sticker',
      mediaId: 'media-s',
      mimeType: 'image/webp',
    });
    // Act
    await world.attacher.attach(sticker, world.chat);
    // Assess
    expect(world.notes).toEqual([
      {
        content: 'ℹ The sticker above is animated; the attachment shows its first frame.',
        clientToken: idempotencyToken('sticker-note', 'wamid.sticker', 'contact-running'),
      },
    ]);
  });

  it('refuses a sticker whose canvas is too large to be a sticker, and says its size', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-s', new Uint8Array([1]));
    world.stickers.answer.toPng = async () => ({
      status: 'too-large',
      width: 4000,
      height: 3000,
      maxSide: 1024,
    });
    const sticker = mediaMessage('wamid.sticker', {
      mediaKind: 'sticker',
      mediaId: 'media-s',
      mimeType: 'image/webp',
    });
    // Act
    const outcome = await world.attacher.attach(sticker, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'TooLarge' });
    expect(world.attachments.requests('upload')).toEqual([]);
    expect(world.notes.map((note) => note.content)).toEqual([
      "⚠ The customer's sticker (4000 × 3000 pixels) was not attached: a WhatsApp sticker is 512 × 512, and the relay converts none over 1024 pixels a side. Ask the customer to send it as a photo.",
    ]);
  });

  it('tells the agent when WhatsApp no longer has the file', async () => {
    // Prepare
    const world = mediaWorld();
    const message = photo();
    // Act
    const outcome = await world.attacher.attach(message, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'MediaUnavailable' });
    expect(world.notes).toEqual([
      {
        content: notAttachedNote(message.content, 'MediaUnavailable'),
        clientToken: idempotencyToken('media-note', 'wamid.photo', 'contact-running'),
      },
    ]);
  });

  it('tells the agent about a file over 20 MB without reading it into memory', async () => {
    // Prepare
    const world = mediaWorld();
    const document = mediaMessage('wamid.doc', {
      mediaKind: 'document',
      mediaId: 'media-doc',
      mimeType: 'application/pdf',
      filename: 'scan.pdf',
    });
    world.media.files.set('media-doc', new Uint8Array([1]));
    world.media.reportedSizes.set('media-doc', CONNECT_MAX_ATTACHMENT_BYTES + 1);
    // Act
    const outcome = await world.attacher.attach(document, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'TooLarge' });
    expect(world.media.reads).toEqual([]);
    expect(world.notes.map((note) => note.content)).toEqual([
      notAttachedNote(document.content, 'TooLarge', { sizeBytes: CONNECT_MAX_ATTACHMENT_BYTES + 1 }),
    ]);
    expect(world.attachments.calls).toEqual([]);
  });

  it('tells the agent when a voice note is too long for a Connect attachment', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-voice', new Uint8Array([1, 2]));
    world.voice.answer.toWav = async () => ({
      status: 'too-long',
      durationSeconds: 1_800,
      maxSeconds: 1_310,
    });
    const message = voiceNote();
    // Act
    const outcome = await world.attacher.attach(message, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'TooLong' });
    expect(world.notes.map((note) => note.content)).toEqual([
      notAttachedNote(message.content, 'TooLong', { durationSeconds: 1_800, maxSeconds: 1_310 }),
    ]);
  });

  it('tells the agent when a voice note will not decode', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-voice', new Uint8Array([1, 2]));
    world.voice.answer.toWav = async () => {
      throw new MediaConversionError('not an Ogg stream');
    };
    // Act
    const outcome = await world.attacher.attach(voiceNote(), world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'ConversionFailed' });
    expect(world.notes).toHaveLength(1);
    expect(world.telemetry.counted('MediaNotAttached', { Reason: 'ConversionFailed' })).toBe(1);
  });

  it('tells the agent when Connect refuses the file', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-photo', PHOTO_BYTES);
    world.attachments.answer.upload = async () => {
      throw new AttachmentRejectedError('ServiceQuotaExceededException');
    };
    const message = photo();
    // Act
    const outcome = await world.attacher.attach(message, world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'not-attached', reason: 'RejectedByConnect' });
    expect(world.notes.map((note) => note.content)).toEqual([
      notAttachedNote(message.content, 'RejectedByConnect', { error: 'ServiceQuotaExceededException' }),
    ]);
  });

  it('uploads again on a fresh connection when Connect rejects the connection token', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-photo', PHOTO_BYTES);
    world.attachments.answer.upload = async (request) => {
      if (request.connectionToken === 'connection-current') throw new ConnectionRejectedError();
      return { attachmentId: 'attachment-after-refresh' };
    };
    // Act
    const outcome = await world.attacher.attach(photo(), world.chat);
    // Assess
    expect(outcome).toEqual({ status: 'attached', attachmentId: 'attachment-after-refresh' });
    expect(world.attachments.requests('upload').map((upload) => upload.connectionToken)).toEqual([
      'connection-current',
      'connection-fresh',
    ]);
  });

  it('lets an ended chat surface to the caller, so text and file go into the next chat', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.files.set('media-photo', PHOTO_BYTES);
    world.attachments.answer.upload = async () => {
      throw new ConnectionRejectedError();
    };
    world.chat.refreshConnection = async () => {
      throw new ChatEndedError('contact-running');
    };
    // Act
    const attempt = world.attacher.attach(photo(), world.chat);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ChatEndedError);
    expect(world.notes).toEqual([]);
  });

  it('retries the whole message when WhatsApp media is throttled, telling the agent nothing yet', async () => {
    // Prepare
    const world = mediaWorld();
    world.media.fetch = async () => {
      throw new RetryableError('GetWhatsAppMessageMedia throttled', 'Throttled');
    };
    // Act
    const attempt = world.attacher.attach(photo(), world.chat);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RetryableError);
    expect(world.notes).toEqual([]);
    expect(world.telemetry.counted('MediaNotAttached')).toBe(0);
  });
});
