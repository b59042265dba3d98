import { readFileSync } from 'node:fs';
import {
  ServiceQuotaExceededException,
  StartAttachmentUploadCommand,
} from '@aws-sdk/client-connectparticipant';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { decode as decodePng, hasPngSignature } from 'fast-png';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newConversation } from '../../shared/domain/conversation.js';
import { idempotencyToken } from '../../shared/domain/tokens.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { FakeWhatsAppMedia } from '../support/fake-whatsapp-media.js';
import {
  INBOUND_FLOW_ID,
  type InboundEnvironment,
  MEDIA_BUCKET,
  startInboundEnvironment,
} from '../support/inbound-environment.js';
import { longVoiceNote } from '../support/long-voice-note.js';
import {
  BUSINESS,
  eumEnvelope,
  mediaMessage,
  sqsEvent,
  sqsRecordFor,
  textMessage,
} from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const conversationKey = { businessPhoneNumberId: BUSINESS.phoneNumberId, customerId: CUSTOMER };
// 2026-11-21T10:00:00Z: attachment names are dated from the message timestamp.
const SENT_AT = 1_795_255_200;
const VOICE_NOTE = new Uint8Array(readFileSync('test/fixtures/voice-note.ogg'));
// Made with libwebp's cwebp and img2webp: test/fixtures/stickers/README.md.
const STATIC_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/static.webp'));
const ANIMATED_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/animated.webp'));

function bytes(length: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * seed) % 256);
}

type MediaOptions = Parameters<typeof mediaMessage>[0];

/** One SQS record carrying one media message from CUSTOMER. */
function mediaRecord(type: MediaOptions['type'], media: MediaOptions['media'], id?: string) {
  const message = mediaMessage({ from: CUSTOMER, type, media, timestamp: SENT_AT, ...(id ? { id } : {}) });
  return { message, record: sqsRecordFor(eumEnvelope({ messages: [message] })) };
}

describe('inbound relay: customer media arrives in Connect as attachments', () => {
  let env: InboundEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startInboundEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  const onlyContact = () => {
    expect(env.connect.contacts.size).toBe(1);
    return [...env.connect.contacts.values()][0]?.contactId ?? '';
  };

  it('delivers a photo with a caption as its text line first, then the photo itself', async () => {
    // Prepare
    const photo = bytes(48_000);
    env.media.addFile('1021384758493021', { mimeType: 'image/jpeg', bytes: photo });
    const { message, record } = mediaRecord('image', {
      id: '1021384758493021',
      mime_type: 'image/jpeg',
      caption: 'the box arrived crushed',
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual(
      ['📷 Photo: the box arrived crushed', 'file:whatsapp-photo-20261121-100000.jpg'].map((entry) =>
        entry.startsWith('file:') ? entry : `text:${entry}`,
      ),
    );
    const [attachment] = env.connect.attachments(contactId);
    expect(attachment?.contentType).toBe('image/jpeg');
    expect(attachment?.bytes).toEqual(photo);
    // EUM wrote the file under a prefix unique to this message, in the relay's bucket.
    expect(env.media.downloads).toEqual([
      {
        mediaId: '1021384758493021',
        originationPhoneNumberId: BUSINESS.phoneNumberId,
        destinationS3File: {
          bucketName: MEDIA_BUCKET,
          key: `inbound/${idempotencyToken('inbound-media', message.id).slice(0, 32)}/`,
        },
      },
    ]);
    expect(await env.store.findInbound(message.id)).toMatchObject({
      contactId,
      attachmentId: attachment?.attachmentId,
    });
    expect(output.metric('MediaAttached', { MediaKind: 'image' })).toBe(1);
    expect(output.metric('MessagesRelayed', { MessageType: 'image' })).toBe(1);
    expect(output.lines.join('\n')).not.toContain('arrived crushed');
  });

  it('keeps the customer’s file name for a document sent into an existing chat', async () => {
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'hi' })] }))),
    );
    const pdf = bytes(120_000, 13);
    env.media.addFile('2093847561029384', { mimeType: 'application/pdf', bytes: pdf });
    const { record } = mediaRecord('document', {
      id: '2093847561029384',
      mime_type: 'application/pdf',
      filename: 'Invoice 0042.pdf',
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:hi',
      'text:📄 Document Invoice 0042.pdf',
      'file:Invoice 0042.pdf',
    ]);
    expect(env.connect.attachments(contactId)[0]).toMatchObject({
      contentType: 'application/pdf',
      bytes: pdf,
    });
  });

  it('converts a WhatsApp voice note (OGG/Opus) to a WAV the agent can play', async () => {
    env.media.addFile('3847561029384756', { mimeType: 'audio/ogg; codecs=opus', bytes: VOICE_NOTE });
    const { record } = mediaRecord('audio', {
      id: '3847561029384756',
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:🎤 Voice message',
      'file:whatsapp-voice-message-20261121-100000.wav',
    ]);
    const wav = env.connect.attachments(contactId)[0];
    expect(wav?.contentType).toBe('audio/wav');
    const view = new DataView(wav?.bytes.buffer ?? new ArrayBuffer(0), wav?.bytes.byteOffset);
    const ascii = (offset: number) => String.fromCharCode(...(wav?.bytes.subarray(offset, offset + 4) ?? []));
    expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(16_000);
    // The fixture is 2.46 s of speech (espeak-ng → opusenc).
    const seconds = view.getUint32(40, true) / 2 / 16_000;
    expect(seconds).toBeGreaterThan(2.3);
    expect(seconds).toBeLessThan(2.6);
    // Real audio, not silence.
    const samples = new Int16Array(wav?.bytes.slice(44).buffer ?? new ArrayBuffer(0));
    expect(Math.max(...samples.map(Math.abs))).toBeGreaterThan(3000);
    // EUM named the object from the MIME type with its parameters; the relay found it anyway.
    expect([...env.media.objects.keys()][0]).toMatch(/3847561029384756\.ogg; codecs=opus$/);
    expect(output.metric('MediaAttached', { MediaKind: 'audio' })).toBe(1);
  });

  it('attaches a 13-minute voice note at 12 kHz, so it still fits in Connect’s 20 MB', async () => {
    // Prepare
    env.media.addFile('3847561029384757', {
      mimeType: 'audio/ogg; codecs=opus',
      bytes: longVoiceNote(13 * 60),
    });
    const { record } = mediaRecord('audio', {
      id: '3847561029384757',
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:🎤 Voice message',
      'file:whatsapp-voice-message-20261121-100000.wav',
    ]);
    const wav = env.connect.attachments(contactId)[0];
    const view = new DataView(wav?.bytes.buffer ?? new ArrayBuffer(0), wav?.bytes.byteOffset);
    const sampleRate = view.getUint32(24, true);
    expect(sampleRate).toBe(12_000);
    expect(view.getUint32(40, true) / 2 / sampleRate).toBeCloseTo(13 * 60, 0);
    expect(wav?.bytes.byteLength).toBeLessThanOrEqual(20 * 1024 * 1024);
    expect(output.metric('MediaAttached', { MediaKind: 'audio' })).toBe(1);
  });

  it('tells the agent how long a 30-minute voice note is and why it is missing, without decoding it', async () => {
    // Prepare
    env.media.addFile('3847561029384758', {
      mimeType: 'audio/ogg; codecs=opus',
      bytes: longVoiceNote(30 * 60),
    });
    const { message, record } = mediaRecord('audio', {
      id: '3847561029384758',
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '🎤 Voice message',
      "⚠ The customer's voice message (30 min 0 s) was not attached: it is too long for a Connect attachment, which holds up to 21 min 50 s of voice. Ask the customer to send it in shorter parts, or to type it.",
    ]);
    expect(env.connect.callCount('StartAttachmentUpload')).toBe(0);
    expect(output.metric('MediaNotAttached', { Reason: 'TooLong' })).toBe(1);
    expect(await env.store.findInbound(message.id)).toBeDefined();
  });

  it('shows the agent a static sticker as a PNG after its text line', async () => {
    // Prepare
    env.media.addFile('4756102938475610', { mimeType: 'image/webp', bytes: STATIC_STICKER });
    const { message, record } = mediaRecord('sticker', {
      id: '4756102938475610',
      mime_type: 'image/webp',
      animated: false,
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:🙂 Sticker',
      'file:whatsapp-sticker-20261121-100000.png',
    ]);
    const [attachment] = env.connect.attachments(contactId);
    expect(attachment?.contentType).toBe('image/png');
    const png = decodePng(attachment?.bytes ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([512, 512]);
    expect(output.metric('MediaAttached', { MediaKind: 'sticker' })).toBe(1);
    expect(await env.store.findInbound(message.id)).toMatchObject({ attachmentId: attachment?.attachmentId });
  });

  it('shows an animated sticker as its first frame, and tells the agent it moves', async () => {
    // Prepare
    env.media.addFile('4756102938475611', { mimeType: 'image/webp', bytes: ANIMATED_STICKER });
    const { record } = mediaRecord('sticker', {
      id: '4756102938475611',
      mime_type: 'image/webp',
      animated: true,
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:🙂 Sticker',
      'file:whatsapp-sticker-20261121-100000.png',
      'text:ℹ The sticker above is animated; the attachment shows its first frame.',
    ]);
    const [attachment] = env.connect.attachments(contactId);
    expect(hasPngSignature(attachment?.bytes ?? new Uint8Array())).toBe(true);
  });

  it('refuses a 150 KB "static sticker" clearly, without reading it', async () => {
    // Prepare
    env.media.addFile(
      '4756102938475612',
      { mimeType: 'image/webp', bytes: STATIC_STICKER },
      { reportedSize: 150 * 1024 },
    );
    const { message, record } = mediaRecord('sticker', {
      id: '4756102938475612',
      mime_type: 'image/webp',
      animated: false,
    });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '🙂 Sticker',
      "⚠ The customer's sticker (150.0 KB) was not attached: a static WhatsApp sticker is at most 100.0 KB, so this file is not a sticker the relay converts. Ask the customer to send it as a photo.",
    ]);
    expect(env.media.s3Mock.commandCalls(GetObjectCommand)).toEqual([]);
    expect(output.metric('MediaNotAttached', { Reason: 'TooLarge' })).toBe(1);
    expect(await env.store.findInbound(message.id)).toBeDefined();
  });

  it('tells the agent a sticker that is not a real WebP could not be shown', async () => {
    // Prepare
    env.media.addFile('4756102938475613', { mimeType: 'image/webp', bytes: bytes(2_000) });
    const { record } = mediaRecord('sticker', { id: '4756102938475613', mime_type: 'image/webp' });

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '🙂 Sticker',
      "⚠ The customer's sticker could not be converted for Connect and was not attached. Ask the customer to type it or send it again.",
    ]);
    expect(output.metric('MediaNotAttached', { Reason: 'ConversionFailed' })).toBe(1);
  });

  it('explains a file type Connect refuses (an MP3) in the text line', async () => {
    const { record } = mediaRecord('audio', { id: '5610293847561029', mime_type: 'audio/mpeg' });

    await env.handler(sqsEvent(record));

    expect(env.connect.transcript(onlyContact())).toEqual([
      '🎤 Audio\n⚠ Not attached: Connect chat does not accept this file type (audio/mpeg). Ask the customer to send it as a voice message, or to type it.',
    ]);
    expect(output.metric('MediaNotAttached', { Reason: 'UnsupportedType' })).toBe(1);
  });

  it('tells the agent a 25 MB video was not attached, without reading it, and does not lose the message', async () => {
    env.media.addFile(
      '6102938475610293',
      { mimeType: 'video/mp4', bytes: bytes(16) },
      { reportedSize: 25 * 1024 * 1024 },
    );
    const { message, record } = mediaRecord('video', {
      id: '6102938475610293',
      mime_type: 'video/mp4',
      caption: 'the noise it makes',
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '🎬 Video: the noise it makes',
      "⚠ The customer's video (25.0 MB) was not attached: Connect accepts files up to 20.0 MB. Ask the customer for a smaller file or another way to share it.",
    ]);
    expect(env.media.s3Mock).not.toHaveReceivedCommand(GetObjectCommand);
    expect(env.connect.callCount('StartAttachmentUpload')).toBe(0);
    expect(output.metric('MediaNotAttached', { Reason: 'TooLarge' })).toBe(1);
    expect(await env.store.findInbound(message.id)).toBeDefined();
  });

  it('after upload failures, redeliveries attach the file once and never repeat the text', async () => {
    const photo = bytes(30_000);
    env.media.addFile('7029384756102938', { mimeType: 'image/png', bytes: photo });
    const { message, record } = mediaRecord('image', { id: '7029384756102938', mime_type: 'image/png' });
    env.connect.failNextUploads(503);

    // 1st receive: the text goes in, the PUT of the file fails.
    const first = await env.handler(sqsEvent(record));

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual(['text:📷 Photo']);
    expect(await env.store.findInbound(message.id)).toBeUndefined();
    expect(output.metric('RelayFailures', { Reason: 'AttachmentUpload:503' })).toBe(1);

    // 2nd receive: the attachment completes, but Connect's answer is lost.
    env.connect.loseNextCompleteResponse();
    const second = await env.handler(sqsEvent(record));
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);

    // 3rd and 4th receives.
    const third = await env.handler(sqsEvent(record));
    const fourth = await env.handler(sqsEvent(record));

    expect(third.batchItemFailures).toEqual([]);
    expect(fourth.batchItemFailures).toEqual([]);
    expect(env.connect.timeline(contactId)).toEqual([
      'text:📷 Photo',
      'file:whatsapp-photo-20261121-100000.png',
    ]);
    expect(env.connect.attachments(contactId)[0]?.bytes).toEqual(photo);
    expect(await env.store.findInbound(message.id)).toMatchObject({
      attachmentId: env.connect.attachments(contactId)[0]?.attachmentId,
    });
    // The copy in S3 from the first attempt was reused; WhatsApp was asked once.
    expect(env.media.downloads).toHaveLength(1);
    expect(output.metric('DuplicatesSkipped')).toBe(1);
  });

  it('attaches a photo once when Connect says another attempt is already completing it', async () => {
    // Prepare
    const photo = bytes(20_000);
    env.media.addFile('7029384756102939', { mimeType: 'image/png', bytes: photo });
    const { message, record } = mediaRecord('image', { id: '7029384756102939', mime_type: 'image/png' });
    env.connect.conflictNextComplete('completes');

    // Act
    const response = await env.handler(sqsEvent(record));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual([
      'text:📷 Photo',
      'file:whatsapp-photo-20261121-100000.png',
    ]);
    expect(await env.store.findInbound(message.id)).toMatchObject({
      attachmentId: env.connect.attachments(contactId)[0]?.attachmentId,
    });
    expect(output.metric('RelayFailures')).toBe(0);
  });

  it('retries, and never dead-letters, a photo another attempt is still uploading, then attaches it once', async () => {
    // Prepare
    const photo = bytes(20_000, 11);
    env.media.addFile('7029384756102940', { mimeType: 'image/png', bytes: photo });
    const { record } = mediaRecord('image', { id: '7029384756102940', mime_type: 'image/png' });
    env.connect.conflictNextComplete('still-uploading');

    // Act
    const first = await env.handler(sqsEvent(record));
    const second = await env.handler(sqsEvent(record));

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(output.metric('RelayFailures', { Reason: 'AttachmentUploadInProgress' })).toBe(1);
    expect(env.sqs).not.toHaveReceivedCommand(SendMessageCommand);
    expect(second.batchItemFailures).toEqual([]);
    expect(env.connect.timeline(onlyContact())).toEqual([
      'text:📷 Photo',
      'file:whatsapp-photo-20261121-100000.png',
    ]);
  }, 15_000);

  it('retries a message whose media download is throttled, then delivers it on the next receive', async () => {
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'hello' })] }))),
    );
    env.media.addFile('8293847561029384', { mimeType: 'image/jpeg', bytes: bytes(2_000) });
    env.media.failNextDownloads(FakeWhatsAppMedia.throttled());
    const { record } = mediaRecord('image', {
      id: '8293847561029384',
      mime_type: 'image/jpeg',
      caption: 'see',
    });

    const first = await env.handler(sqsEvent(record));

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(
      output.metric('RelayFailures', { Reason: 'GetWhatsAppMessageMedia:ThrottledRequestException' }),
    ).toBe(1);

    const second = await env.handler(sqsEvent(record));

    expect(second.batchItemFailures).toEqual([]);
    expect(env.connect.timeline(onlyContact())).toEqual([
      'text:hello',
      'text:📷 Photo: see',
      'file:whatsapp-photo-20261121-100000.jpg',
    ]);
  });

  it('tells the agent when WhatsApp no longer has the file', async () => {
    const { record } = mediaRecord('document', {
      id: '9384756102938475',
      mime_type: 'application/pdf',
      filename: 'contract.pdf',
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '📄 Document contract.pdf',
      '⚠ The customer\'s document "contract.pdf" could not be retrieved from WhatsApp and was not attached. Ask the customer to send it again.',
    ]);
    expect(output.metric('MediaNotAttached', { Reason: 'MediaUnavailable' })).toBe(1);
  });

  it('tells the agent when a voice note cannot be decoded', async () => {
    env.media.addFile('1122334455667788', { mimeType: 'audio/ogg; codecs=opus', bytes: bytes(5_000) });
    const { record } = mediaRecord('audio', {
      id: '1122334455667788',
      mime_type: 'audio/ogg; codecs=opus',
      voice: true,
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '🎤 Voice message',
      "⚠ The customer's voice message could not be converted for Connect and was not attached. Ask the customer to type it or send it again.",
    ]);
    expect(output.metric('MediaNotAttached', { Reason: 'ConversionFailed' })).toBe(1);
  });

  it('tells the agent when Connect refuses the attachment (attachment quota reached)', async () => {
    env.media.addFile('2233445566778899', { mimeType: 'image/jpeg', bytes: bytes(1_000) });
    env.connect.participantMock.on(StartAttachmentUploadCommand).rejects(
      new ServiceQuotaExceededException({
        Message: 'The number of attachments per contact exceeds the quota.',
        message: 'The number of attachments per contact exceeds the quota.',
        $metadata: { httpStatusCode: 402 },
      }),
    );
    const { record } = mediaRecord('image', { id: '2233445566778899', mime_type: 'image/jpeg' });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.transcript(onlyContact())).toEqual([
      '📷 Photo',
      "⚠ Connect refused the customer's photo (ServiceQuotaExceededException), so it was not attached. Ask the customer for another way to share it.",
    ]);
    expect(output.metric('MediaNotAttached', { Reason: 'RejectedByConnect' })).toBe(1);
  });

  it('puts text and file into the next chat when the chat ends between them', async () => {
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'hello' })] }))),
    );
    const firstContact = onlyContact();
    env.media.addFile('3344556677889900', { mimeType: 'image/jpeg', bytes: bytes(1_000) });
    env.media.onNextDownload(() => env.connect.endChat(firstContact));
    const { record } = mediaRecord('image', {
      id: '3344556677889900',
      mime_type: 'image/jpeg',
      caption: 'here',
    });

    const response = await env.handler(sqsEvent(record));

    expect(response.batchItemFailures).toEqual([]);
    const second = [...env.connect.contacts.values()][1];
    expect(second?.input.PersistentChat?.SourceContactId).toBe(firstContact);
    expect(env.connect.timeline(firstContact)).toEqual(['text:hello', 'text:📷 Photo: here']);
    expect(env.connect.timeline(second?.contactId ?? '')).toEqual([
      'text:📷 Photo: here',
      'file:whatsapp-photo-20261121-100000.jpg',
    ]);
    expect(await env.store.get(conversationKey)).toMatchObject({ chat: { contactId: second?.contactId } });
  });

  it('resumes a starter message whose chat start another invocation finished, and attaches its file', async () => {
    // A first message (a photo) claimed the chat start, and its invocation died before starting it.
    env.media.addFile('4455667788990011', { mimeType: 'image/jpeg', bytes: bytes(1_000) });
    const { message: starter, record: starterRecord } = mediaRecord('image', {
      id: '4455667788990011',
      mime_type: 'image/jpeg',
      caption: 'my receipt',
    });
    await env.store.save(
      {
        ...newConversation(conversationKey),
        version: 1,
        chat: {
          state: 'starting',
          lease: { owner: starter.id, until: Date.now() - 1 },
          start: {
            clientToken: idempotencyToken('start-chat', starter.id, 'new'),
            starterMessageId: starter.id,
            contactFlowId: INBOUND_FLOW_ID,
            displayName: 'Ana Souza',
            attributes: { channel: 'WhatsApp' },
            initialMessage: '📷 Photo: my receipt',
            claimedAt: Date.now(),
            attempts: 1,
          },
        },
      },
      0,
    );

    // The customer's next message takes the expired start over and finishes it.
    await env.handler(
      sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'hello?' })] }))),
    );
    const contactId = onlyContact();
    expect(env.connect.timeline(contactId)).toEqual(['text:📷 Photo: my receipt', 'text:hello?']);
    expect(await env.store.findInbound(starter.id)).toMatchObject({ complete: false });

    // The starter's own redelivery must not be skipped as a duplicate: its file is still missing.
    const response = await env.handler(sqsEvent(starterRecord));

    expect(response.batchItemFailures).toEqual([]);
    expect(env.connect.timeline(contactId)).toEqual([
      'text:📷 Photo: my receipt',
      'text:hello?',
      'file:whatsapp-photo-20261121-100000.jpg',
    ]);
    expect((await env.store.findInbound(starter.id))?.complete).toBeUndefined();
  });
});
