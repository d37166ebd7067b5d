import path from 'node:path';
import react from '@vitejs/plugin-react';
import { createLogger, defineConfig, loadEnv, type Logger, type Plugin } from 'vite';

/**
 * The settings frontend-platform and this app read as `process.env.NAME` (lms-protocol.md):
 * taken from `.env`, `.env.<mode>` or the environment of the build, and only these: the rest of
 * the shell's environment never reaches the bundle.
 */
export const ENV_NAMES = [
  'ACCESS_TOKEN_COOKIE_NAME',
  'ACCOUNT_PROFILE_URL',
  'ACCOUNT_SETTINGS_URL',
  'APP_ID',
  'BASE_URL',
  'CSRF_TOKEN_API_PATH',
  'FAVICON_URL',
  'LANGUAGE_PREFERENCE_COOKIE_NAME',
  'LMS_BASE_URL',
  'LOGIN_URL',
  'LOGO_TRADEMARK_URL',
  'LOGO_URL',
  'LOGO_WHITE_URL',
  'LOGOUT_URL',
  'MARKETING_SITE_BASE_URL',
  'MFE_CONFIG_API_URL',
  'ORDER_HISTORY_URL',
  'PARAGON_THEME_URLS',
  'PUBLIC_PATH',
  'REFRESH_ACCESS_TOKEN_ENDPOINT',
  'SEGMENT_KEY',
  'SITE_NAME',
  'STUDIO_BASE_URL',
  'SUPPORT_URL',
  'USER_INFO_COOKIE_NAME',
  // this app's own
  'STATS_API_BASE_URL',
  'STATS_OPERATOR_DOCS_URL',
] as const;

export function processEnvDefines(mode: string, folder: string): Record<string, string> {
  const env = loadEnv(mode, folder, '');
  const defines: Record<string, string> = {
    'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development'),
    // frontend-platform reads Node's `global` (webpack, which Open edX MFEs use, provides it).
    global: 'globalThis',
  };
  for (const name of ENV_NAMES) {
    // (unset: `undefined` in the bundle; a browser has no `process` to look in)
    defines[`process.env.${name}`] =
      env[name] === undefined ? 'undefined' : JSON.stringify(env[name]);
  }
  return defines;
}

/** Module replacements, shared with vitest.config.ts. */
export function aliases() {
  return [
    // frontend-platform imports the app's optional runtime configuration as `env.config`.
    { find: 'env.config', replacement: path.resolve(import.meta.dirname, 'src/env.config.ts') },
    // ...and Intl polyfills with the data of 15 languages (about 100 KB) for browsers without
    // Intl.PluralRules and Intl.RelativeTimeFormat: every browser since 2020 has both.
    {
      find: /^@formatjs\/intl-(pluralrules|relativetimeformat)\/(polyfill|locale-data\/.+)$/,
      replacement: path.resolve(import.meta.dirname, 'src/empty.ts'),
    },
  ];
}

/** See src/shims/paragon-for-plugin-slots.ts. */
function pluginSlotsTakeOnlyTheSpinner(): Plugin {
  const shim = path.resolve(import.meta.dirname, 'src/shims/paragon-for-plugin-slots.ts');
  return {
    name: 'plugin-slots-take-only-the-spinner',
    enforce: 'pre',
    resolveId(source, importer) {
      if (
        source === '@openedx/paragon' &&
        importer?.includes('/@openedx/frontend-plugin-framework/')
      ) {
        return shim;
      }
      return null;
    },
  };
}

/**
 * Paragon's CSS holds rules lightningcss cannot parse (`errorRecovery` keeps the rest): hundreds of
 * warnings about them, every build, would drown any other message.
 */
function loggerWithoutParagonCssWarnings(): Logger {
  const logger = createLogger();
  const warn = logger.warn.bind(logger);
  logger.warn = (message, options) => {
    if (!message.includes('[lightningcss')) warn(message, options);
  };
  return logger;
}

export default defineConfig(({ mode }) => ({
  customLogger: loggerWithoutParagonCssWarnings(),
  plugins: [react(), pluginSlotsTakeOnlyTheSpinner()],
  base: loadEnv(mode, import.meta.dirname, '').PUBLIC_PATH || '/',
  define: processEnvDefines(mode, import.meta.dirname),
  resolve: {
    alias: aliases(),
  },
  css: {
    // Paragon's CSS holds a few rules lightningcss cannot parse; keep the rest.
    lightningcss: { errorRecovery: true },
    // (the header's and Paragon's Sass still use @import)
    preprocessorOptions: { scss: { quietDeps: true, silenceDeprecations: ['import'] } },
  },
  build: { cssMinify: 'lightningcss', sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { port: 8090, host: '127.0.0.1' },
  preview: { port: 8090, host: '127.0.0.1' },
}));
