import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { REDIS_URL, redisRequiredOrReachable } from '../../test-support/redis.ts';
import { startFakeLms, type FakeLms } from '../../test-support/fake-lms.ts';
import { runCli } from './in-process-cli.ts';
import { generateCourse, type GenerateSummary } from '../src/generate/index.ts';
import { announceDataVersions, dataVersionKey, PROCESSED_CHANNEL } from '../src/kpis/index.ts';
import { parseInterval, repeat, runRound } from '../src/pipeline.ts';
import { readSettings } from '../src/settings.ts';
import { LmsClient } from '../src/structure/index.ts';

const COURSE = 'course-v1:Pipe+P1+2025';
const withRedis = await redisRequiredOrReachable('the pipeline tests');

describe.runIf(withRedis)('process, run and the data versions the API learns of', () => {
  let folder: string;
  let course: GenerateSummary;
  let db: TestDatabase;
  let redis: Redis;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'pipeline-'));
    course = await generateCourse(path.join(folder, 'course'), {
      learners: 12,
      days: 3,
      seed: 2,
      courseId: COURSE,
    });
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    redis.disconnect();
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    db = await createTestDatabase();
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('REDIS_URL', REDIS_URL);
    vi.stubEnv('STATS_LOG_SOURCES', path.join(folder, 'course'));
    vi.stubEnv('LMS_BASE_URL', '');
    vi.stubEnv('LMS_OAUTH_CLIENT_ID', '');
    vi.stubEnv('LMS_OAUTH_CLIENT_SECRET', '');
    await redis.del(dataVersionKey(COURSE));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await db.drop();
  });

  it('process computes a course in full the first time, then only what is new', async () => {
    expect((await runCli(['load', path.join(folder, 'course'), '--json'])).code).toBe(0);
    expect((await runCli(['structure', 'import', course.blocksFile, '--json'])).code).toBe(0);

    const first = await runCli(['process', '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.courses).toEqual([
      expect.objectContaining({
        course_id: COURSE,
        full: true,
        reason: 'first run',
        data_version: 1,
      }),
    ]);
    expect(summary.courses[0].learners).toBeGreaterThan(10);
    expect(summary.warnings).toEqual([]);
    expect(await redis.get(dataVersionKey(COURSE))).toBe('1');

    const second = JSON.parse((await runCli(['process', '--json'])).stdout);
    expect(second.courses).toEqual([]);

    const forced = JSON.parse(
      (await runCli(['process', '--full', '--course', COURSE, '--json'])).stdout,
    );
    expect(forced.courses).toEqual([
      expect.objectContaining({
        course_id: COURSE,
        full: true,
        reason: 'requested',
        data_version: 2,
      }),
    ]);
    expect(await redis.get(dataVersionKey(COURSE))).toBe('2');

    const courses = JSON.parse((await runCli(['courses', '--json'])).stdout);
    expect(courses).toEqual([expect.objectContaining({ course_id: COURSE })]);
    expect(courses[0].last_processed).not.toBeNull();
  });

  it('a structure that changed makes the next process recompute the course in full', async () => {
    await runCli(['load', path.join(folder, 'course')]);
    await runCli(['structure', 'import', course.blocksFile]);
    await runCli(['process']);
    const answer = JSON.parse(await readFile(course.blocksFile, 'utf8'));
    const blocks = Object.values(
      answer.blocks as Record<string, { type: string; display_name: string }>,
    );
    blocks.find((b) => b.type === 'vertical')!.display_name = 'Renamed unit';
    const { storeStructure } = await import('../src/structure/index.ts');
    await storeStructure(db.sql, answer, 'test');
    const again = JSON.parse((await runCli(['process', '--json'])).stdout);
    expect(again.courses).toEqual([
      expect.objectContaining({ course_id: COURSE, full: true, reason: 'structure changed' }),
    ]);
  });

  it('a Redis that cannot be reached is a warning; the numbers are still computed', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    await runCli(['load', path.join(folder, 'course')]);
    const result = await runCli(['process', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.courses).toHaveLength(1);
    expect(summary.warnings).toEqual([
      expect.stringMatching(/^could not announce new data to Redis: /),
    ]);
  });

  it('publishes each processed course on the channel the API listens to', async () => {
    const subscriber = new Redis(REDIS_URL);
    const messages: string[] = [];
    try {
      await subscriber.subscribe(PROCESSED_CHANNEL);
      subscriber.on('message', (_channel, message) => messages.push(message));
      expect(
        await announceDataVersions(REDIS_URL, [{ course_id: COURSE, data_version: 7 }]),
      ).toBeUndefined();
      await vi.waitFor(() => expect(messages).toHaveLength(1));
      expect(JSON.parse(messages[0]!)).toEqual({ course_id: COURSE, data_version: 7 });
      expect(await redis.get(dataVersionKey(COURSE))).toBe('7');
    } finally {
      subscriber.disconnect();
    }
  });

  it('run loads, syncs missing structures, processes; a failing step is retried next round', async () => {
    const lms: FakeLms = await startFakeLms();
    try {
      const answer = JSON.parse(await readFile(course.blocksFile, 'utf8'));
      lms.courses.set(COURSE, { answer, name: 'Pipeline course' });
      vi.stubEnv('LMS_BASE_URL', lms.url);
      vi.stubEnv('LMS_OAUTH_CLIENT_ID', lms.clientId);
      vi.stubEnv('LMS_OAUTH_CLIENT_SECRET', lms.clientSecret);
      const settings = readSettings();
      const client = new LmsClient({ ...settings.lms, retries: 1, retryBaseMs: 5 } as never);

      lms.fault('blocks', { status: 503 }, { times: 2 });
      const failed = await runRound(db.sql, settings, { lms: client });
      expect(failed.load).toEqual(expect.objectContaining({ files: 3, failed: 0 }));
      expect(failed.structures).toEqual({ synced: 0, failed: 1 });
      expect(failed.failures).toEqual([
        { step: 'structure', error: expect.stringContaining(COURSE) },
      ]);
      // The events are processed without a structure: only page kinds and unplaced time.
      expect(failed.process?.courses).toEqual([COURSE]);

      const recovered = await runRound(db.sql, settings, {
        lms: new LmsClient(settings.lms as never),
      });
      expect(recovered.failures).toEqual([]);
      expect(recovered.load).toEqual({ files: 0, failed: 0, stored: 0 });
      expect(recovered.structures).toEqual({ synced: 1, failed: 0 });
      expect(recovered.process?.courses).toEqual([COURSE]);
      const [units] = await db.sql<{ n: number }[]>`
        SELECT count(DISTINCT unit_key)::int AS n FROM unit_day`;
      expect(units!.n).toBeGreaterThan(5);

      const idle = await runRound(db.sql, settings, { lms: new LmsClient(settings.lms as never) });
      expect(idle).toEqual(
        expect.objectContaining({
          failures: [],
          structures: { synced: 0, failed: 0 },
          process: expect.objectContaining({ courses: [] }),
        }),
      );
    } finally {
      await lms.close();
    }
  });

  it('run once through the command line: exit 0 and a one-line summary', async () => {
    await runCli(['structure', 'import', course.blocksFile]);
    const result = await runCli(['run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^\S+: 3 files loaded \(\d+ events\); no LMS settings; 1 courses processed \([\d.]+ s\)\n$/,
    );
  });

  it('run --every rejects an interval it cannot read', async () => {
    const result = await runCli(['run', '--every', '15 minutes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--every must be a duration like 30s, 15m or 1h/);
  });
});

describe('repeating rounds', () => {
  it('reads intervals', () => {
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1.5m')).toBe(90_000);
    expect(parseInterval('0s')).toBeUndefined();
    expect(parseInterval('15')).toBeUndefined();
    expect(parseInterval('m')).toBeUndefined();
  });

  it('runs a round every interval until stopped, finishing the round in progress', async () => {
    const stop = new AbortController();
    const rounds: number[] = [];
    await repeat(
      20,
      async () => {
        rounds.push(Date.now());
        if (rounds.length === 3) stop.abort();
      },
      stop.signal,
    );
    expect(rounds).toHaveLength(3);
    expect(rounds[2]! - rounds[0]!).toBeGreaterThanOrEqual(35);
  });
});
