// The whole stack an end-to-end test drives, on fixed local ports: a database holding a generated
// course, the LMS stand-in (sign-in page, JWT cookies, keys, roles, Courses API), the API, and the
// dashboard built for these addresses, served by `vite preview` (PREVIEW) or by another server a
// layout brings (nginx, e2e/nginx.e2e.test.ts).
import path from 'node:path';
import { startDevLms, type DevLms } from '../../dev-lms/src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { serveApi } from '../../test-support/api-server.ts';
import { loadGeneratedCourse } from '../../test-support/generated-course.ts';
import { buildSite, serveSite, siteSettings } from '../build-site.ts';

export const COURSE = 'course-v1:DemoOrg+STATS101+2025_T1';

export interface StackUrls {
  lms: string;
  /** Where the dashboard, and the tests, call the API (behind a proxy: the dashboard's origin). */
  api: string;
  dashboard: string;
}

export interface StackLayout {
  urls: StackUrls;
  /** Where the stand-in and the API themselves listen on 127.0.0.1. */
  ports: { lms: number; api: number };
  /** The API base URL built into the dashboard: '' = its own origin (/api proxied). */
  apiBaseUrl: string;
  /** The folder the dashboard is built into. */
  outDir: string;
  /** Serves the built dashboard (and, for a proxy, the API at `api`) at `urls.dashboard`. */
  serve(outDir: string, api: string): Promise<{ close(): Promise<unknown> }>;
}

const PREVIEW_PORTS = { lms: 18_100, api: 18_180, dashboard: 18_190 };

/** The dashboard served by `vite preview`, calling the API on its own origin with CORS. */
export const PREVIEW: StackLayout = {
  urls: {
    lms: `http://127.0.0.1:${PREVIEW_PORTS.lms}`,
    api: `http://127.0.0.1:${PREVIEW_PORTS.api}`,
    dashboard: `http://127.0.0.1:${PREVIEW_PORTS.dashboard}`,
  },
  ports: { lms: PREVIEW_PORTS.lms, api: PREVIEW_PORTS.api },
  apiBaseUrl: `http://127.0.0.1:${PREVIEW_PORTS.api}`,
  outDir: path.resolve(import.meta.dirname, '..', 'dist-e2e'),
  async serve(outDir) {
    const server = await serveSite(outDir, PREVIEW_PORTS.dashboard);
    return { close: () => server.close() };
  },
};

/** The addresses of the PREVIEW stack, which `startStack()` starts. */
export const URLS = PREVIEW.urls;

export interface Stack {
  db: TestDatabase;
  lms: DevLms;
  urls: StackUrls;
  close(): Promise<void>;
}

export async function startStack(layout: StackLayout = PREVIEW): Promise<Stack> {
  const db = await createTestDatabase();
  const closers: (() => Promise<unknown>)[] = [() => db.drop()];
  try {
    // 60 learners × 10 days of the demo course
    await loadGeneratedCourse(db.sql, { learners: 60, days: 10, seed: 11, courseId: COURSE });
    const lms = await startDevLms({
      port: layout.ports.lms,
      allowedRedirectOrigins: [layout.urls.dashboard],
    });
    closers.unshift(() => lms.close());
    const api = await serveApi(
      {
        DATABASE_URL: db.url,
        LMS_BASE_URL: lms.url,
        JWT_ISSUER: lms.issuer,
        JWT_AUDIENCE: lms.audience,
        STATS_CORS_ORIGINS: layout.urls.dashboard,
      },
      layout.ports.api,
    );
    closers.unshift(() => api.close());
    const site = { dashboard: layout.urls.dashboard, lms: lms.url, api: layout.apiBaseUrl };
    await buildSite(layout.outDir, siteSettings(site));
    const server = await layout.serve(layout.outDir, api.url);
    closers.unshift(() => server.close());
    return {
      db,
      lms,
      urls: layout.urls,
      async close() {
        for (const close of closers) await close();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}
