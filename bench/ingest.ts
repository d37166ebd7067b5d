// Ingest benchmark (issue: Processor 1). On generated logs of at least a million events it measures
// the loader end to end into PostgreSQL, and, in the same run, a floor: the same files read,
// gunzipped and JSON.parsed line by line in Node doing nothing else. Prints events/s, the ratio
// to the floor (goal >= 0.5), the loader's peak RSS (goal <= 250 MB) and database bytes per event.
//
//   npm run bench:ingest [-- --learners 3000 --days 45]
//
// DATABASE_URL names the server (a scratch database is created and dropped on it); without it the
// embedded PostgreSQL is used.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connect, migrate } from '../db/src/index.ts';
import { repositoryRoot, startEmbeddedPostgres } from '../processor/src/embedded-postgres.ts';
import { generateCourse } from '../processor/src/generate/index.ts';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '3000' },
    days: { type: 'string', default: '45' },
    seed: { type: 'string', default: '7' },
  },
});
const learners = Number(values.learners);
const days = Number(values.days);
const seed = Number(values.seed);

const dataDir = path.join(
  repositoryRoot,
  '.data',
  'bench',
  `course-${learners}x${days}-seed${seed}`,
);
if (!existsSync(path.join(dataDir, 'course-blocks.json'))) {
  await rm(dataDir, { recursive: true, force: true });
  console.log(
    `generating ${learners} learners x ${days} days into ${path.relative(repositoryRoot, dataDir)} ...`,
  );
  await generateCourse(dataDir, { learners, days, seed });
}
const files = (await readdir(dataDir))
  .filter((name) => name.startsWith('tracking.log'))
  .sort()
  .map((name) => path.join(dataDir, name));

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
const databaseName = `stats_bench_${process.pid}`;
const admin = connect(serverUrl, { max: 1 });
await admin.unsafe(`CREATE DATABASE ${databaseName}`);
const url = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString();

try {
  const sql = connect(url);
  await migrate(sql);
  const floorRun = worker('floor', files);
  const encodeRun = worker('encode', files);
  const writeRun = await inScratchDatabase('write', (writeUrl) =>
    worker('write', [writeUrl, ...files]),
  );
  const loadRun = worker('load', [url, ...files]);
  const [{ events, size, heap, indexes }] = (await sql`
    SELECT count(*)::float8 AS events, pg_total_relation_size('events')::float8 AS size,
           pg_table_size('events')::float8 AS heap, pg_indexes_size('events')::float8 AS indexes
    FROM events`) as unknown as [{ events: number; size: number; heap: number; indexes: number }];
  await sql.end();

  const floorRate = floorRun.lines / floorRun.seconds;
  const loadRate = loadRun.lines / loadRun.seconds;
  const result = {
    files: files.length,
    lines: floorRun.lines,
    events_stored: events,
    floor: {
      seconds: round(floorRun.seconds),
      lines_per_s: Math.round(floorRate),
      peak_rss_mb: round(floorRun.maxRssMb),
    },
    load: {
      seconds: round(loadRun.seconds),
      lines_per_s: Math.round(loadRate),
      events_stored_per_s: Math.round(events / loadRun.seconds),
      peak_rss_mb: round(loadRun.maxRssMb),
      lines: loadRun.lines,
    },
    encode_without_database: {
      seconds: round(encodeRun.seconds),
      lines_per_s: Math.round(encodeRun.lines / encodeRun.seconds),
      ratio_to_floor: round(encodeRun.lines / encodeRun.seconds / floorRate),
    },
    database_writes_alone: {
      seconds: round(writeRun.seconds),
      lines_per_s: Math.round(writeRun.lines / writeRun.seconds),
      ratio_to_floor: round(writeRun.lines / writeRun.seconds / floorRate),
    },
    ratio_to_floor: round(loadRate / floorRate),
    database: {
      bytes_per_event: Math.round(size / events),
      heap_bytes_per_event: Math.round(heap / events),
      index_bytes_per_event: Math.round(indexes / events),
      ten_million_events_gb: round(((size / events) * 1e7) / 1e9),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `ingest: ${result.load.lines_per_s} lines/s = ${result.ratio_to_floor} x floor ` +
      `(${result.floor.lines_per_s} lines/s; goal >= 0.5); reading and encoding alone, no database: ` +
      `${result.encode_without_database.ratio_to_floor} x floor; the same rows written, encoded ` +
      `beforehand: ${result.database_writes_alone.ratio_to_floor} x floor; peak RSS ${result.load.peak_rss_mb} MB ` +
      `(goal <= 250); ${result.database.bytes_per_event} bytes/event in PostgreSQL`,
  );
  await mkdir(path.join(repositoryRoot, 'bench', 'results'), { recursive: true });
  await writeFile(
    path.join(repositoryRoot, 'bench', 'results', 'ingest.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
  await embedded?.stop();
}

/** Runs `work` against a migrated database of its own, dropped afterwards. */
async function inScratchDatabase<T>(suffix: string, work: (url: string) => T): Promise<T> {
  const name = `${databaseName}_${suffix}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  try {
    const scratchUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
    const scratch = connect(scratchUrl);
    await migrate(scratch);
    await scratch.end();
    return work(scratchUrl);
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** The Node options of the `stats-processor` executable's first line, so the loader runs as it does there. */
function cliNodeOptions(): string[] {
  const shebang = readFileSync(
    path.join(repositoryRoot, 'processor', 'bin', 'stats-processor.js'),
    'utf8',
  ).split('\n')[0]!;
  return shebang.split(' ').filter((word) => word.startsWith('--'));
}

function worker(mode: string, args: string[]) {
  const nodeOptions = mode === 'floor' ? [] : cliNodeOptions();
  const output = execFileSync(
    process.execPath,
    [
      ...nodeOptions,
      '--import',
      'tsx',
      path.join(repositoryRoot, 'bench', 'ingest-worker.ts'),
      mode,
      ...args,
    ],
    { cwd: repositoryRoot, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(output) as { lines: number; seconds: number; maxRssMb: number } & Record<
    string,
    unknown
  >;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
