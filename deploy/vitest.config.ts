import { defineProject } from 'vitest/config';

// The Compose deployment's files (docker-compose*.yml, Dockerfile, .dockerignore, .env.example).
export default defineProject({
  test: {
    name: 'deployment',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
