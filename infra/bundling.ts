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
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;
