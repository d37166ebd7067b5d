// What the API's HTTP tests run against: a database holding a generated, processed course, the
// LMS stand-in (JWKS, roles, Courses API), and the API itself serving on a real port: on Node in
// this process, or, with API_RUNTIME=deno, as `deno run api/src/main.deno.ts` in a child process.
// The tests only speak HTTP to it, so the same suite checks both runtimes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { startDevLms, type DevLms, type DevLmsOptions } from '@course-stats/dev-lms';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { serveApi } from '../../test-support/api-server.ts';
import { loadGeneratedCourse } from '../../test-support/generated-course.ts';

export const COURSE = 'course-v1:DemoOrg+STATS101+2025_T1';
export const OTHER_COURSE = 'course-v1:OtherOrg+X+2025';
/** The generated course's days (generateCourse's default start, 5 days). */
export const FROM = '2025-09-01';
export const TO = '2025-09-05';

export const runtime = process.env.API_RUNTIME === 'deno' ? 'deno' : 'node';

/** A database with the generated demo course loaded and processed (30 learners × 5 days). */
export async function courseDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  try {
    await loadGeneratedCourse(db.sql, { learners: 30, days: 5, seed: 3, courseId: COURSE });
    return db;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked by assertions
export type Json = any;
export interface TestResponse extends Omit<Response, 'json'> {
  json(): Promise<Json>;
}

/** An active video of the course and a learner with activity in it, to name in paths. */
export async function sampleKeys(db: TestDatabase): Promise<{ video: string; username: string }> {
  const [row] = await db.sql<{ video: string; username: string }[]>`
    SELECT
      (SELECT usage_key FROM course_blocks
       WHERE course_id = ${COURSE} AND block_type = 'video' AND active
       ORDER BY course_order LIMIT 1) AS video,
      (SELECT l.username FROM learner_day d JOIN learners l USING (learner)
       WHERE d.course_id = ${COURSE} ORDER BY l.username LIMIT 1) AS username`;
  return row!;
}

export interface TestApi {
  url: string;
  lms: DevLms;
  /** GET (or another method) on the API, as `user` (the cookies of their login) or anonymous. */
  get(pathAndQuery: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  /** A demo user of the LMS stand-in: the request carries the cookies of their login. */
  as?: string;
  headers?: Record<string, string>;
  method?: string;
}

export async function startTestApi(
  db: { url: string },
  options: { env?: Record<string, string>; lms?: DevLmsOptions } = {},
): Promise<TestApi> {
  const lms = await startDevLms(options.lms);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    LMS_BASE_URL: lms.url,
    JWT_ISSUER: lms.issuer,
    JWT_AUDIENCE: lms.audience,
    STATS_CORS_ORIGINS: 'http://apps.example.test',
    HOST: '127.0.0.1',
    ...options.env,
  };
  const { url, close } = runtime === 'deno' ? await startDeno(env) : await serveApi(env);
  const tokens = new Map<string, string>();
  return {
    url,
    lms,
    async get(pathAndQuery, { as, headers = {}, method = 'GET' } = {}) {
      const sent: Record<string, string> = { ...headers };
      if (as) {
        if (!tokens.has(as)) tokens.set(as, await lms.tokenFor(as));
        sent.cookie = lms.cookieHeader(tokens.get(as)!);
      }
      return fetch(`${url}${pathAndQuery}`, { method, headers: sent }) as Promise<TestResponse>;
    },
    async close() {
      await close();
      await lms.close();
    },
  };
}

const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

/** `deno run` of the Deno entry, on a free port it reports when listening. */
async function startDeno(env: Record<string, string>) {
  const child: ChildProcess = spawn(
    path.join(repositoryRoot, 'node_modules', '.bin', 'deno'),
    ['run', '-A', '--no-prompt', path.join(repositoryRoot, 'api', 'src', 'main.deno.ts')],
    {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\(deno\) listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`deno exited with ${code}: ${output}`)));
  });
  return {
    url,
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
