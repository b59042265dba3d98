import decodeWebp, { init as initWebpDecoder } from '@jsquash/webp/decode.js';
import { encode as encodePng } from 'fast-png';
import { STICKER_MAX_SIDE } from '../domain/sticker-rules.js';
import { inspectWebp, type WebpFrame } from '../domain/webp-container.js';
import {
  MediaConversionError,
  type StickerConversion,
  type StickerConverter,
} from '../ports/media-transfer.js';

/** @jsquash/webp's init accepts a compiled module first (decode.js, 1.5.0); its types leave that out. */
const initWithModule = initWebpDecoder as unknown as (module: WebAssembly.Module) => Promise<void>;

/** Node's global WebAssembly: the project's `lib` setting types only its namespace. */
const webAssembly = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }
).WebAssembly;

/** The decoder is one per process (@jsquash keeps it in module state): compiled on the first sticker. */
let decoderReady: Promise<void> | undefined;

function webpDecoder(): Promise<void> {
  decoderReady ??= import('./webp-decoder-wasm.js')
    .then(({ WEBP_DECODER_WASM }) => webAssembly.compile(WEBP_DECODER_WASM))
    .then((module) => initWithModule(module))
    .catch((error: unknown) => {
      decoderReady = undefined;
      throw error;
    });
  return decoderReady;
}

/**
 * WhatsApp stickers (WebP) → PNG, with libwebp compiled to WebAssembly (@jsquash/webp) and a
 * pure-JS PNG encoder (fast-png): no native binary, so the ARM64 bundle is plain JS plus the
 * decoder's bytes. libwebp's still decoder refuses animations, so an animated sticker's first
 * frame is cut out of its RIFF container (webp-container.ts), decoded alone, and placed on a
 * transparent canvas of the animation's size.
 */
export class WebpPngConverter implements StickerConverter {
  async toPng(webp: Uint8Array): Promise<StickerConversion> {
    const sticker = inspectWebp(webp);
    if (!sticker.valid) throw new MediaConversionError(`Not a WebP sticker: ${sticker.problem}`);
    const { width, height, animated } = sticker;
    if (width > STICKER_MAX_SIDE || height > STICKER_MAX_SIDE) {
      return { status: 'too-large', width, height, maxSide: STICKER_MAX_SIDE };
    }
    const frame = await this.decode(sticker.firstFrame);
    const pixels = animated ? onCanvas(frame, sticker.firstFrame, width, height) : frame.data;
    // Deflate level 1: encoding is most of the conversion's time, and level 6 (the default) made
    // the PNG only about 5% smaller for 2–4 times the CPU (bench, "Stickers").
    const png = encodePng({ width, height, data: pixels, channels: 4, depth: 8 }, { zlib: { level: 1 } });
    return { status: 'converted', png, width, height, animated };
  }

  private async decode(frame: WebpFrame): Promise<{ data: Uint8Array; width: number; height: number }> {
    await webpDecoder();
    let image: { data: Uint8ClampedArray; width: number; height: number };
    try {
      const { file } = frame;
      image = await decodeWebp(
        file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
      );
    } catch (error) {
      throw new MediaConversionError('The sticker could not be decoded', { cause: error });
    }
    if (image.width !== frame.width || image.height !== frame.height) {
      throw new MediaConversionError('The sticker decoded to a size its container does not declare');
    }
    return {
      data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
      width: image.width,
      height: image.height,
    };
  }
}

/** The first frame at its offset on a transparent canvas (nothing was drawn before it). */
function onCanvas(
  frame: { data: Uint8Array; width: number },
  at: WebpFrame,
  width: number,
  height: number,
): Uint8Array {
  const canvas = new Uint8Array(width * height * 4);
  for (let row = 0; row < at.height; row++) {
    const from = row * frame.width * 4;
    canvas.set(frame.data.subarray(from, from + at.width * 4), ((at.y + row) * width + at.x) * 4);
  }
  return canvas;
}
