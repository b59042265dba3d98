import { readFileSync } from 'node:fs';
import { decode as decodePng, hasPngSignature } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { WebpPngConverter } from '../../shared/adapters/webp-png-converter.js';
import { MediaConversionError } from '../../shared/ports/media-transfer.js';

// Made with libwebp's cwebp and img2webp: test/fixtures/stickers/README.md.
const STATIC_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/static.webp'));
const ANIMATED_STICKER = new Uint8Array(readFileSync('test/fixtures/stickers/animated.webp'));

/** The RGBA pixel at (x, y) of a decoded PNG. */
function pixel(png: ReturnType<typeof decodePng>, x: number, y: number): number[] {
  const at = (y * png.width + x) * png.channels;
  return [...png.data.subarray(at, at + png.channels)];
}

describe('WhatsApp stickers become PNG images the agent can see', () => {
  const converter = new WebpPngConverter();

  it('turns a real static sticker into a 512 × 512 PNG with its transparency', async () => {
    // Act
    const result = await converter.toPng(STATIC_STICKER);

    // Assess
    if (result.status !== 'converted') throw new Error(`expected a PNG, got ${result.status}`);
    expect(hasPngSignature(result.png)).toBe(true);
    const png = decodePng(result.png);
    expect({ width: png.width, height: png.height, channels: png.channels }).toEqual({
      width: 512,
      height: 512,
      channels: 4,
    });
    // The fixture is a yellow disc (255, 204, 0) on a transparent square; it is lossless.
    expect(pixel(png, 256, 256)).toEqual([255, 204, 0, 255]);
    expect(pixel(png, 2, 2)[3]).toBe(0);
    expect(result.animated).toBe(false);
  });

  it('shows a real animated sticker as its first frame, in place on the animation’s canvas', async () => {
    // Act
    const result = await converter.toPng(ANIMATED_STICKER);

    // Assess
    if (result.status !== 'converted') throw new Error(`expected a PNG, got ${result.status}`);
    expect(result.animated).toBe(true);
    expect(hasPngSignature(result.png)).toBe(true);
    const png = decodePng(result.png);
    expect([png.width, png.height]).toEqual([512, 512]);
    // Frame 1 is a yellow disc of radius 200, frame 2 a red one (lossy: colours are near, not exact).
    const [r = 0, g = 0, b = 0, a = 0] = pixel(png, 256, 256);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(150);
    expect(b).toBeLessThan(60);
    // Inside frame 1's disc but outside frame 2's: only the first frame drew there.
    expect(pixel(png, 256, 256 - 180)[3]).toBe(255);
    // Frame 1 sits at (56, 56): the canvas corner is transparent.
    expect(pixel(png, 10, 10)[3]).toBe(0);
  });

  it('refuses a sticker whose canvas is far larger than a sticker can be, without decoding it', async () => {
    // Prepare: the static fixture's VP8L header (after the 0x2f signature at byte 20) claims
    // 4000 × 4000: 14 bits width − 1, 14 bits height − 1, then its alpha and version bits.
    const huge = STATIC_STICKER.slice();
    const header = new DataView(huge.buffer, 21, 4);
    const flags = header.getUint32(0, true) & 0xf0000000;
    header.setUint32(0, (flags | 3999 | (3999 << 14)) >>> 0, true);

    // Act
    const result = await converter.toPng(huge);

    // Assess
    expect(result).toEqual({ status: 'too-large', width: 4000, height: 4000, maxSide: 1024 });
  });

  it('says a file that is not a WebP could not be converted', async () => {
    // Act + Assess
    await expect(converter.toPng(new TextEncoder().encode('GIF89a not a sticker'))).rejects.toThrow(
      MediaConversionError,
    );
  });

  it('says a WebP whose image data is corrupt could not be converted', async () => {
    // Prepare: keep the header, scramble the lossless bitstream after it.
    const corrupt = STATIC_STICKER.slice();
    corrupt.fill(0xff, 30);

    // Act + Assess
    await expect(converter.toPng(corrupt)).rejects.toThrow(MediaConversionError);
  });
});
