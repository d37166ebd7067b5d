// The whole stack the end-to-end test drives, on fixed local ports: a database holding a generated
// course, the LMS stand-in (sign-in page, JWT cookies, keys, roles, Courses API), the API, and the
// dashboard built for these addresses and served as static files with the SPA fallback.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, preview, type PreviewServer } from 'vite';
import { startDevLms, type DevLms } from '../../dev-lms/src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { serveApi } from '../../test-support/api-server.ts';
import { loadGeneratedCourse } from '../../test-support/generated-course.ts';

export const COURSE = 'course-v1:DemoOrg+STATS101+2025_T1';
const PORTS = { lms: 18_100, api: 18_180, dashboard: 18_190 };
export const URLS = {
  lms: `http://127.0.0.1:${PORTS.lms}`,
  api: `http://127.0.0.1:${PORTS.api}`,
  dashboard: `http://127.0.0.1:${PORTS.dashboard}`,
};

export interface Stack {
  db: TestDatabase;
  lms: DevLms;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  const closers: (() => Promise<unknown>)[] = [() => db.drop()];
  try {
    // 60 learners × 10 days of the demo course
    await loadGeneratedCourse(db.sql, { learners: 60, days: 10, seed: 11, courseId: COURSE });
    const lms = await startDevLms({ port: PORTS.lms, allowedRedirectOrigins: [URLS.dashboard] });
    closers.unshift(() => lms.close());
    closers.unshift(await startApi(db, lms));
    const dashboard = await serveDashboard();
    closers.unshift(() => dashboard.close());
    return {
      db,
      lms,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}

async function startApi(db: TestDatabase, lms: DevLms) {
  const api = await serveApi(
    {
      DATABASE_URL: db.url,
      LMS_BASE_URL: lms.url,
      JWT_ISSUER: lms.issuer,
      JWT_AUDIENCE: lms.audience,
      STATS_CORS_ORIGINS: URLS.dashboard,
    },
    PORTS.api,
  );
  return () => api.close();
}

const root = path.resolve(import.meta.dirname, '..');

/** `vite build` with this stack's addresses (as .env values would give them), then `vite preview`. */
async function serveDashboard(): Promise<PreviewServer> {
  const outDir = path.join(root, 'dist-e2e');
  const settings: Record<string, string> = {
    BASE_URL: URLS.dashboard,
    LMS_BASE_URL: URLS.lms,
    LOGIN_URL: `${URLS.lms}/login`,
    LOGOUT_URL: `${URLS.lms}/logout`,
    REFRESH_ACCESS_TOKEN_ENDPOINT: `${URLS.lms}/login_refresh`,
    MARKETING_SITE_BASE_URL: URLS.lms,
    ORDER_HISTORY_URL: `${URLS.lms}/orders`,
    STUDIO_BASE_URL: URLS.lms,
    LOGO_URL: `${URLS.dashboard}/logo.svg`,
    LOGO_TRADEMARK_URL: `${URLS.dashboard}/logo.svg`,
    LOGO_WHITE_URL: `${URLS.dashboard}/logo.svg`,
    FAVICON_URL: `${URLS.dashboard}/favicon.svg`,
    STATS_API_BASE_URL: URLS.api,
    // (Vitest runs with NODE_ENV=test; the React plugin would then compile for development)
    NODE_ENV: 'production',
  };
  const saved = { ...process.env };
  Object.assign(process.env, settings);
  try {
    await build({
      root,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, sourcemap: false },
    });
  } finally {
    for (const name of Object.keys(settings)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: PORTS.dashboard, strictPort: true, host: '127.0.0.1' },
  });
  const address = server.httpServer.address() as AddressInfo;
  if (address.port !== PORTS.dashboard) throw new Error(`dashboard on ${address.port}`);
  return server;
}
