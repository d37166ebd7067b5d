// KPI processing benchmark (issue: Processor 2). On generated courses it measures, in one run:
// - `process --full` and its ratio to one ordered scan of the same events drained to Node
//   (`COPY (SELECT ... ORDER BY course, user, time) TO STDOUT`); goal <= 4;
// - adding one new day after 30 days (an incremental `process`) against the full run of the
//   same 31 days; goal <= 10 %;
// - the full run on `--scale` times as many learners against the first; goal <= 4.5 x for 4 x.
//
//   npm run bench:process [-- --learners 3000 --days 31 --scale 4]
//
// DATABASE_URL names the server (scratch databases are created and dropped on it); without it
// the embedded PostgreSQL is used. Generated courses are kept under .data/bench/.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connect, migrate, type Sql } from '../db/src/index.ts';
import { repositoryRoot, startEmbeddedPostgres } from '../processor/src/embedded-postgres.ts';
import { generateCourse } from '../processor/src/generate/index.ts';
import { loadSources } from '../processor/src/ingest/load.ts';
import { DEFAULT_KPI_SETTINGS, processCourses } from '../processor/src/kpis/index.ts';
import { storeStructure } from '../processor/src/structure/index.ts';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '3000' },
    days: { type: 'string', default: '31' },
    seed: { type: 'string', default: '7' },
    scale: { type: 'string', default: '4' },
  },
});
const learners = Number(values.learners);
const days = Number(values.days);
const seed = Number(values.seed);
const scale = Number(values.scale);

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
const admin = connect(serverUrl, { max: 1 });

try {
  const base = await measureCourse(learners, { incremental: true });
  const scaled = scale > 1 ? await measureCourse(learners * scale) : undefined;
  const result = {
    base,
    ...(scaled
      ? {
          scaled,
          scaling: {
            events_ratio: round(scaled.events / base.events),
            full_seconds_ratio: round(scaled.full_seconds / base.full_seconds),
          },
        }
      : {}),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `process --full: ${base.full_seconds} s for ${base.events} events = ${base.full_to_scan} x ` +
      `the ordered scan (${base.scan_seconds} s; goal <= 4); one new day after ${days - 1}: ` +
      `${base.new_day_seconds} s = ${base.new_day_percent_of_full} % of the full run (goal <= 10)` +
      (scaled
        ? `; ${result.scaling!.events_ratio} x the events cost ` +
          `${result.scaling!.full_seconds_ratio} x the time (goal <= 4.5 for 4 x)`
        : ''),
  );
  await mkdir(path.join(repositoryRoot, 'bench', 'results'), { recursive: true });
  await writeFile(
    path.join(repositoryRoot, 'bench', 'results', 'process.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
} finally {
  await admin.end();
  await embedded?.stop();
}

interface CourseFigures {
  learners: number;
  events: number;
  /** The first `process` after loading (all files but the last day's, with `incremental`). */
  first_run_seconds: number;
  scan_seconds: number;
  full_seconds: number;
  full_to_scan: number;
  new_day_seconds?: number;
  new_day_percent_of_full?: number;
  fact_bytes_per_event: number;
}

/**
 * Loads a generated course into a scratch database and times its processing. With
 * `incremental`, the last day is loaded and processed after the others first.
 */
async function measureCourse(
  courseLearners: number,
  options: { incremental?: boolean } = {},
): Promise<CourseFigures> {
  const folder = await generated(courseLearners);
  const files = (await readdir(folder))
    .filter((name) => name.startsWith('tracking.log'))
    .sort()
    .map((name) => path.join(folder, name));
  const databaseName = `stats_bench_process_${process.pid}_${courseLearners}`;
  await admin.unsafe(`CREATE DATABASE ${databaseName}`);
  const url = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString();
  const sql = connect(url);
  try {
    await migrate(sql);
    const blocks = JSON.parse(await readFile(path.join(folder, 'course-blocks.json'), 'utf8'));
    await storeStructure(sql, blocks, 'bench');
    const lastDay = files.at(-1)!;
    console.error(`${courseLearners} learners: loading ${files.length} files ...`);
    await loadSources(sql, options.incremental ? files.slice(0, -1) : files);
    // The first run registers the files (their courses, names and the values their events are
    // looked up by) and computes everything; the full run below then redoes the computing alone.
    const firstRunSeconds = await timed(() => processCourses(sql, DEFAULT_KPI_SETTINGS));
    let newDaySeconds: number | undefined;
    if (options.incremental) {
      await loadSources(sql, [lastDay]);
      await vacuum(sql);
      newDaySeconds = await timed(() => processCourses(sql, DEFAULT_KPI_SETTINGS));
    }
    await vacuum(sql);
    const [{ events }] = (await sql`SELECT count(*)::float8 AS events FROM events`) as unknown as [
      { events: number },
    ];
    console.error(`${courseLearners} learners: ${events} events; scanning and processing ...`);
    const scanSeconds = await timed(() => orderedScan(url));
    const fullSeconds = await timed(() =>
      processCourses(sql, DEFAULT_KPI_SETTINGS, { full: true }),
    );
    const [{ bytes }] = (await sql`
      SELECT sum(pg_total_relation_size(t))::float8 AS bytes
      FROM unnest(ARRAY['session_places', 'unit_day', 'page_day', 'learner_day', 'video_viewings',
        'completions']::regclass[]) t`) as unknown as [{ bytes: number }];
    return {
      learners: courseLearners,
      events,
      first_run_seconds: round(firstRunSeconds),
      scan_seconds: round(scanSeconds),
      full_seconds: round(fullSeconds),
      full_to_scan: round(fullSeconds / scanSeconds),
      ...(newDaySeconds !== undefined
        ? {
            new_day_seconds: round(newDaySeconds),
            new_day_percent_of_full: round((100 * newDaySeconds) / fullSeconds),
          }
        : {}),
      fact_bytes_per_event: Math.round(bytes / events),
    };
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  }
}

/**
 * The events the KPI layers read, in the order they read them, drained to this process. (On a
 * connection of its own: postgres.js 3.4.9 leaves a connection unusable after a COPY TO STDOUT.)
 */
async function orderedScan(url: string): Promise<number> {
  const sql = connect(url, { max: 1 });
  const stream = await sql`
    COPY (
      SELECT course_id, user_id, time, file_id, line_no, username, event_type, event_name,
             event_source, path, host, page, block, payload
      FROM events ORDER BY course_id, user_id, time
    ) TO STDOUT`.readable();
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  await sql.end({ timeout: 1 });
  return bytes;
}

async function vacuum(sql: Sql) {
  await sql`VACUUM ANALYZE`;
}

async function generated(courseLearners: number): Promise<string> {
  const folder = path.join(
    repositoryRoot,
    '.data',
    'bench',
    `course-${courseLearners}x${days}-seed${seed}`,
  );
  if (!existsSync(path.join(folder, 'course-blocks.json'))) {
    await rm(folder, { recursive: true, force: true });
    console.error(`generating ${courseLearners} learners x ${days} days ...`);
    await generateCourse(folder, { learners: courseLearners, days, seed });
  }
  return folder;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
