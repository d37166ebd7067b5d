import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';

// kpis.md §1: "A load that dies half-way leaves no trace of that file (load each file in one
// transaction)." The CLI is killed with SIGKILL at several points of a large file; nothing of it may
// stay, and a clean load afterwards must store exactly what one clean load into a fresh database
// stores.

const CLI = path.resolve(import.meta.dirname, '../bin/stats-processor.js');
const LINE_COUNT = 300_000;
/** How long a whole clean load may take before the test calls it hung. */
const LOAD_DEADLINE_MS = 40_000;
/** How long to wait for a kill point before the test gives up. */
const KILL_POINT_DEADLINE_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// A deterministic tracking log

const COURSES = [
  'course-v1:Org+Crash+2024',
  'course-v1:Org+Safe+2024',
  'course-v1:Other+Kill+2025',
];
const TUTOR_PREFIX = 'INFO 20 [tracking] [user 17] [ip 10.0.0.7] logger.py:41 - ';

interface ExpectedLines {
  read: number;
  stored: number;
  skipped: number;
  rejected: number;
}

/** A small xorshift generator: the same log on every run. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

/**
 * Writes `count` lines of realistic events (browser video events, server page views, problem
 * checks, the processed shape, Tutor prefixes), with a few anonymous, course-less, repeated,
 * blank and garbage lines, and returns the outcome counts kpis.md §1 gives for them.
 */
async function writeTrackingLog(filePath: string, count: number): Promise<ExpectedLines> {
  const random = randomSource(20_240_301);
  const expected: ExpectedLines = { read: count, stored: 0, skipped: 0, rejected: 0 };
  let remembered: { line: string; stored: boolean } | undefined;
  const start = Date.UTC(2024, 2, 1, 8);

  function* lines(): Generator<string> {
    let batch = '';
    for (let i = 0; i < count; i++) {
      let line: string;
      let outcome: 'stored' | 'skipped' | 'rejected' = 'stored';
      if (i % 50_000 === 49_999) {
        line = 'Traceback (most recent call last): garbage in the log';
        outcome = 'rejected';
      } else if (i % 20_000 === 19_999) {
        line = '';
        outcome = 'skipped';
      } else if (i % 10_000 === 9_876 && remembered) {
        line = remembered.line;
        outcome = 'skipped'; // stored before: a duplicate; skipped before: skipped again
      } else {
        const event = randomEvent(random, start + i * 137, i);
        line = event.line;
        outcome = event.stored ? 'stored' : 'skipped';
        if (i % 10_000 === 1_234) remembered = { line, stored: event.stored };
      }
      expected[outcome]++;
      batch += `${line}\n`;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = '';
      }
    }
    yield batch;
  }

  await pipeline(Readable.from(lines()), createWriteStream(filePath));
  return expected;
}

function randomEvent(
  random: ReturnType<typeof randomSource>,
  timeMs: number,
  i: number,
): { line: string; stored: boolean } {
  const course = random.pick(COURSES);
  const learner = Math.floor(random.next() * 5_000);
  const roll = random.next();
  const anonymous = roll < 0.03;
  const courseless = roll >= 0.03 && roll < 0.05;
  const context = {
    course_id: courseless ? '' : course,
    user_id: anonymous ? null : 100_000 + learner,
    org_id: course.split(/[:+]/)[1],
    path: '/event',
  };
  const common = {
    username: anonymous ? '' : `learner${learner}`,
    session: `s${learner.toString(16)}`,
    ip: `10.0.${learner % 256}.${i % 256}`,
    agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36',
    host: 'lms.example.org',
    time: new Date(timeMs).toISOString().replace('Z', '+00:00'),
  };
  const block = `block-v1:${course.slice(10)}+type@video+block@${(learner % 40).toString(16)}`;
  const kind = random.next();
  let event: Record<string, unknown>;
  let prefix = '';
  if (kind < 0.4) {
    event = {
      ...common,
      event_type: random.pick(['play_video', 'pause_video', 'seek_video']),
      event_source: 'browser',
      page: `https://lms.example.org/courses/${course}/courseware/ch${learner % 9}/seq${i % 5}/`,
      event: JSON.stringify({ id: block, currentTime: Math.round(random.next() * 6e5) / 100 }),
      context,
    };
  } else if (kind < 0.65) {
    event = {
      ...common,
      event_type: `/courses/${course}/courseware/ch${learner % 9}/seq${i % 5}/`,
      event_source: 'server',
      event: { GET: {}, POST: {} },
      context: { ...context, path: `/courses/${course}/courseware/ch${learner % 9}/` },
    };
  } else if (kind < 0.75) {
    event = {
      ...common,
      event_type: 'problem_check',
      event_source: 'server',
      event: {
        problem_id: block.replace('video', 'problem'),
        grade: Math.floor(random.next() * 3),
        max_grade: 2,
        attempts: 1 + Math.floor(random.next() * 3),
        answers: { [`${block}_2_1`]: random.pick(['choice_0', 'choice_1', 'choice_2']) },
      },
      context,
    };
  } else if (kind < 0.85) {
    event = {
      name: random.pick(['edx.ui.lms.sequence.next_selected', 'edx.ui.lms.outline.selected']),
      timestamp: common.time,
      data: { current_tab: i % 7, tab_count: 7, id: block },
      context: { ...context, username: common.username, session: common.session },
    };
  } else {
    prefix = `2024-03-01 08:00:00,${String(i % 1000).padStart(3, '0')} ${TUTOR_PREFIX}`;
    event = {
      ...common,
      event_type: 'edx.course.enrollment.activated',
      event_source: 'server',
      event: { course_id: context.course_id, user_id: context.user_id, mode: 'audit' },
      context,
    };
  }
  return { line: `${prefix}${JSON.stringify(event)}`, stored: !anonymous && !courseless };
}

async function gzipCopy(source: string, target: string): Promise<void> {
  await pipeline(createReadStream(source), createGzip({ level: 1 }), createWriteStream(target));
}

// ---------------------------------------------------------------------------------------------
// The CLI as a child process

const running = new Set<ChildProcess>();
let runCount = 0;

interface LoaderRun {
  child: ChildProcess;
  /** The application_name its database sessions carry. */
  applicationName: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function startLoad(databaseUrl: string, file: string, workFolder: string): LoaderRun {
  const applicationName = `crash-safety-${++runCount}`;
  const child = spawn(process.execPath, [CLI, 'load', file, '--json'], {
    cwd: workFolder,
    env: { ...process.env, DATABASE_URL: databaseUrl, PGAPPNAME: applicationName },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    if (code !== 0 && signal === null) console.error(stderr);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stdout };
  });
  return { child, applicationName, exited };
}

/** Kills the child and everything it started (its process group). */
function killGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function runToEnd(databaseUrl: string, file: string, workFolder: string) {
  const run = startLoad(databaseUrl, file, workFolder);
  const timer = setTimeout(() => killGroup(run.child), LOAD_DEADLINE_MS);
  const result = await run.exited;
  clearTimeout(timer);
  expect(result.signal, `the load did not finish within ${LOAD_DEADLINE_MS} ms`).toBeNull();
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

// ---------------------------------------------------------------------------------------------
// Watching the child's database session

/** Polls `condition` every few milliseconds until it holds; fails if the child exits first. */
async function waitFor(run: LoaderRun, what: string, condition: () => Promise<boolean>) {
  const deadline = performance.now() + KILL_POINT_DEADLINE_MS;
  let exited = false;
  void run.exited.then(() => (exited = true));
  while (!(await condition())) {
    if (exited) throw new Error(`the load ended before the kill point: ${what}`);
    if (performance.now() > deadline) {
      throw new Error(`no kill point after ${KILL_POINT_DEADLINE_MS} ms: ${what}`);
    }
    await sleep(5);
  }
}

/** What the child's session runs inside the load's transaction; undefined when outside it. */
async function loadTransactionStatement(
  sql: Sql,
  applicationName: string,
): Promise<{ query: string; started: string } | undefined> {
  // In a transaction block: idle in one, or running a statement of a transaction that began before
  // it. The CLI first migrates in a short transaction of its own, which these statements show.
  const rows = await sql<{ query: string; started: string }[]>`
    SELECT query, query_start::text AS started FROM pg_stat_activity
    WHERE application_name = ${applicationName}
      AND (state = 'idle in transaction' OR (state = 'active' AND xact_start < query_start))
      AND query !~* '(schema_migrations|pg_advisory_xact_lock|pg_type|^\\s*commit)'`;
  return rows[0];
}

function loadTransactionOpen(sql: Sql, run: LoaderRun) {
  return async () => (await loadTransactionStatement(sql, run.applicationName)) !== undefined;
}

/** Holds once the load's transaction has started `n` COPY commands (one per batch written). */
function copiesStarted(sql: Sql, run: LoaderRun, n: number) {
  const seen = new Set<string>();
  return async () => {
    const statement = await loadTransactionStatement(sql, run.applicationName);
    if (statement && /^\s*COPY/i.test(statement.query)) seen.add(statement.started);
    return seen.size >= n;
  };
}

async function sessionsOf(sql: Sql, applicationName: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${applicationName}`;
  return row!.n;
}

/** Waits until the killed child's sessions are gone, so that its transaction has rolled back. */
async function waitForSessionsToEnd(sql: Sql, applicationName: string): Promise<void> {
  const deadline = performance.now() + 20_000;
  while ((await sessionsOf(sql, applicationName)) > 0) {
    if (performance.now() > deadline) throw new Error(`${applicationName} left a session behind`);
    await sleep(20);
  }
}

async function tableCounts(sql: Sql) {
  const [row] = await sql`
    SELECT (SELECT count(*)::int FROM events) AS events,
           (SELECT count(*)::int FROM log_files) AS log_files,
           (SELECT count(*)::int FROM rejected_lines) AS rejected_lines,
           (SELECT count(*)::int FROM log_file_locations) AS log_file_locations`;
  return row;
}

/** Every stored event but its file id, in the order of time and line, as one digest. */
async function eventsFingerprint(sql: Sql) {
  const [row] = await sql<{ n: number; digest: string }[]>`
    SELECT count(*)::int AS n,
           md5(string_agg(md5((to_jsonb(e) - 'file_id')::text), '' ORDER BY time, line_no)) AS digest
    FROM events e`;
  return row!;
}

async function logFileRows(sql: Sql) {
  return sql`
    SELECT encode(sha256, 'hex') AS sha256, course_filter, compressed, bytes::text AS bytes,
           lines_read::int AS read, lines_stored::int AS stored, lines_skipped::int AS skipped,
           lines_rejected::int AS rejected, skipped_by_reason
    FROM log_files ORDER BY id`;
}

async function rejectedLineRows(sql: Sql) {
  return sql`
    SELECT line_no, reason, line_bytes, encode(excerpt, 'hex') AS excerpt
    FROM rejected_lines ORDER BY line_no`;
}

// ---------------------------------------------------------------------------------------------

describe('a load killed mid-file', () => {
  let folder: string;
  let plainFile: string;
  let gzipFile: string;
  let expected: ExpectedLines;
  let killed: TestDatabase;
  let reference: TestDatabase;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'crash-safety-'));
    plainFile = path.join(folder, 'tracking.log-20240301');
    gzipFile = path.join(folder, 'tracking.log-20240301-1709280000.gz');
    expected = await writeTrackingLog(plainFile, LINE_COUNT);
    await gzipCopy(plainFile, gzipFile);
    [killed, reference] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    for (const child of running) killGroup(child);
    await Promise.all([killed?.drop(), reference?.drop()]);
    await rm(folder, { recursive: true, force: true });
  });

  it('leaves no trace, and a clean load afterwards stores what a clean load stores', async () => {
    // The reference: one clean load into a fresh database.
    const clean = await runToEnd(reference.url, plainFile, folder);
    expect(clean).toMatchObject({
      files: { loaded: 1, already_loaded: 0, failed: 0 },
      lines: { stored: expected.stored, skipped: expected.skipped, rejected: expected.rejected },
      failures: [],
    });
    const referenceEvents = await eventsFingerprint(reference.sql);
    expect(referenceEvents.n).toBe(expected.stored);

    const killPoints: { file: string; name: string; when: (run: LoaderRun) => Promise<void> }[] = [
      {
        file: plainFile,
        name: '300 ms after the start',
        when: () => sleep(300),
      },
      {
        file: gzipFile,
        name: 'as soon as the load transaction is open',
        when: (run) => waitFor(run, 'transaction open', loadTransactionOpen(killed.sql, run)),
      },
      {
        file: plainFile,
        name: 'during the first COPY',
        when: (run) => waitFor(run, 'first COPY', copiesStarted(killed.sql, run, 1)),
      },
      {
        file: gzipFile,
        name: 'during the third COPY',
        when: (run) => waitFor(run, 'third COPY', copiesStarted(killed.sql, run, 3)),
      },
      {
        file: plainFile,
        name: 'during the sixth COPY',
        when: (run) => waitFor(run, 'sixth COPY', copiesStarted(killed.sql, run, 6)),
      },
    ];
    // Every point but the first is seen inside the load's transaction just before the kill.
    for (const point of killPoints) {
      const run = startLoad(killed.url, point.file, folder);
      try {
        await point.when(run);
      } finally {
        killGroup(run.child);
      }
      expect((await run.exited).signal, point.name).toBe('SIGKILL');
      await waitForSessionsToEnd(killed.sql, run.applicationName);
      expect(await tableCounts(killed.sql), `after a kill ${point.name}`).toEqual({
        events: 0,
        log_files: 0,
        rejected_lines: 0,
        log_file_locations: 0,
      });
    }

    const afterKills = await runToEnd(killed.url, plainFile, folder);
    expect(afterKills.lines).toEqual(clean.lines);
    expect(afterKills.files).toEqual({ loaded: 1, already_loaded: 0, failed: 0 });
    const [killedEvents, killedFiles, referenceFiles, killedRejected, referenceRejected] =
      await Promise.all([
        eventsFingerprint(killed.sql),
        logFileRows(killed.sql),
        logFileRows(reference.sql),
        rejectedLineRows(killed.sql),
        rejectedLineRows(reference.sql),
      ]);
    expect(killedEvents).toEqual(referenceEvents);
    expect(killedFiles).toHaveLength(1);
    expect(killedFiles).toEqual(referenceFiles);
    expect(killedRejected).toHaveLength(expected.rejected);
    expect(killedRejected).toEqual(referenceRejected);
  }, 120_000);
});
