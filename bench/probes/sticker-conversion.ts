/**
 * Bundled with the deployed options (bench/lib/bundles.ts) and run in a fresh `node` process by
 * bench/sections/stickers.ts: the first sticker a container converts (the WebAssembly decoder is
 * compiled then), and the next ones. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { WebpPngConverter } from '../../shared/adapters/webp-png-converter.js';

const file = process.argv[2] ?? 'test/fixtures/stickers/static.webp';
const webp = new Uint8Array(readFileSync(file));
const converter = new WebpPngConverter();
const timed = async () => {
  const started = performance.now();
  const result = await converter.toPng(webp);
  if (result.status !== 'converted') throw new Error(`not converted: ${result.status}`);
  return { ms: performance.now() - started, pngBytes: result.png.byteLength };
};
const first = await timed();
const warm: number[] = [];
for (let run = 0; run < 9; run++) warm.push((await timed()).ms);
warm.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    firstMs: first.ms,
    warmMs: warm[4],
    pngBytes: first.pngBytes,
    webpBytes: webp.byteLength,
  }),
);
