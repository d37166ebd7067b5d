import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'processor',
    include: ['test/**/*.test.ts'],
    globalSetup: ['../test-support/postgres-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
