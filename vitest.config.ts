import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'db',
      'processor',
      'dev-lms',
      'api',
      'api/vitest.deno.config.ts',
      'frontend-app-stats',
      'frontend-app-stats/vitest.e2e.config.ts',
      'deploy',
      'scripts',
    ],
  },
});
