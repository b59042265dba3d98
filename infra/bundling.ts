/**
 * One source of truth for how every function is bundled: the CDK construct and the cold-start
 * benchmark both use it, so the benchmark measures exactly what is deployed.
 * - ESM + minify + tree-shaking: smaller bundles parse faster at cold start.
 * - The AWS SDK is bundled, not taken from the runtime: only the commands we use are included,
 *   and the versions are the ones the tests ran against.
 * - Source maps without sources: readable stack traces without shipping the TypeScript.
 */
export const RELAY_BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // ogg-opus-decoder loads its optional ML speech enhancer (about 4 MB) only when asked to;
  // the relay never asks, so it stays out of the bundle.
  external: ['@wasm-audio-decoders/opus-ml'] as string[],
  // WebAssembly files are bundled as their bytes: the WebP decoder (@jsquash/webp) ships its .wasm
  // as a file beside its JS, and Lambda has no node_modules to find it in. It lands in the lazy
  // media chunk only (shared/adapters/webp-decoder-wasm.ts).
  loader: { '.wasm': 'binary' } as Record<string, 'binary'>,
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Code a function loads only when it needs it, shipped as a separate ESM file beside index.mjs
 * (functions/<name>/<chunk>.mts → <chunk>.mjs) and imported with `import('./<chunk>.mjs')`.
 * The inbound function's media path (S3 client, Opus and WebP decoders) would otherwise add about a third
 * to the bytes every cold start parses.
 */
export const LAZY_CHUNKS: Readonly<Record<string, readonly string[]>> = { inbound: ['media'] };

/** The esbuild CLI arguments for a lazy chunk, mirroring RELAY_BUNDLING. */
export function lazyChunkArguments(entry: string, outfile: string): string[] {
  return [
    entry,
    '--bundle',
    `--format=${RELAY_BUNDLING.format}`,
    `--platform=${RELAY_BUNDLING.platform}`,
    `--target=${RELAY_BUNDLING.target}`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--main-fields=${RELAY_BUNDLING.mainFields.join(',')}`,
    ...RELAY_BUNDLING.external.map((module) => `--external:${module}`),
    ...Object.entries(RELAY_BUNDLING.loader).map(([extension, loader]) => `--loader:${extension}=${loader}`),
    `--banner:js=${RELAY_BUNDLING.banner}`,
    `--outfile=${outfile}`,
    '--log-level=warning',
  ];
}
