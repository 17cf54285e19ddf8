import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ and provides PostgreSQL before any test file loads (see the file's comment).
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Several suites start real servers and child processes; two cores cannot run many at once.
    maxWorkers: 2,
  },
});
