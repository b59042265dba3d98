/**
 * Reads a WebP file's RIFF container, so a sticker's size is known before any pixel is decoded and
 * an animated sticker's first frame can be decoded on its own (libwebp's still-image decoder, the
 * one the relay bundles, refuses animations).
 *
 * The layout follows Google's "WebP Container Specification" (developers.google.com/speed/webp/docs/riff_container):
 * `RIFF <size> WEBP`, then chunks of `FourCC, 32-bit little-endian size, payload, a pad byte when
 * the size is odd`. A simple file holds one `VP8 ` (lossy) or `VP8L` (lossless) chunk; an
 * extended one starts with `VP8X` (flags, canvas size) and, when animated, holds `ANIM` and one
 * `ANMF` per frame, whose payload is the frame's offset, size, duration and flags (16 bytes)
 * followed by its own `ALPH` (optional) and `VP8 `/`VP8L` chunks.
 */

/** A frame (or a still image) as a standalone WebP file that a still-image decoder accepts. */
export interface WebpFrame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly file: Uint8Array;
}

export type WebpInspection =
  | { readonly valid: false; readonly problem: string }
  | {
      readonly valid: true;
      readonly animated: boolean;
      /** The canvas: the still image's size, or the animation's. */
      readonly width: number;
      readonly height: number;
      readonly frameCount: number;
      /** The still image, or the animation's first frame, placed at (x, y) on the canvas. */
      readonly firstFrame: WebpFrame;
    };

interface Chunk {
  readonly fourCC: string;
  /** The chunk with its header, as it sits in the file. */
  readonly whole: Uint8Array;
  readonly payload: Uint8Array;
}

class WebpFormatError extends Error {}

/** Checks a WebP file's container and finds the image (or first frame) a still decoder can read. */
export function inspectWebp(bytes: Uint8Array): WebpInspection {
  try {
    return inspect(bytes);
  } catch (error) {
    if (error instanceof WebpFormatError) return { valid: false, problem: error.message };
    throw error;
  }
}

function inspect(bytes: Uint8Array): WebpInspection {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WEBP') {
    throw new WebpFormatError('not a RIFF/WEBP file');
  }
  const riffEnd = Math.min(bytes.length, 8 + uint32(bytes, 4));
  const chunks = readChunks(bytes.subarray(12, riffEnd));
  const first = chunks[0];
  if (!first) throw new WebpFormatError('no chunks');
  if (first.fourCC === 'VP8 ' || first.fourCC === 'VP8L') {
    const size = bitstreamSize(first);
    return {
      valid: true,
      animated: false,
      ...size,
      frameCount: 1,
      firstFrame: { x: 0, y: 0, ...size, file: bytes },
    };
  }
  if (first.fourCC !== 'VP8X' || first.payload.length < 10) throw new WebpFormatError('unknown first chunk');
  const canvas = { width: 1 + uint24(first.payload, 4), height: 1 + uint24(first.payload, 7) };
  const frames = chunks.filter((chunk) => chunk.fourCC === 'ANMF');
  const animated = (first.payload[0] ?? 0) & 0x02;
  if (!animated) {
    // A still image in an extended file: the decoder reads the file as it is.
    const image = chunks.find((chunk) => chunk.fourCC === 'VP8 ' || chunk.fourCC === 'VP8L');
    if (!image) throw new WebpFormatError('no image data');
    return {
      valid: true,
      animated: false,
      ...canvas,
      frameCount: 1,
      firstFrame: { x: 0, y: 0, ...canvas, file: bytes },
    };
  }
  const frame = frames[0];
  if (!frame) throw new WebpFormatError('animated, but no frames');
  return {
    valid: true,
    animated: true,
    ...canvas,
    frameCount: frames.length,
    firstFrame: standaloneFrame(frame.payload, canvas),
  };
}

/** An ANMF payload → its frame as a WebP file of its own (VP8X + ALPH + VP8 when it has alpha). */
function standaloneFrame(payload: Uint8Array, canvas: { width: number; height: number }): WebpFrame {
  if (payload.length < 16) throw new WebpFormatError('truncated frame header');
  const frame = {
    x: 2 * uint24(payload, 0),
    y: 2 * uint24(payload, 3),
    width: 1 + uint24(payload, 6),
    height: 1 + uint24(payload, 9),
  };
  if (frame.x + frame.width > canvas.width || frame.y + frame.height > canvas.height) {
    throw new WebpFormatError('first frame lies outside the canvas');
  }
  const inner = readChunks(payload.subarray(16));
  const image = inner.find((chunk) => chunk.fourCC === 'VP8 ' || chunk.fourCC === 'VP8L');
  if (!image) throw new WebpFormatError('first frame has no image data');
  const alpha = image.fourCC === 'VP8 ' ? inner.find((chunk) => chunk.fourCC === 'ALPH') : undefined;
  const parts = alpha
    ? [vp8xChunk(frame.width, frame.height, 0x10), alpha.whole, image.whole]
    : [image.whole];
  return { ...frame, file: riff(parts) };
}

function readChunks(area: Uint8Array): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 0;
  while (offset + 8 <= area.length) {
    const size = uint32(area, offset + 4);
    const end = offset + 8 + size;
    if (end > area.length) throw new WebpFormatError(`chunk ${ascii(area, offset)} is truncated`);
    chunks.push({
      fourCC: ascii(area, offset),
      whole: area.subarray(offset, end),
      payload: area.subarray(offset + 8, end),
    });
    offset = end + (size % 2);
  }
  return chunks;
}

/** The image size a simple file's bitstream declares (VP8 frame header, or VP8L header). */
function bitstreamSize(chunk: Chunk): { width: number; height: number } {
  const data = chunk.payload;
  if (chunk.fourCC === 'VP8L') {
    if (data.length < 5 || data[0] !== 0x2f) throw new WebpFormatError('bad VP8L signature');
    const bits = uint32(data, 1);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (data.length < 10 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) {
    throw new WebpFormatError('bad VP8 start code');
  }
  return { width: uint16(data, 6) & 0x3fff, height: uint16(data, 8) & 0x3fff };
}

function vp8xChunk(width: number, height: number, flags: number): Uint8Array {
  const chunk = new Uint8Array(18);
  chunk.set([0x56, 0x50, 0x38, 0x58, 10, 0, 0, 0, flags]);
  writeUint24(chunk, 12, width - 1);
  writeUint24(chunk, 15, height - 1);
  return chunk;
}

function riff(parts: readonly Uint8Array[]): Uint8Array {
  // Chunks taken with `whole` exclude their pad byte; each odd one gets it back.
  const padded = parts.map((part) => (part.length % 2 ? Uint8Array.from([...part, 0]) : part));
  const size = 4 + padded.reduce((sum, part) => sum + part.length, 0);
  const file = new Uint8Array(8 + size);
  file.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(file.buffer).setUint32(4, size, true);
  file.set([0x57, 0x45, 0x42, 0x50], 8);
  let offset = 12;
  for (const part of padded) {
    file.set(part, offset);
    offset += part.length;
  }
  return file;
}

function ascii(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function uint16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

function uint24(bytes: Uint8Array, offset: number): number {
  return uint16(bytes, offset) | ((bytes[offset + 2] ?? 0) << 16);
}

function uint32(bytes: Uint8Array, offset: number): number {
  return (uint24(bytes, offset) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0;
}

function writeUint24(bytes: Uint8Array, offset: number, value: number): void {
  bytes.set([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff], offset);
}
