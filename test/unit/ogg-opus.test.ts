import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oggCrc32, readOggPage, readOpusStreamInfo } from '../../shared/domain/ogg-opus.js';
import { longVoiceNote } from '../support/long-voice-note.js';

const VOICE_NOTE = new Uint8Array(readFileSync('test/fixtures/voice-note.ogg'));

describe('oggCrc32', () => {
  it('matches the checksum opusenc wrote on every page of a real voice note', () => {
    // Prepare
    const pages = [];
    for (let offset = 0; offset < VOICE_NOTE.length; ) {
      const page = readOggPage(VOICE_NOTE, offset);
      if (!page) break;
      pages.push(page);
      offset += page.length;
    }

    // Act
    const computed = pages.map((page) =>
      oggCrc32(VOICE_NOTE.subarray(page.offset, page.offset + page.length)),
    );

    // Assess
    expect(pages).toHaveLength(5);
    expect(computed).toEqual(
      pages.map((page) =>
        new DataView(VOICE_NOTE.buffer, VOICE_NOTE.byteOffset + page.offset).getUint32(22, true),
      ),
    );
  });
});

describe('readOpusStreamInfo', () => {
  it('reads a real voice note’s length from its last page, without decoding it', () => {
    // Act
    const info = readOpusStreamInfo(VOICE_NOTE);

    // Assess: opusenc's last granule position is 118,477 and its pre-skip 312 (2.46 s of speech).
    expect(info).toEqual({
      valid: true,
      channels: 1,
      preSkip: 312,
      samples48k: 118_477 - 312,
      durationSeconds: (118_477 - 312) / 48_000,
    });
  });

  it('reads a 30-minute note’s length from its tail', () => {
    // Prepare
    const note = longVoiceNote(30 * 60);

    // Act
    const info = readOpusStreamInfo(note);

    // Assess
    expect(info.valid && info.durationSeconds).toBeCloseTo(30 * 60, 1);
  });

  it('uses the last intact page of a note cut short in transit', () => {
    // Prepare: 60 one-second pages, the last one cut in half.
    const note = longVoiceNote(60);
    const cut = note.subarray(0, note.length - 500);

    // Act
    const info = readOpusStreamInfo(cut);

    // Assess
    expect(info.valid && info.samples48k).toBe(59 * 48_000 - 312);
  });

  it('ignores an "OggS" that is only audio data (its checksum does not match)', () => {
    // Prepare: a fake page header with a huge granule position after the real last page.
    const fake = new Uint8Array(40);
    fake.set([0x4f, 0x67, 0x67, 0x53, 0, 4], 0);
    new DataView(fake.buffer).setBigInt64(6, 10n ** 12n, true);
    new DataView(fake.buffer).setUint32(14, new DataView(VOICE_NOTE.buffer).getUint32(14, true), true);
    const note = new Uint8Array([...VOICE_NOTE, ...fake]);

    // Act
    const info = readOpusStreamInfo(note);

    // Assess
    expect(info.valid && info.samples48k).toBe(118_477 - 312);
  });

  it('calls anything else what it is: not Ogg, not Opus, or no audio', () => {
    // Prepare
    const notOgg = Uint8Array.from({ length: 5_000 }, (_, index) => (index * 7) % 256);
    const headersOnly = VOICE_NOTE.subarray(0, 841);
    const vorbis = VOICE_NOTE.slice();
    vorbis.set(new TextEncoder().encode('VorbisHd'), 28);

    // Act
    const results = [notOgg, headersOnly, vorbis].map(readOpusStreamInfo);

    // Assess
    expect(results).toEqual([
      { valid: false, problem: 'not an Ogg file (no page at the start)' },
      { valid: false, problem: 'the stream holds no audio after its pre-skip' },
      { valid: false, problem: 'not an Opus stream (no OpusHead on the first page)' },
    ]);
  });
});
