import { readFileSync } from 'node:fs';
import { oggCrc32, readOggPage } from '../../shared/domain/ogg-opus.js';

/** The recorded voice note every generated one is built from (2.46 s of speech, mono Opus). */
export const VOICE_NOTE_FIXTURE = 'test/fixtures/voice-note.ogg';

/**
 * A WhatsApp-like OGG/Opus voice note of about `seconds` seconds, without an encoder: the
 * fixture's two header pages, then its one-second audio pages (50 × 20 ms packets each) repeated,
 * with page sequence numbers, granule positions (+48,000 per page, RFC 7845 §4) and CRCs
 * (RFC 3533 §6) rewritten, and the last page flagged end-of-stream. A 30-minute note is about
 * 4 MB, the size of a real one.
 */
export function longVoiceNote(seconds: number, fixture = VOICE_NOTE_FIXTURE): Uint8Array {
  const source = new Uint8Array(readFileSync(fixture));
  const pages = [];
  for (let offset = 0; offset < source.length; ) {
    const page = readOggPage(source, offset);
    if (!page) throw new Error(`The fixture has no Ogg page at byte ${offset}`);
    pages.push(source.subarray(offset, offset + page.length));
    offset += page.length;
  }
  const [idHeader, commentHeader, ...audio] = pages;
  // Whole-second pages only: the fixture's last page is a shorter, trimmed one.
  const secondPages = audio.filter((page) => readGranule(page) % 48_000n === 0n);
  if (!idHeader || !commentHeader || secondPages.length === 0) {
    throw new Error('The fixture must hold OpusHead, OpusTags and at least one one-second audio page');
  }

  const count = Math.max(1, Math.round(seconds));
  const bodyBytes = Array.from({ length: count }, (_, index) => secondPages[index % secondPages.length])
    .map((page) => page?.length ?? 0)
    .reduce((sum, length) => sum + length, 0);
  const output = new Uint8Array(idHeader.length + commentHeader.length + bodyBytes);
  output.set(idHeader, 0);
  output.set(commentHeader, idHeader.length);
  let offset = idHeader.length + commentHeader.length;
  for (let index = 0; index < count; index++) {
    const page = secondPages[index % secondPages.length] as Uint8Array;
    output.set(page, offset);
    const view = new DataView(output.buffer, offset);
    view.setUint8(5, index === count - 1 ? 0x04 : 0x00); // header_type: end of stream on the last page
    view.setBigInt64(6, BigInt((index + 1) * 48_000), true);
    view.setUint32(18, index + 2, true); // sequence: 0 and 1 are the headers
    view.setUint32(22, oggCrc32(output.subarray(offset, offset + page.length)), true);
    offset += page.length;
  }
  return output;
}

function readGranule(page: Uint8Array): bigint {
  return new DataView(page.buffer, page.byteOffset).getBigInt64(6, true);
}
