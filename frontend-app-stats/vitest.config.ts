import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { aliases, processEnvDefines } from './vite.config.ts';

export default defineProject({
  plugins: [react()],
  // Vitest sets these in process.env (as text): only the settings that have a value.
  define: Object.fromEntries(
    Object.entries(processEnvDefines('test', import.meta.dirname)).filter(
      ([, v]) => v !== 'undefined',
    ),
  ),
  resolve: {
    alias: [
      ...aliases(),
      {
        find: '@openedx/frontend-plugin-framework',
        replacement: path.resolve(import.meta.dirname, 'test/plugin-slot.tsx'),
      },
      // Paragon's own uuid 9, inlined with it, as ESM: its CommonJS wrapper loses the exports.
      {
        find: /^uuid$/,
        replacement: path.resolve(
          import.meta.dirname,
          '../node_modules/@openedx/paragon/node_modules/uuid/dist/esm-node/index.js',
        ),
      },
    ],
  },
  test: {
    name: 'frontend',
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['test/setup.tsx'],
    css: false,
    testTimeout: 30_000,
    // Packages whose ESM Node cannot load as it is (imports without file extensions, .scss
    // imports): Vite transforms them for the tests as it does for the browser.
    server: {
      deps: {
        inline: [/@edx\//, /@openedx\//],
        fallbackCJS: true,
      },
    },
  },
});
