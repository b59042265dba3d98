/**
 * Reading an Ogg/Opus file's length without decoding it, so a voice note too long for Connect is
 * refused before any audio is held in memory.
 *
 * Ogg (RFC 3533 §6): the file is a sequence of pages, each starting with the capture pattern
 * "OggS", a 27-byte header, a lacing table of segment sizes, and the segments. The header holds
 * the page's granule position (int64 LE at byte 6), stream serial number (byte 14), page sequence
 * number (byte 18), a CRC-32 of the whole page (byte 22) and the segment count (byte 26).
 *
 * Opus in Ogg (RFC 7845): the first page carries the identification header "OpusHead", with the
 * channel count (byte 9) and the pre-skip (uint16 LE at byte 10), the number of 48 kHz samples
 * to drop at the start (§5.1). Granule positions are always counted at 48 kHz, whatever the input
 * rate (§4), and the last page's granule position marks the end of the audio, so the playable
 * length is that granule position minus the pre-skip (§4.5, for a stream starting at zero, as
 * WhatsApp's do; a stream starting later only makes this estimate longer, never shorter).
 */

/** Opus granule positions count samples at 48 kHz (RFC 7845 §4). */
export const OPUS_GRANULE_RATE = 48_000;

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const HEADER_BYTES = 27;
const OPUS_HEAD = 'OpusHead';

/** What the relay needs to know about an Ogg/Opus file before decoding it. */
export type OpusStreamInfo =
  | {
      readonly valid: true;
      readonly channels: number;
      /** Samples to drop at the start, at 48 kHz. */
      readonly preSkip: number;
      /** Playable samples at 48 kHz: the last page's granule position minus the pre-skip. */
      readonly samples48k: number;
      readonly durationSeconds: number;
    }
  | { readonly valid: false; readonly problem: string };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let remainder = index << 24;
    for (let bit = 0; bit < 8; bit++) {
      remainder = remainder & 0x80000000 ? (remainder << 1) ^ 0x04c11db7 : remainder << 1;
    }
    table[index] = remainder >>> 0;
  }
  return table;
})();

/**
 * The Ogg page checksum (RFC 3533 §6: CRC-32, generator polynomial 0x04c11db7, initial value 0,
 * no reflection, no final XOR), computed over the page with its CRC field read as zero.
 */
export function oggCrc32(page: Uint8Array, crcOffset = 22): number {
  let crc = 0;
  for (let index = 0; index < page.length; index++) {
    const byte = index >= crcOffset && index < crcOffset + 4 ? 0 : (page[index] as number);
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  }
  return crc;
}

/** One Ogg page header, as read from the file. */
export interface OggPage {
  readonly offset: number;
  /** Header, lacing table and body. */
  readonly length: number;
  readonly granulePosition: bigint;
  readonly serial: number;
  readonly sequence: number;
  readonly bodyOffset: number;
  readonly bodyLength: number;
}

/** The page that starts at `offset`, or undefined when no complete, well-formed page does. */
export function readOggPage(bytes: Uint8Array, offset: number): OggPage | undefined {
  if (offset < 0 || offset + HEADER_BYTES > bytes.length) return undefined;
  if (CAPTURE.some((byte, index) => bytes[offset + index] !== byte)) return undefined;
  if (bytes[offset + 4] !== 0) return undefined; // stream_structure_version (RFC 3533 §6)
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const segments = bytes[offset + 26] as number;
  const bodyOffset = offset + HEADER_BYTES + segments;
  if (bodyOffset > bytes.length) return undefined;
  let bodyLength = 0;
  for (let index = offset + HEADER_BYTES; index < bodyOffset; index++) bodyLength += bytes[index] as number;
  if (bodyOffset + bodyLength > bytes.length) return undefined;
  return {
    offset,
    length: bodyOffset + bodyLength - offset,
    granulePosition: view.getBigInt64(6, true),
    serial: view.getUint32(14, true),
    sequence: view.getUint32(18, true),
    bodyOffset,
    bodyLength,
  };
}

/** True when the page's stored CRC matches its bytes: "OggS" inside audio data is not a page. */
function checksumMatches(bytes: Uint8Array, page: OggPage): boolean {
  const stored = new DataView(bytes.buffer, bytes.byteOffset + page.offset).getUint32(22, true);
  return oggCrc32(bytes.subarray(page.offset, page.offset + page.length)) === stored;
}

/**
 * Channels, pre-skip and length of an Ogg/Opus file, from its first page and the last page of
 * the same stream that carries a granule position, found by scanning back from the end. Costs a
 * few kilobytes of reading, whatever the file's length.
 */
export function readOpusStreamInfo(bytes: Uint8Array): OpusStreamInfo {
  const first = readOggPage(bytes, 0);
  if (!first) return { valid: false, problem: 'not an Ogg file (no page at the start)' };
  const head = bytes.subarray(first.bodyOffset, first.bodyOffset + first.bodyLength);
  if (head.length < 19 || String.fromCharCode(...head.subarray(0, 8)) !== OPUS_HEAD) {
    return { valid: false, problem: 'not an Opus stream (no OpusHead on the first page)' };
  }
  const channels = head[9] as number;
  const preSkip = new DataView(head.buffer, head.byteOffset).getUint16(10, true);

  const last = lastTimedPage(bytes, first.serial);
  if (!last) return { valid: false, problem: 'no audio page with a granule position' };
  const samples48k = Number(last.granulePosition) - preSkip;
  if (samples48k <= 0) return { valid: false, problem: 'the stream holds no audio after its pre-skip' };
  return { valid: true, channels, preSkip, samples48k, durationSeconds: samples48k / OPUS_GRANULE_RATE };
}

/**
 * The last intact page of the stream whose granule position is set. -1 means no packet ends on
 * the page (RFC 3533 §6, RFC 7845 §4), so such pages are passed over.
 */
function lastTimedPage(bytes: Uint8Array, serial: number): OggPage | undefined {
  for (let offset = bytes.length - HEADER_BYTES; offset > 0; offset--) {
    if (bytes[offset] !== CAPTURE[0]) continue;
    const page = readOggPage(bytes, offset);
    if (!page || page.serial !== serial || page.granulePosition < 0n) continue;
    if (checksumMatches(bytes, page)) return page;
  }
  return undefined;
}
