import { defineConfig } from 'vitest/config';

// The browser test of the sandbox (`npm run test:e2e`): Chromium drives `npm run local`'s page.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
