import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { S3RVER_CREDENTIALS, startS3Server, type S3Server } from '../../test-support/s3-server.ts';
import { SourceError } from '../src/ingest/folder-source.ts';
import { loadSources, type LoadOptions } from '../src/ingest/load.ts';

// Real S3 protocol (s3rver in a child process) and a real database: listing pages, ETags,
// --since and failures as the loader meets them in production.

const COURSES = ['course-v1:OrgX+Big+2023', 'course-v1:OrgX+Small+2023'];
const UPLOAD_CONCURRENCY = 16;
// Tracking logs in the multi-page prefix: other objects fill the pages, as every tracking log
// costs a whole load (a transaction and a COPY).
const TRACKING_LOGS = 240;

let s3: S3Server | undefined;
let proxy: RequestLog | undefined;
let client: S3Client;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  restoreEnv = setEnv({
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
  });
  s3 = await startS3Server();
  proxy = await requestLog(s3.endpoint);
  client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
});

afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await s3?.stop();
  restoreEnv?.();
});

/** The loader talks to S3 through the request log, so a test can see what it asked for. */
function load(db: TestDatabase, sources: string[], options: Omit<LoadOptions, 's3'> = {}) {
  return loadSources(db.sql, sources, { ...options, s3: { endpoint: proxy!.endpoint } });
}

describe('a prefix holding more objects than one listing page', () => {
  const bucket = 'big-logs';
  const prefix = 'logs/edx/';
  const logs = trackingLogs(bucket, prefix);
  // Other logs of the same servers, sorted before and after the tracking logs of each folder, so
  // many that the first listing page ends among the tracking logs of lms-3; and a few oddities.
  // None may be read.
  const ignored = [
    ...[1, 2, 3].flatMap((server) => [
      ...Array.from({ length: 250 }, (_, n) => `${prefix}lms-${server}/app.log-${n}.gz`),
      ...Array.from({ length: 20 }, (_, n) => `${prefix}lms-${server}/worker.log-${n}.gz`),
    ]),
    `${prefix}README.md`,
    `${prefix}lms-1/error.log-20230105.gz`,
    `${prefix}tracking.log.d/notes.txt`,
  ];
  const outside = [
    'logs/tracking.log-20230101-1672531200.gz',
    'logs/edx-old/tracking.log-20230102-1672617600.gz',
    'archive/logs/edx/tracking.log-20230103-1672704000.gz',
  ];
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await createBucket(bucket);
    await putAll(bucket, [
      ...logs.map((log) => ({ key: log.key, body: log.body })),
      ...[...ignored, ...outside].map((key, i) => ({
        key,
        body: gzipSync(eventLines(`ignored-${i}`, COURSES[0]!, '2023-01-01', 2).join('')),
      })),
    ]);
  }, 60_000);
  afterAll(() => db?.drop());

  it('loads every tracking log once, oldest first, with exact line counts', async () => {
    // S3 lists keys in byte order, 1,000 a page: tracking logs are on both pages.
    const listed = [...logs.map((log) => log.key), ...ignored].sort();
    const onPage = (page: number) =>
      listed
        .slice(page * 1000, page * 1000 + 1000)
        .filter((key) => key.split('/').at(-1)!.startsWith('tracking.log'));
    expect(onPage(0).length).toBeGreaterThan(0);
    expect(onPage(1).length).toBeGreaterThan(0);
    const mark = proxy!.requests.length;

    const summary = await load(db, [`s3://${bucket}/${prefix}`]);

    expect(summary.outcomes.filter((o) => o.status !== 'loaded')).toEqual([]);
    expect(summary.files).toEqual({ loaded: logs.length, already_loaded: 0, failed: 0 });
    expect(summary.lines).toEqual({
      stored: sum(logs, (l) => l.stored),
      skipped: sum(logs, (l) => l.skipped),
      rejected: sum(logs, (l) => l.rejected),
    });
    expect(summary.courses).toEqual(COURSES);

    const files = await db.sql<FileRow[]>`
      SELECT source, compressed, lines_read::int, lines_stored::int, lines_skipped::int,
             lines_rejected::int
      FROM log_files ORDER BY id`;
    expect(files).toEqual(
      logs.map((log) => ({
        source: log.location,
        compressed: log.gzip,
        lines_read: log.stored + log.skipped + log.rejected,
        lines_stored: log.stored,
        lines_skipped: log.skipped,
        lines_rejected: log.rejected,
      })),
    );
    const [events] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events`;
    expect(events!.n).toBe(sum(logs, (l) => l.stored));
    const [rejected] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM rejected_lines`;
    expect(rejected!.n).toBe(sum(logs, (l) => l.rejected));

    const requests = proxy!.requests.slice(mark);
    // 1,000 keys a page: the listing took two pages; each tracking log was fetched once, and
    // nothing else was.
    expect(requests.filter((r) => r.list).map((r) => r.bucket)).toEqual([bucket, bucket]);
    expect(
      requests
        .filter((r) => !r.list)
        .map((r) => `${r.method} ${r.key}`)
        .sort(),
    ).toEqual(logs.map((log) => `GET ${log.key}`).sort());
  });

  it('loads nothing the second time, without downloading the files again', async () => {
    const mark = proxy!.requests.length;

    const summary = await load(db, [`s3://${bucket}/${prefix}`]);

    expect(summary.files).toEqual({ loaded: 0, already_loaded: logs.length, failed: 0 });
    expect(summary.lines).toEqual({ stored: 0, skipped: 0, rejected: 0 });
    expect(summary.courses).toEqual([]);
    expect(summary.outcomes.map((o) => o.location)).toEqual(logs.map((log) => log.location));
    const [files] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM log_files`;
    expect(files!.n).toBe(logs.length);
    const requests = proxy!.requests.slice(mark);
    expect(requests.filter((r) => !r.list)).toEqual([]);
    expect(requests.filter((r) => r.list)).toHaveLength(2);
  });
});

describe('--since', () => {
  const bucket = 'since-logs';
  let db: TestDatabase;
  const names = {
    before: 'tracking.log-20231231-1704009600.gz',
    beforeToo: 'tracking.log-20240101-1704096000', // plain, no .gz: still dated
    onDay: 'tracking.log-20240102-1704182400.gz',
    after: 'tracking.log-20240103-1704268800',
    numbered: 'tracking.log.1', // logrotate's numbered name: undated, always loaded
    live: 'tracking.log', // the live file: undated, loaded last
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await createBucket(bucket);
    await putAll(
      bucket,
      Object.entries(names).map(([label, name], i) => {
        const text = eventLines(`since-${label}`, COURSES[1]!, '2024-01-02', i + 1).join('');
        return { key: `tracking/${name}`, body: name.endsWith('.gz') ? gzipSync(text) : text };
      }),
    );
  });
  afterAll(() => db?.drop());

  it('skips the objects dated before it, without downloading them', async () => {
    const mark = proxy!.requests.length;

    const summary = await load(db, [`s3://${bucket}/tracking/`], { since: '2024-01-02' });

    const expected = [names.onDay, names.after, names.numbered, names.live];
    expect(summary.outcomes.map((o) => [o.location, o.status])).toEqual(
      expected.map((name) => [`s3://${bucket}/tracking/${name}`, 'loaded']),
    );
    expect(await sources(db)).toEqual(expected.map((name) => `s3://${bucket}/tracking/${name}`));
    const fetched = proxy!.requests.slice(mark).filter((r) => !r.list);
    expect(fetched.map((r) => r.key).sort()).toEqual(expected.map((n) => `tracking/${n}`).sort());

    // Skipped is not remembered as loaded: without --since, the older two load now.
    const later = await load(db, [`s3://${bucket}/tracking/`]);
    expect(later.files).toEqual({ loaded: 2, already_loaded: 4, failed: 0 });
    expect(later.outcomes.filter((o) => o.status === 'loaded').map((o) => o.location)).toEqual([
      `s3://${bucket}/tracking/${names.before}`,
      `s3://${bucket}/tracking/${names.beforeToo}`,
    ]);
  });
});

describe('the live tracking.log next to the rotated file that repeats it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('loads the live file last and counts its repeated lines as duplicates there', async () => {
    const bucket = 'live-logs';
    const rotated = eventLines('rotating', COURSES[0]!, '2024-03-01', 4);
    const live = [...rotated.slice(2), ...eventLines('live-new', COURSES[0]!, '2024-03-02', 3)];
    await createBucket(bucket);
    // The live file sorts first by key; the rotated copy of its older lines must load before it.
    await putAll(bucket, [
      { key: 'a/tracking.log', body: live.join('') },
      { key: 'b/tracking.log-20240302-1709337600.gz', body: gzipSync(rotated.join('')) },
    ]);

    const summary = await load(db, [`s3://${bucket}/`]);

    expect(summary.outcomes.map((o) => [o.location, o.status, o.lines, o.skippedByReason])).toEqual(
      [
        [
          `s3://${bucket}/b/tracking.log-20240302-1709337600.gz`,
          'loaded',
          { read: 4, stored: 4, skipped: 0, rejected: 0 },
          {},
        ],
        [
          `s3://${bucket}/a/tracking.log`,
          'loaded',
          { read: 5, stored: 3, skipped: 2, rejected: 0 },
          { duplicate: 2 },
        ],
      ],
    );
    const [events] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events`;
    expect(events!.n).toBe(7);
  }, 10_000);
});

describe('failures', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('rejects a bucket that does not exist, naming it', async () => {
    const loading = load(db, ['s3://no-such-bucket/logs/']);
    await expect(loading).rejects.toBeInstanceOf(SourceError);
    await expect(loading).rejects.toThrow(/no-such-bucket does not exist/);
    expect(await sources(db)).toEqual([]);
  });

  it('fails an object whose gzip is truncated, stores nothing of it, and loads the others', async () => {
    const bucket = 'truncated-logs';
    const course = 'course-v1:OrgX+Truncated+2024';
    // Long enough that the loader writes a batch of events (20,000 rows) before the gzip ends.
    const whole = gzipSync(eventLines('truncated', course, '2024-02-02', 32_000).join(''));
    const objects = [
      {
        key: 'tracking.log-20240201-1706745600.gz',
        body: gzipSync(eventLines('good-1', COURSES[0]!, '2024-02-01', 3).join('')),
      },
      {
        key: 'tracking.log-20240202-1706832000.gz',
        body: whole.subarray(0, Math.floor(whole.length * 0.75)),
      },
      {
        key: 'tracking.log-20240203-1706918400',
        body: eventLines('good-2', COURSES[1]!, '2024-02-03', 2).join(''),
      },
    ];
    await createBucket(bucket);
    await putAll(bucket, objects);
    let linesReadOfTruncated = 0;
    const progress = {
      start() {},
      update(file: { location: string }, _bytes: number, lines: number) {
        if (file.location.includes('20240202')) linesReadOfTruncated = lines;
      },
      fileDone() {},
      finish() {},
    };

    const summary = await load(db, [`s3://${bucket}`], { progress });

    expect(summary.outcomes.map((o) => [o.location, o.status])).toEqual([
      [`s3://${bucket}/${objects[0]!.key}`, 'loaded'],
      [`s3://${bucket}/${objects[1]!.key}`, 'failed'],
      [`s3://${bucket}/${objects[2]!.key}`, 'loaded'],
    ]);
    expect(summary.outcomes[1]!.error).toMatch(/unexpected end of file/i);
    expect(summary.files).toEqual({ loaded: 2, already_loaded: 0, failed: 1 });
    expect(summary.lines).toEqual({ stored: 5, skipped: 0, rejected: 0 });
    expect(linesReadOfTruncated).toBeGreaterThan(20_000);
    expect(await sources(db)).toEqual([
      `s3://${bucket}/${objects[0]!.key}`,
      `s3://${bucket}/${objects[2]!.key}`,
    ]);
    const [left] = await db.sql<{ events: number; rejected: number; locations: number }[]>`
      SELECT (SELECT count(*)::int FROM events WHERE course_id = ${course}) AS events,
             (SELECT count(*)::int FROM rejected_lines) AS rejected,
             (SELECT count(*)::int FROM log_file_locations WHERE location LIKE '%20240202%')
               AS locations`;
    expect(left).toEqual({ events: 0, rejected: 0, locations: 0 });
    const [events] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events`;
    expect(events!.n).toBe(5);

    // The failed object is not remembered: the next load tries it again, and only it.
    const mark = proxy!.requests.length;
    const again = await load(db, [`s3://${bucket}`]);
    expect(again.files).toEqual({ loaded: 0, already_loaded: 2, failed: 1 });
    const fetched = proxy!.requests.slice(mark).filter((r) => !r.list);
    expect(fetched.map((r) => r.key)).toEqual([objects[1]!.key]);
  });
});

// --- test data ------------------------------------------------------------------------------

interface FileRow {
  source: string;
  compressed: boolean;
  lines_read: number;
  lines_stored: number;
  lines_skipped: number;
  lines_rejected: number;
}

interface TrackingLog {
  key: string;
  location: string;
  body: Buffer | string;
  gzip: boolean;
  stored: number;
  skipped: number;
  rejected: number;
}

/**
 * Rotated logs spread over three servers' folders, so that the listing's key order is not the
 * date order, then the live `tracking.log`; returned in the order they must load. Every fifth
 * one is plain text, some gzipped ones lack the `.gz`, some have a comment, a blank or a bad line.
 */
function trackingLogs(bucket: string, prefix: string): TrackingLog[] {
  const logs: TrackingLog[] = [];
  const first = Date.UTC(2023, 0, 1);
  for (let i = 0; i < TRACKING_LOGS; i++) {
    const day = new Date(first + Math.floor(i / 3) * 86_400_000);
    const stamp = day.toISOString().slice(0, 10);
    const number = day.getTime() / 1000 + (i % 3) * 3600;
    const gzip = i % 5 !== 4;
    const name = `tracking.log-${stamp.replaceAll('-', '')}-${number}${gzip && i % 11 !== 0 ? '.gz' : ''}`;
    const key = `${prefix}lms-${((i * 7) % 3) + 1}/${name}`;
    const lines = eventLines(`big-${i}`, COURSES[i % 2]!, stamp, 1 + (i % 3));
    let skipped = 0;
    let rejected = 0;
    if (i % 10 === 0) {
      lines.splice(1, 0, '\n', `# rotated on ${stamp}\n`);
      skipped += 2;
    }
    if (i % 50 === 7) {
      lines.push('this is not an event\n');
      rejected++;
    }
    const text = lines.join('');
    logs.push({
      key,
      location: `s3://${bucket}/${key}`,
      body: gzip ? gzipSync(text) : text,
      gzip,
      stored: lines.length - skipped - rejected,
      skipped,
      rejected,
    });
  }
  const key = `${prefix}lms-1/tracking.log`;
  logs.push({
    key,
    location: `s3://${bucket}/${key}`,
    body: eventLines('live', COURSES[0]!, '2023-12-31', 2).join(''),
    gzip: false,
    stored: 2,
    skipped: 0,
    rejected: 0,
  });
  return logs;
}

/** `count` distinct tracking-log lines (with their line breaks) on one day. */
function eventLines(tag: string, course: string, day: string, count: number): string[] {
  return Array.from({ length: count }, (_, n) => {
    const second = String(n % 60).padStart(2, '0');
    const minute = String(Math.floor(n / 60) % 60).padStart(2, '0');
    const hour = String(Math.floor(n / 3600) % 24).padStart(2, '0');
    return `${JSON.stringify({
      username: `learner${n % 17}`,
      event_type: 'play_video',
      event_source: 'browser',
      time: `${day}T${hour}:${minute}:${second}.${String(n % 1000).padStart(3, '0')}000+00:00`,
      context: { course_id: course, user_id: 100 + (n % 17), org_id: 'OrgX' },
      event: JSON.stringify({ id: `${tag}-${n}`, currentTime: n % 300 }),
    })}\n`;
  });
}

// --- S3 helpers -----------------------------------------------------------------------------

async function createBucket(bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Uploads the objects, a few at a time. */
async function putAll(
  bucket: string,
  objects: { key: string; body: Buffer | string }[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const { key, body } = objects[next++]!;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }
  };
  await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));
}

async function sources(db: TestDatabase): Promise<string[]> {
  const rows = await db.sql<{ source: string }[]>`SELECT source FROM log_files ORDER BY id`;
  return rows.map((row) => row.source);
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

// --- a request log in front of the server ---------------------------------------------------

interface LoggedRequest {
  method: string;
  bucket: string;
  /** The object key, '' for a bucket request. */
  key: string;
  /** A ListObjectsV2 page. */
  list: boolean;
}

interface RequestLog {
  endpoint: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

/** An HTTP proxy that records every request it passes on to `target` (path-style S3). */
async function requestLog(target: string): Promise<RequestLog> {
  const requests: LoggedRequest[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', target);
    const [bucket = '', ...key] = url.pathname.slice(1).split('/');
    requests.push({
      method: request.method ?? '',
      bucket: decodeURIComponent(bucket),
      key: key.map(decodeURIComponent).join('/'),
      list: url.searchParams.get('list-type') === '2',
    });
    const upstream = http.request(
      url,
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => response.destroy(error));
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
