import { defineProject } from 'vitest/config';

// `npm start`, run as a user runs it: the demo's own embedded PostgreSQL, servers and build.
export default defineProject({
  test: {
    name: 'demo',
    include: ['demo/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
