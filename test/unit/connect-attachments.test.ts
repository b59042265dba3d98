import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  baseMimeType,
  describeDuration,
  describeSize,
  type MediaContent,
  notAttachedNote,
  planAttachment,
} from '../../shared/domain/connect-attachments.js';

const media = (
  mediaKind: MediaContent['mediaKind'],
  mimeType: string,
  extra: Partial<MediaContent> = {},
): MediaContent => ({
  kind: 'media',
  mediaKind,
  mediaId: '123',
  mimeType,
  ...extra,
});

// 2026-11-21T10:00:00Z
const SENT_AT = 1_795_255_200;

describe('planAttachment: what Connect chat can take', () => {
  it.each([
    ['image', 'image/jpeg', 'jpg', 'image/jpeg'],
    ['image', 'image/png', 'png', 'image/png'],
    ['video', 'video/mp4', 'mp4', 'video/mp4'],
    ['document', 'application/pdf', 'pdf', 'application/pdf'],
    ['document', 'text/plain', 'txt', 'text/plain'],
    [
      'document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['document', 'application/msword', 'doc', 'application/msword'],
    ['document', 'application/vnd.ms-powerpoint', 'ppt', 'application/vnd.ms-powerpoint'],
    ['document', 'TEXT/CSV; charset=utf-8', 'csv', 'text/csv'],
  ] as const)('uploads %s %s as .%s', (kind, mime, extension, contentType) => {
    expect(planAttachment(media(kind, mime))).toEqual({ action: 'upload', extension, contentType });
  });

  it('converts OGG/Opus audio, voice note or not, to WAV', () => {
    const wav = { action: 'convert-to-wav', extension: 'wav', contentType: 'audio/wav' };
    expect(planAttachment(media('audio', 'audio/ogg; codecs=opus', { voice: true }))).toEqual(wav);
    expect(planAttachment(media('audio', 'audio/ogg'))).toEqual(wav);
  });

  it('trusts the file name when WhatsApp only says application/octet-stream', () => {
    expect(
      planAttachment(media('document', 'application/octet-stream', { filename: 'Report.DOCX' })),
    ).toMatchObject({
      action: 'upload',
      extension: 'docx',
    });
    expect(
      planAttachment(media('document', 'application/octet-stream', { filename: 'setup.exe' })),
    ).toMatchObject({
      action: 'skip',
    });
  });

  it('converts stickers, animated or not, to PNG', () => {
    for (const animated of [true, false, undefined]) {
      expect(
        planAttachment(media('sticker', 'image/webp', animated === undefined ? {} : { animated })),
      ).toEqual({
        action: 'convert-to-png',
        extension: 'png',
        contentType: 'image/png',
      });
    }
  });

  it('skips types Connect refuses, with a note for the agent', () => {
    for (const mime of ['audio/mpeg', 'audio/aac', 'audio/amr', 'audio/mp4']) {
      expect(planAttachment(media('audio', mime))).toMatchObject({
        action: 'skip',
        note: expect.stringContaining(`(${mime})`),
      });
    }
    expect(planAttachment(media('video', 'video/3gpp'))).toMatchObject({ action: 'skip' });
    expect(planAttachment(media('document', 'application/zip', { filename: 'a.zip' }))).toMatchObject({
      note: expect.stringContaining('(application/zip, a.zip)'),
    });
  });
});

describe('attachmentName', () => {
  it('keeps the customer’s file name and its extension when it names the same type', () => {
    expect(
      attachmentName(media('document', 'application/pdf', { filename: 'Invoice 0042.pdf' }), 'pdf', SENT_AT),
    ).toBe('Invoice 0042.pdf');
    expect(attachmentName(media('image', 'image/jpeg', { filename: 'photo.JPEG' }), 'jpg', SENT_AT)).toBe(
      'photo.jpeg',
    );
  });

  it('adds the extension Connect needs when the name lacks it', () => {
    expect(
      attachmentName(media('document', 'application/pdf', { filename: 'contract' }), 'pdf', SENT_AT),
    ).toBe('contract.pdf');
    expect(
      attachmentName(media('document', 'application/pdf', { filename: 'report.v2' }), 'pdf', SENT_AT),
    ).toBe('report.v2.pdf');
    expect(attachmentName(media('audio', 'audio/ogg', { filename: 'memo.ogg' }), 'wav', SENT_AT)).toBe(
      'memo.wav',
    );
  });

  it('names unnamed media by kind and the time it was sent (UTC)', () => {
    expect(attachmentName(media('image', 'image/jpeg'), 'jpg', SENT_AT)).toBe(
      'whatsapp-photo-20261121-100000.jpg',
    );
    expect(attachmentName(media('audio', 'audio/ogg', { voice: true }), 'wav', SENT_AT)).toBe(
      'whatsapp-voice-message-20261121-100000.wav',
    );
  });

  it('removes path separators and control characters, and fits Connect’s 256 characters', () => {
    expect(
      attachmentName(
        media('document', 'application/pdf', { filename: '../../etc/pass\u0000wd.pdf' }),
        'pdf',
        SENT_AT,
      ),
    ).toBe('.._.._etc_pass_wd.pdf');
    const long = attachmentName(
      media('document', 'application/pdf', { filename: `${'n'.repeat(300)}.pdf` }),
      'pdf',
      SENT_AT,
    );
    expect(long).toHaveLength(256);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});

describe('notes for the agent', () => {
  it('says how big a file was and what the limit is', () => {
    expect(notAttachedNote(media('video', 'video/mp4'), 'TooLarge', { sizeBytes: 25 * 1024 * 1024 })).toBe(
      "⚠ The customer's video (25.0 MB) was not attached: Connect accepts files up to 20.0 MB. Ask the customer for a smaller file or another way to share it.",
    );
  });

  it('says how long a voice note was and how much voice Connect can take', () => {
    // Act
    const note = notAttachedNote(media('audio', 'audio/ogg', { voice: true }), 'TooLong', {
      durationSeconds: 1_845.4,
      maxSeconds: 1_310,
    });

    // Assess
    expect(note).toBe(
      "⚠ The customer's voice message (30 min 45 s) was not attached: it is too long for a Connect attachment, which holds up to 21 min 50 s of voice. Ask the customer to send it in shorter parts, or to type it.",
    );
    expect([describeDuration(45.2), describeDuration(59.6), describeDuration(600)]).toEqual([
      '45 s',
      '1 min 0 s',
      '10 min 0 s',
    ]);
  });

  it('names the file and the kind of problem', () => {
    const doc = media('document', 'application/pdf', { filename: 'contract.pdf' });
    expect(notAttachedNote(doc, 'MediaUnavailable')).toContain(
      'document "contract.pdf" could not be retrieved from WhatsApp',
    );
    expect(notAttachedNote(media('audio', 'audio/ogg', { voice: true }), 'ConversionFailed')).toContain(
      'voice message could not be converted',
    );
    expect(notAttachedNote(doc, 'RejectedByConnect', { error: 'ServiceQuotaExceededException' })).toContain(
      '(ServiceQuotaExceededException)',
    );
  });

  it('describes sizes in units people read', () => {
    expect(describeSize(512)).toBe('512 B');
    expect(describeSize(2048)).toBe('2.0 KB');
    expect(describeSize(21_474_836)).toBe('20.5 MB');
  });

  it('drops MIME parameters and case', () => {
    expect(baseMimeType(' Audio/OGG; codecs=opus')).toBe('audio/ogg');
  });
});
