import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'db',
    include: ['test/**/*.test.ts'],
    globalSetup: ['../test-support/postgres-setup.ts'],
    testTimeout: 30_000,
  },
});
