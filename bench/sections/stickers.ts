import { execFileSync } from 'node:child_process';
import { buildEntry } from '../lib/bundles.js';
import { median, round } from '../lib/stats.js';

const RUNS = 11;

export interface StickerRow {
  sticker: string;
  webpKB: number;
  pngKB: number;
  firstConversionMs: number;
  warmConversionMs: number;
  /** The same run's warm conversion is the baseline: what compiling the decoder adds. */
  firstOverWarm: number;
  goal: string;
}

const CASES = [
  { sticker: 'static 512 × 512 (lossless)', file: 'test/fixtures/stickers/static.webp' },
  { sticker: 'animated 512 × 512, 3 frames (first frame)', file: 'test/fixtures/stickers/animated.webp' },
] as const;

/**
 * WebP sticker → PNG in the deployed bundle's code (the converter bundled with the lambda's
 * options, the decoder's WebAssembly inside it): the first conversion in a fresh process, which
 * compiles the decoder, and a warm one; medians of 11 processes.
 */
export async function measureStickers(): Promise<StickerRow[]> {
  const probe = await buildEntry('bench/probes/sticker-conversion.ts', 'sticker-probe');
  return CASES.map(({ sticker, file }) => {
    const runs = Array.from(
      { length: RUNS },
      () =>
        JSON.parse(execFileSync('node', [probe, file], { encoding: 'utf8' }).trim()) as {
          firstMs: number;
          warmMs: number;
          pngBytes: number;
          webpBytes: number;
        },
    );
    const first = median(runs.map((run) => run.firstMs));
    const warm = median(runs.map((run) => run.warmMs));
    return {
      sticker,
      webpKB: round((runs[0]?.webpBytes ?? 0) / 1024, 1),
      pngKB: round((runs[0]?.pngBytes ?? 0) / 1024, 1),
      firstConversionMs: round(first, 1),
      warmConversionMs: round(warm, 1),
      firstOverWarm: round(first / warm, 1),
      goal: first < 100 ? '< 100 ms ✓' : '< 100 ms ✗',
    };
  });
}
