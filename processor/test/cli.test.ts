import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/stats-processor.js');

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: os.tmpdir(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('stats-processor', () => {
  let db: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    folder = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
  });
  afterAll(() => db.drop());

  it('migrates, loads with a --json summary, and lists the courses', async () => {
    expect(run(['migrate'], { DATABASE_URL: db.url })).toMatchObject({ code: 0 });
    const event = {
      username: 'ada',
      event_type: 'page_close',
      time: '2024-11-05T10:00:00Z',
      context: { course_id: 'course-v1:A+B+C', user_id: 7 },
    };
    const file = path.join(folder, 'tracking.log-20241105.gz');
    await writeFile(file, `${JSON.stringify(event)}\nnot json\n\n`);
    const load = run(['load', folder, '--json'], { DATABASE_URL: db.url });
    expect(load.code).toBe(0);
    expect(JSON.parse(load.stdout)).toMatchObject({
      files: { loaded: 1, already_loaded: 0, failed: 0 },
      lines: { stored: 1, skipped: 1, rejected: 1 },
      courses: ['course-v1:A+B+C'],
      failures: [],
    });
    expect(load.stdout.trim().split('\n')).toHaveLength(1);
    const courses = run(['courses', '--json'], { DATABASE_URL: db.url });
    expect(JSON.parse(courses.stdout)).toEqual([
      {
        course_id: 'course-v1:A+B+C',
        events: 1,
        learners: 1,
        first_event: '2024-11-05T10:00:00.000Z',
        last_event: '2024-11-05T10:00:00.000Z',
        last_processed: null,
      },
    ]);
  });

  it('exits 1 when a file fails, naming it', async () => {
    const broken = path.join(folder, 'broken.gz');
    await writeFile(broken, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    const load = run(['load', broken, '--json'], { DATABASE_URL: db.url });
    expect(load.code).toBe(1);
    expect(JSON.parse(load.stdout).failures).toEqual([
      { file: broken, error: 'unexpected end of file' },
    ]);
  });

  it.each([
    [['frobnicate'], /unknown command frobnicate/],
    [['load'], /load needs at least one source/],
    [['load', 'x', '--since', '2024-02-30'], /--since must be YYYY-MM-DD/],
    [['load', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['process', '--from', '2025-09-31'], /--from must be YYYY-MM-DD/],
    [['process', '--from', '2025-09-05', '--to', '2025-09-04'], /--from must not be after --to/],
    [['process', '--full', '--to', '2025-09-04'], /--full recomputes every day; leave out/],
    [['generate', 'x', '--learners', 'many'], /--learners must be a positive integer/],
    [['generate', 'x', '--course', 'DemoX'], /courseId must look like course-v1:Org\+Course\+Run/],
  ])('exits 2 on bad usage: %j', (args, message) => {
    const result = run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('stops with one line naming a malformed setting', () => {
    const result = run(['courses'], { DATABASE_URL: 'mysql://db/x' });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'stats-processor courses: DATABASE_URL must start with postgres:// or postgresql://\n',
    );
  });

  it('exits 1 naming a source that does not exist', () => {
    const result = run(['load', '/no/such/folder'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('stats-processor load: log source /no/such/folder does not exist\n');
  });
});
