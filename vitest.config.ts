import { defineConfig } from 'vitest/config';

// Two projects, as Jepsen's test selectors keep slow suites apart: `quick` is pure in-process
// tests (checker, raft core in a simulated network, generators); `integration` starts real
// processes, namespaces and containers and runs one file at a time so faults do not collide.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'quick',
          globalSetup: ['test/support/build-once.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/browser/**', 'node_modules/**', 'dist/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['test/support/build-once.ts'],
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
