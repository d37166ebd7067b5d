// Builds the dashboard for one site's addresses and serves a build with the SPA fallback, from
// Node: the demo (scripts/demo/) and the end-to-end tests use it. An operator's build reads the
// same names from `.env` files instead (docs/configuration.md#dashboard).
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, preview, type PreviewServer } from 'vite';
import { siteAddresses } from './site-addresses.mjs';

const root = import.meta.dirname;

export interface SiteAddresses {
  /** Where the dashboard is served, e.g. http://127.0.0.1:8090 */
  dashboard: string;
  /** The LMS (or its stand-in). */
  lms: string;
  /** The API's origin; '' = the dashboard's own origin (behind nginx, /api is proxied). */
  api: string;
}

/** The build settings (frontend-platform's names and ours) for these addresses. */
export function siteSettings(site: SiteAddresses): Record<string, string> {
  return { ...siteAddresses(site), STATS_API_BASE_URL: site.api };
}

/** `vite build` into `outDir` with these settings, as the environment of a build would give them. */
export async function buildSite(outDir: string, settings: Record<string, string>): Promise<void> {
  // (Vitest runs with NODE_ENV=test; the React plugin would then compile for development)
  const environment = { ...settings, NODE_ENV: 'production' };
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  try {
    await build({
      root,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: path.resolve(outDir), emptyOutDir: true, sourcemap: false },
    });
  } finally {
    for (const name of Object.keys(environment)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Serves a build on 127.0.0.1:`port`, every unknown path answered with index.html. */
export async function serveSite(outDir: string, port: number): Promise<PreviewServer> {
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir: path.resolve(outDir) },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  const address = server.httpServer.address() as AddressInfo;
  if (port !== 0 && address.port !== port) throw new Error(`dashboard on ${address.port}`);
  return server;
}
