import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // `.wasm` imports are the file's bytes, as esbuild's `binary` loader bundles them (infra/bundling.ts).
      name: 'wasm-as-bytes',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.wasm')) return null;
        const base64 = readFileSync(id).toString('base64');
        return `export default new Uint8Array(Buffer.from(${JSON.stringify(base64)}, 'base64'));`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test has its own config (vitest.e2e.config.mts, `npm run test:e2e`).
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/support/setup-matchers.ts'],
    // Infra tests synthesize the whole app (esbuild bundling); give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest hands node_modules files to Node's loader, which has no `.wasm` loader of this kind.
    server: { deps: { inline: [/\.wasm$/] } },
  },
});
