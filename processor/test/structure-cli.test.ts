import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { startFakeLms, type FakeLms } from '../../test-support/fake-lms.ts';
import { runCli } from './in-process-cli.ts';
import { generateCourse } from '../src/generate/index.ts';

const FIXTURE = path.resolve(
  import.meta.dirname,
  '../../../shared/fixtures/tracking-logs/analytics-pipeline/course_blocks.json',
);
const PR1 = 'course-v1:OpenCraft+PRDemo1+2016';
const PR2 = 'course-v1:OpenCraft+PRDemo2+2016';
const VD = 'course-v1:OpenCraft+VD101x+2016';
const DND = 'course-v1:OpenCraft+DnDv2101x+2016';

describe('stats-processor structure', () => {
  let db: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    folder = await mkdtemp(path.join(os.tmpdir(), 'structure-cli-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await db.drop();
  });
  beforeEach(() => {
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('LMS_BASE_URL', '');
    vi.stubEnv('LMS_OAUTH_CLIENT_ID', '');
    vi.stubEnv('LMS_OAUTH_CLIENT_SECRET', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('imports the four answers of the fixture, one per line, migrating first', async () => {
    const result = await runCli(['structure', 'import', FIXTURE, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ stored: 4, failed: 0 });
    expect(
      summary.courses.map((c: { course_id: string; blocks: number; units: number }) => [
        c.course_id,
        c.blocks,
        c.units,
      ]),
    ).toEqual([
      [DND, 5, 1],
      [PR1, 25, 7],
      [PR2, 24, 7],
      [VD, 5, 1],
    ]);
    const [labels] = await db.sql`
      SELECT string_agg(label, ' ' ORDER BY unit_order) AS units
      FROM course_blocks WHERE course_id = ${PR2} AND kind = 'unit'`;
    expect(labels!.units).toBe('1.1.1 1.1.2 1.2.1 2.1.1 2.2.1 2.3.1 3.1.1');

    const again = await runCli(['structure', 'import', FIXTURE]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `stored ${PR1} (Problem Response Demo Course 1): 25 blocks, 7 units, unchanged\n`,
    );
    expect(again.stdout).toMatch(/4 courses stored, 0 failed\n$/);
  });

  it("imports the generator's course-blocks.json", async () => {
    const course = path.join(folder, 'generated');
    const generated = await generateCourse(course, { learners: 2, days: 1 });
    const result = await runCli(['structure', 'import', generated.blocksFile, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).courses).toEqual([
      expect.objectContaining({
        course_id: generated.courseId,
        status: 'stored',
        units: generated.units,
        changed: true,
      }),
    ]);
    const [counts] = await db.sql`
      SELECT count(*) FILTER (WHERE block_type = 'video')::int AS videos,
             count(*) FILTER (WHERE kind = 'container')::int AS containers,
             count(*) FILTER (WHERE randomized AND kind = 'component')::int AS randomized,
             count(*) FILTER (WHERE kind = 'unit')::int AS units,
             count(*) FILTER (WHERE kind = 'component' AND unit_key IS NULL)::int AS homeless
      FROM course_blocks WHERE course_id = ${generated.courseId}`;
    expect(counts).toMatchObject({ videos: generated.videos, units: generated.units, homeless: 0 });
    expect(counts!.containers).toBeGreaterThan(0);
    expect(counts!.randomized).toBeGreaterThan(0);
  });

  it('stores the good answers of a file and reports the bad ones, exit 1', async () => {
    const lines = (await readFile(FIXTURE, 'utf8')).split('\n').filter(Boolean);
    const file = path.join(folder, 'mixed.json');
    await writeFile(file, `${lines[0]}\n{"not": "json"\n${JSON.stringify({ detail: 'x' })}\n`);
    const result = await runCli(['structure', 'import', file, '--json']);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ stored: 1, failed: 2 });
    expect(summary.courses.slice(1)).toEqual([
      {
        course_id: null,
        line: 2,
        status: 'failed',
        error: expect.stringMatching(/^line 2 is not JSON: /),
      },
      {
        course_id: null,
        line: 3,
        status: 'failed',
        error: 'line 3: course blocks answer has no "blocks" object',
      },
    ]);
  });

  it('exits 1 naming a missing file', async () => {
    const result = await runCli(['structure', 'import', '/no/such/file.json']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'stats-processor structure: structure file /no/such/file.json does not exist\n',
    });
  });

  it.each([
    [['structure'], /structure needs import <file> or sync \[ID\.\.\.\]/],
    [['structure', 'export'], /unknown structure command export; use import or sync/],
    [['structure', 'import'], /structure import needs one file/],
    [['structure', 'import', 'a', 'b'], /structure import needs one file/],
    [['structure', 'import', 'a', '--missing'], /--missing is an option of structure sync/],
    [['structure', 'sync', '--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  describe('sync', () => {
    let lms: FakeLms;
    beforeAll(async () => {
      const answers = (await readFile(FIXTURE, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const { course_id: courseId, ...answer } = JSON.parse(line) as { course_id: string };
          return [courseId, { answer }] as const;
        });
      lms = await startFakeLms({ courses: Object.fromEntries(answers) });
    });
    afterAll(() => lms.close());
    beforeEach(() => {
      vi.stubEnv('LMS_BASE_URL', lms.url);
      vi.stubEnv('LMS_OAUTH_CLIENT_ID', lms.clientId);
      vi.stubEnv('LMS_OAUTH_CLIENT_SECRET', lms.clientSecret);
    });

    it('stops with one line naming a missing LMS setting', async () => {
      vi.stubEnv('LMS_OAUTH_CLIENT_SECRET', '');
      expect(await runCli(['structure', 'sync', PR1])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'stats-processor structure: LMS_OAUTH_CLIENT_SECRET is not set; structure sync needs it\n',
      });
      vi.stubEnv('LMS_BASE_URL', 'ftp://lms');
      expect((await runCli(['structure', 'sync'])).stderr).toBe(
        'stats-processor structure: LMS_BASE_URL must start with http:// or https://\n',
      );
    });

    it('syncs the given courses, exit 1 when one fails', async () => {
      const result = await runCli(['structure', 'sync', VD, 'course-v1:No+Such+Run', '--json']);
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({
        synced: 1,
        failed: 1,
        courses: [
          { course_id: VD, status: 'synced', blocks: 5, units: 1, changed: expect.any(Boolean) },
          {
            course_id: 'course-v1:No+Such+Run',
            status: 'failed',
            error:
              'LMS refused the course structure of course-v1:No+Such+Run: 404 Not Found ' +
              '(Block not found: course-v1:No+Such+Run)',
          },
        ],
      });
      expect(summary.seconds).toEqual(expect.any(Number));
    });

    it('syncs every course of the logs, or only those missing, with text output', async () => {
      await runCli(['migrate']);
      await db.sql`TRUNCATE course_structures CASCADE`;
      await db.sql`
        INSERT INTO events (time, file_id, line_no, course_id, event_type, line_hash)
        VALUES (now(), 1, 1, 'OpenCraft/PRDemo1/2016', 'page_close', '\\x01'),
               (now(), 1, 2, ${PR2}, 'page_close', '\\x02')`;
      const first = await runCli(['structure', 'sync', '--missing']);
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(
        `synced ${PR1} (Problem Response Demo Course 1): 25 blocks, 7 units, changed\n` +
          `synced ${PR2} (Problem Response Demo Course 2): 24 blocks, 7 units, changed\n` +
          '2 courses synced, 0 failed\n',
      );
      const none = await runCli(['structure', 'sync', '--missing', '--json']);
      expect(JSON.parse(none.stdout)).toMatchObject({ courses: [], synced: 0, failed: 0 });
      expect((await runCli(['structure', 'sync', '--missing'])).stdout).toBe('no course to sync\n');
      const all = await runCli(['structure', 'sync', '--json']);
      expect(JSON.parse(all.stdout)).toMatchObject({ synced: 2, failed: 0 });
    });
  });
});
