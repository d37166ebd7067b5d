import { defineProject } from 'vitest/config';

// The same HTTP suite as vitest.config.ts, against the API served by Deno (main.deno.ts).
export default defineProject({
  test: {
    name: 'api-deno',
    include: ['test/**/*.test.ts'],
    globalSetup: ['../test-support/postgres-setup.ts'],
    env: { API_RUNTIME: 'deno' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
