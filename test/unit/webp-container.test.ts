import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectWebp } from '../../shared/domain/webp-container.js';

const STATIC_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/static.webp'));
const ANIMATED_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/animated.webp'));

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const le32 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
const le24 = (value: number) => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff];
/** A chunk with its pad byte. */
const chunk = (fourCC: string, payload: number[]) => [
  ...ascii(fourCC),
  ...le32(payload.length),
  ...payload,
  ...(payload.length % 2 ? [0] : []),
];
const riff = (...chunks: number[][]) => {
  const body = [...ascii('WEBP'), ...chunks.flat()];
  return Uint8Array.from([...ascii('RIFF'), ...le32(body.length), ...body]);
};
/** A VP8L header for a width × height image (the rest of the bitstream is not read here). */
const vp8l = (width: number, height: number) => [0x2f, ...le32((width - 1) | ((height - 1) << 14)), 0];
const vp8x = (flags: number, width: number, height: number) => [
  flags,
  0,
  0,
  0,
  ...le24(width - 1),
  ...le24(height - 1),
];
const anmf = (x: number, y: number, width: number, height: number, frame: number[]) => [
  ...le24(x / 2),
  ...le24(y / 2),
  ...le24(width - 1),
  ...le24(height - 1),
  ...le24(100),
  0,
  ...frame,
];

describe('reading a sticker’s WebP container before decoding it', () => {
  it('reads a real static sticker’s size, and hands the file itself to the decoder', () => {
    // Act
    const sticker = inspectWebp(STATIC_STICKER);

    // Assess
    expect(sticker).toMatchObject({ valid: true, animated: false, width: 512, height: 512, frameCount: 1 });
    if (!sticker.valid) return;
    expect(sticker.firstFrame.file).toBe(STATIC_STICKER);
  });

  it('cuts a real animated sticker’s first frame out as a still WebP with its alpha', () => {
    // Act
    const sticker = inspectWebp(ANIMATED_STICKER);

    // Assess: webpmux -info: 3 frames, the first 401 × 401 at (56, 56), lossy with alpha.
    expect(sticker).toMatchObject({ valid: true, animated: true, width: 512, height: 512, frameCount: 3 });
    if (!sticker.valid) return;
    const { file, ...placement } = sticker.firstFrame;
    expect(placement).toEqual({ x: 56, y: 56, width: 401, height: 401 });
    const still = inspectWebp(file);
    expect(still).toMatchObject({ valid: true, animated: false, width: 401, height: 401 });
    expect(String.fromCharCode(...file.subarray(12, 16))).toBe('VP8X');
    expect(String.fromCharCode(...file.subarray(30, 34))).toBe('ALPH');
  });

  it('takes a lossless first frame as a simple VP8L file, keeping an odd-sized chunk padded', () => {
    // Prepare: a 3-byte-longer VP8L payload makes the chunk odd-sized.
    const frame = [...vp8l(20, 10), 1, 2, 3];
    const file = riff(
      chunk('VP8X', vp8x(0x12, 64, 48)),
      chunk('ANIM', [0, 0, 0, 0, 0, 0]),
      chunk('ANMF', anmf(4, 6, 20, 10, chunk('VP8L', frame))),
    );

    // Act
    const sticker = inspectWebp(file);

    // Assess
    expect(sticker).toMatchObject({ valid: true, animated: true, width: 64, height: 48, frameCount: 1 });
    if (!sticker.valid) return;
    expect(sticker.firstFrame).toMatchObject({ x: 4, y: 6, width: 20, height: 10 });
    expect([...sticker.firstFrame.file]).toEqual([...riff(chunk('VP8L', frame))]);
  });

  it.each([
    ['a GIF', Uint8Array.from(ascii('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000')), 'not a RIFF/WEBP file'],
    ['a truncated chunk', riff(chunk('VP8L', vp8l(8, 8))).subarray(0, 22), 'chunk VP8L is truncated'],
    [
      'an animation without frames',
      riff(chunk('VP8X', vp8x(0x02, 8, 8)), chunk('ANIM', [0, 0, 0, 0, 0, 0])),
      'animated, but no frames',
    ],
    [
      'a first frame outside the canvas',
      riff(chunk('VP8X', vp8x(0x02, 8, 8)), chunk('ANMF', anmf(4, 0, 8, 8, chunk('VP8L', vp8l(8, 8))))),
      'first frame lies outside the canvas',
    ],
    [
      'a frame without image data',
      riff(chunk('VP8X', vp8x(0x02, 8, 8)), chunk('ANMF', anmf(0, 0, 8, 8, chunk('ALPH', [0])))),
      'first frame has no image data',
    ],
  ])('says why %s is not a sticker it can decode', (_, file, problem) => {
    // Act + Assess
    expect(inspectWebp(file)).toEqual({ valid: false, problem });
  });
});
