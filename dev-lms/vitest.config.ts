import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dev-lms',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
