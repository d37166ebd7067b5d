// `npm start`: the whole dashboard on one machine with nothing but Node. A database with a
// generated course (loaded and processed by the processor), the LMS stand-in with its demo users,
// the API and the built dashboard, on 127.0.0.1. Never with production settings: the stand-in
// signs anyone in.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startDevLms, DEMO_COURSES, describeUser } from '../../dev-lms/src/index.ts';
import { listen } from '../../api/src/node-server.ts';
import { readApiSettings } from '../../api/src/settings.ts';
import { siteSettings } from '../../frontend-app-stats/build-site.ts';
import { DEMO_COURSE_ID, DemoStepError, prepareCourse, startDatabase } from './data.ts';
import { serveDashboard } from './dashboard.ts';
import type { DemoSettings } from './settings.ts';

export { DemoSettingError, readDemoSettings, type DemoSettings } from './settings.ts';
export { DemoStepError } from './data.ts';

/** What to stop, last started first. */
export class Stoppers {
  #stops: (() => Promise<unknown>)[] = [];
  add(stop: () => Promise<unknown>): void {
    this.#stops.unshift(stop);
  }
  async stopAll(): Promise<void> {
    for (const stop of this.#stops.splice(0)) await stop().catch(() => {});
  }
}

export interface RunningDemo {
  dashboard: string;
  course: string;
  lms: string;
  api: string;
  /** Who can sign in: "username: what they are" */
  users: string[];
}

export async function startDemo(settings: DemoSettings, stoppers: Stoppers): Promise<RunningDemo> {
  const host = 'http://127.0.0.1';
  const urls = {
    dashboard: `${host}:${settings.ports.dashboard}`,
    lms: `${host}:${settings.ports.lms}`,
    api: `${host}:${settings.ports.api}`,
  };
  const database = await onPort('PostgreSQL', 'DEMO_POSTGRES_PORT', settings.ports.postgres, () =>
    startDatabase(settings),
  );
  stoppers.add(() => database.stop());
  const blocksFile = await prepareCourse(settings, database.url);

  const courses = await withGeneratedBlocks(blocksFile);
  const lms = await onPort('The LMS stand-in', 'DEMO_LMS_PORT', settings.ports.lms, () =>
    startDevLms({ port: settings.ports.lms, allowedRedirectOrigins: [urls.dashboard], courses }),
  );
  stoppers.add(() => lms.close());
  const apiSettings = readApiSettings({
    DATABASE_URL: database.url,
    LMS_BASE_URL: lms.url,
    JWT_ISSUER: lms.issuer,
    JWT_AUDIENCE: lms.audience,
    STATS_CORS_ORIGINS: urls.dashboard,
  });
  const api = await onPort('The API', 'DEMO_API_PORT', settings.ports.api, () =>
    listen({ ...apiSettings, port: settings.ports.api }),
  );
  stoppers.add(() => api.close());
  const dashboard = await onPort(
    'The dashboard',
    'DEMO_DASHBOARD_PORT',
    settings.ports.dashboard,
    () =>
      serveDashboard(
        path.join(settings.dataDir, 'dashboard'),
        settings.ports.dashboard,
        siteSettings(urls),
      ),
  );
  stoppers.add(() => dashboard.close());
  return {
    ...urls,
    course: `${urls.dashboard}/courses/${encodeURIComponent(DEMO_COURSE_ID)}`,
    users: [...lms.users.values()].map(
      (user) => `${user.username}: ${describeUser(user, lms.roles, lms.courses)}`,
    ),
  };
}

/** Starts a part on a port, or says which port is taken and which setting moves it. */
async function onPort<T>(part: string, setting: string, port: number, start: () => Promise<T>) {
  try {
    return await start();
  } catch (error) {
    const text = String((error as Error).message);
    if ((error as { code?: string }).code !== 'EADDRINUSE' && !text.includes('already in use')) {
      throw error;
    }
    throw new DemoStepError(
      `${part} cannot listen on port ${port}: it is in use (stop what uses it, or set ${setting})`,
    );
  }
}

/** The stand-in's demo courses, the demo course answering with the generated structure. */
async function withGeneratedBlocks(blocksFile: string) {
  const blocks: unknown = JSON.parse(await readFile(blocksFile, 'utf8'));
  return DEMO_COURSES.map((course) =>
    course.course_id === DEMO_COURSE_ID ? { ...course, blocks } : course,
  );
}

export function describeDemo(demo: RunningDemo): string {
  return [
    '',
    'The course statistics demo is running (Ctrl-C stops it):',
    '',
    `  Dashboard:  ${demo.dashboard}/`,
    `  The course: ${demo.course}`,
    `  API:        ${demo.api}/api/health`,
    `  The dashboard sends you to the LMS stand-in (${demo.lms}/login) to sign in, without a`,
    '  password, as one of:',
    ...demo.users.map((user) => `    ${user}`),
    '',
  ].join('\n');
}
