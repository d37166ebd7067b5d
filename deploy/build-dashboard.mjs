#!/usr/bin/env node
// Builds the dashboard (frontend-app-stats/dist) for one site, from the build settings in the
// environment (docs/configuration.md#dashboard). The frontend image runs it with its build
// arguments (Dockerfile, target `frontend`); it works the same outside Docker. Plain JavaScript:
// the image's build stage installs only the dashboard's packages.
//
// What it adds to `npm run build -w frontend-app-stats`:
// - a setting that is set but empty (an unset Compose build argument arrives as '') is dropped,
//   so the committed defaults of frontend-app-stats/.env (APP_ID, SITE_NAME, cookie names) apply;
// - the addresses that follow from LMS_BASE_URL, and from the dashboard's own address (BASE_URL,
//   else https://STATS_SERVER_NAME), are filled in when not given;
// - a missing or malformed LMS_BASE_URL or BASE_URL stops it with one line naming it (exit 2).
//
// `--print` prints those addresses as JSON instead of building; other arguments go to
// `vite build` (e.g. `--outDir /srv/course-stats`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { siteAddresses } from '../frontend-app-stats/site-addresses.mjs';

const REPOSITORY = path.resolve(import.meta.dirname, '..');

class SettingError extends Error {}

/** The build's environment: `env` without empty values, plus the derived addresses. */
function buildEnvironment(env) {
  const settings = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const lms = httpUrl(settings, 'LMS_BASE_URL', 'the LMS root, https://lms.example.com');
  if (!settings.BASE_URL && settings.STATS_SERVER_NAME) {
    settings.BASE_URL = `https://${settings.STATS_SERVER_NAME.trim()}`;
  }
  const site = httpUrl(
    settings,
    'BASE_URL',
    'where the dashboard is served, https://stats.example.com (or set STATS_SERVER_NAME)',
  );
  const defaults = siteAddresses({ dashboard: site, lms, studio: settings.CMS_BASE_URL ?? '' });
  for (const [name, value] of Object.entries(defaults)) {
    if (settings[name] === undefined && value !== '') settings[name] = value;
  }
  settings.LMS_BASE_URL = lms;
  settings.BASE_URL = site;
  return { settings, addresses: Object.keys(defaults) };
}

function httpUrl(settings, name, meaning) {
  const value = settings[name]?.trim();
  if (!value) throw new SettingError(`${name} is not set: ${meaning}`);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError(`${name} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingError(`${name} must be an http:// or https:// URL, not "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function main(args) {
  let build;
  try {
    build = buildEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    process.stderr.write(`build-dashboard: ${error.message}\n`);
    return 2;
  }
  const { settings, addresses } = build;
  if (args[0] === '--print') {
    const shown = addresses.filter((name) => settings[name] !== undefined);
    process.stdout.write(
      `${JSON.stringify(Object.fromEntries(shown.map((n) => [n, settings[n]])), null, 2)}\n`,
    );
    return 0;
  }
  // NODE_ENV=production: only then does the React plugin compile for production.
  const vite = spawnSync('npm', ['run', 'build', '-w', 'frontend-app-stats', '--', ...args], {
    cwd: REPOSITORY,
    env: { ...settings, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  if (vite.error) throw vite.error;
  return vite.status ?? 1;
}

process.exit(main(process.argv.slice(2)));
