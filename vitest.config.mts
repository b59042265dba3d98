import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser test has its own config (vitest.e2e.config.mts, `npm run test:e2e`).
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/support/setup-matchers.ts'],
    // Infra tests synthesize the whole app (esbuild bundling); give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
