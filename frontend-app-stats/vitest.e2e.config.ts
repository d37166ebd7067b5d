import { defineProject } from 'vitest/config';

// The end-to-end test: a browser against the whole stack (e2e/stack.ts).
export default defineProject({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['../test-support/postgres-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
