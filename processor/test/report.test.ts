// `stats-processor report` through main(), over facts written by hand.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { overview, units, videos } from '@course-stats/db';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { duration } from '../src/report.ts';
import { readSettings, SettingError } from '../src/settings.ts';
import { runCli } from './in-process-cli.ts';

const COURSE = 'course-v1:Org+Rep+2025';
const key = (type: string, id: string) => `block-v1:Org+Rep+2025+type@${type}+block@${id}`;

async function insertFacts(db: TestDatabase): Promise<void> {
  const { sql } = db;
  await sql`INSERT INTO course_structures ${sql([
    {
      course_id: COURSE,
      root_key: key('course', 'course'),
      name: 'Reporting 101',
      source: 'test',
      content_sha256: Buffer.from('x'),
    },
  ])}`;
  const block = (
    kind: string,
    type: string,
    id: string,
    order: number,
    extra: Record<string, unknown> = {},
  ) => ({
    course_id: COURSE,
    usage_key: key(type, id),
    block_id: id,
    block_type: type,
    kind,
    name: `Name ${id}`,
    chapter_key: key('chapter', 'ch1'),
    sequential_key: key('sequential', 'sq1'),
    unit_key: null,
    label: null,
    course_order: order,
    duration: null,
    ...extra,
  });
  const u1 = { unit_key: key('vertical', 'u1') };
  await sql`INSERT INTO course_blocks ${sql([
    block('course', 'course', 'course', 1, { chapter_key: null, sequential_key: null }),
    block('chapter', 'chapter', 'ch1', 2, { label: '1', sequential_key: null }),
    block('sequential', 'sequential', 'sq1', 3, { label: '1.1' }),
    block('unit', 'vertical', 'u1', 4, { label: '1.1.1', ...u1 }),
    block('component', 'video', 'v1', 5, { duration: 120, ...u1 }),
    block('component', 'problem', 'p1', 6, u1),
    block('component', 'discussion', 'd1', 7, u1),
    block('unit', 'vertical', 'u2', 8, { label: '1.1.2', unit_key: key('vertical', 'u2') }),
    block('component', 'html', 'h2', 9, { unit_key: key('vertical', 'u2') }),
  ])}`;
  await sql`INSERT INTO learners ${sql([{ learner: 7, user_id: 7, username: 'ada' }])}`;
  await sql`INSERT INTO learner_day ${sql([
    {
      course_id: COURSE,
      learner: 7,
      day: '2025-03-01',
      time_s: 3725,
      sessions: 2,
      visits: 3,
      first_time: '2025-03-01T10:00:00Z',
      last_time: '2025-03-01T11:02:05Z',
    },
  ])}`;
  await sql`INSERT INTO unit_day ${sql([
    {
      course_id: COURSE,
      unit_key: key('vertical', 'u1'),
      learner: 7,
      day: '2025-03-01',
      time_s: 3600,
      visits: 2,
    },
    {
      course_id: COURSE,
      unit_key: key('vertical', 'u2'),
      learner: 7,
      day: '2025-03-01',
      time_s: 125,
      visits: 1,
    },
  ])}`;
  await sql`INSERT INTO video_viewings ${sql([
    {
      course_id: COURSE,
      video_key: key('video', 'v1'),
      learner: 7,
      session_start: '2025-03-01T10:00:00Z',
      start_time: '2025-03-01T10:01:00Z',
      day: '2025-03-01',
      start_pos: 0,
      end_pos: 114,
    },
  ])}`;
  await sql`INSERT INTO completions ${sql(
    ['v1', 'p1'].map((id) => ({
      course_id: COURSE,
      learner: 7,
      block_key: key(id === 'v1' ? 'video' : 'problem', id),
      first_time: '2025-03-01T10:30:00Z',
      day: '2025-03-01',
    })),
  )}`;
}

describe('stats-processor report', () => {
  let db: TestDatabase;
  const saved = {
    url: process.env.DATABASE_URL,
    types: process.env.STATS_COMPLETION_EXCLUDED_TYPES,
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    await insertFacts(db);
    process.env.DATABASE_URL = db.url;
    delete process.env.STATS_COMPLETION_EXCLUDED_TYPES;
  });
  afterAll(async () => {
    restore('DATABASE_URL', saved.url);
    restore('STATS_COMPLETION_EXCLUDED_TYPES', saved.types);
    await db.drop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.STATS_COMPLETION_EXCLUDED_TYPES;
  });

  it('prints the API answers with --json, for a legacy course id too', async () => {
    const result = await runCli([
      'report',
      'Org/Rep/2025',
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-02',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(result.stdout);
    const range = { courseId: COURSE, from: '2025-03-01', to: '2025-03-02' };
    expect(json).toEqual({
      overview: await overview(db.sql, range),
      units: await units(db.sql, { ...range, completionExcludedTypes: ['discussion'] }),
      videos: await videos(db.sql, range),
    });
    expect(Object.keys(json)).toEqual(['overview', 'units', 'videos']);
    expect(json.overview).toMatchObject({
      active_learners: 1,
      time_s: 3725,
      sessions: 2,
      visits: 3,
      video_views: 1,
      video_watch_s: 114,
    });
    expect(json.overview.series).toHaveLength(2);
    expect(json.units.map((u: { label: string }) => u.label)).toEqual(['1.1.1', '1.1.2']);
    // v1 and p1 done, d1 does not count by default
    expect(json.units[0]).toMatchObject({ time_s: 3600, visits: 2, completed_learners: 1 });
    expect(json.videos).toEqual([
      {
        id: key('video', 'v1'),
        label: '1.1.1',
        name: 'Name v1',
        duration: 120,
        views: 1,
        viewers: 1,
        watch_s: 114,
        completed_viewers: 1,
        mean_coverage: 0.95,
      },
    ]);
  });

  it('reads STATS_COMPLETION_EXCLUDED_TYPES', async () => {
    process.env.STATS_COMPLETION_EXCLUDED_TYPES = 'problem, html';
    const result = await runCli([
      'report',
      COURSE,
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-01',
      '--json',
    ]);
    // u1 now needs d1, which ada did not complete
    expect(JSON.parse(result.stdout).units[0].completed_learners).toBe(0);
  });

  it('prints aligned tables without --json', async () => {
    const result = await runCli(['report', COURSE, '--from', '2025-03-01', '--to', '2025-03-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `${COURSE}, 2025-03-01 to 2025-03-01`,
        '',
        'active learners          1',
        'enrolled learners        1',
        'time               1:02:05',
        'sessions                 2',
        'visits                   3',
        'video views              1',
        'video watch time      1:54',
        '',
        'Units',
        'unit   name        time  visits  visitors  with time  mean time  sd time  completed  components',
        '1.1.1  Name u1  1:00:00       2         1          1    1:00:00     0:00          1           3',
        '1.1.2  Name u2     2:05       1         1          1       2:05     0:00          0           1',
        '',
        'Videos',
        'unit   video    duration  views  viewers  watch time  completed  coverage',
        '1.1.1  Name v1      2:00      1        1        1:54          1      95 %',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 for a course without facts or structure', async () => {
    const result = await runCli([
      'report',
      'course-v1:No+Such+Course',
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-01',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('no such course: course-v1:No+Such+Course\n');
  });

  it.each([
    [['report', COURSE, '--to', '2025-03-01'], '--from YYYY-MM-DD is required'],
    [['report', COURSE, '--from', '2025-03-01'], '--to YYYY-MM-DD is required'],
    [['report', COURSE, '--from', '2025-3-1', '--to', '2025-03-01'], '--from must be YYYY-MM-DD'],
    [['report', COURSE, '--from', '2025-03-01', '--to', '2025-02-30'], '--to must be YYYY-MM-DD'],
    [
      ['report', COURSE, '--from', '2025-03-02', '--to', '2025-03-01'],
      '--from must not be after --to',
    ],
    [['report', '--from', '2025-03-01', '--to', '2025-03-01'], 'report needs one course id'],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const result = await runCli(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `stats-processor report: ${message}\n` });
  });

  it('reads the excluded types setting: a list, blanks ignored, discussion by default', async () => {
    const types = (value?: string) =>
      readSettings(value === undefined ? {} : { STATS_COMPLETION_EXCLUDED_TYPES: value }).kpi
        .completionExcludedTypes;
    expect(types()).toEqual(['discussion']);
    expect(types('')).toEqual(['discussion']);
    expect(types(' discussion , html,')).toEqual(['discussion', 'html']);
    expect(() => types('html; drop')).toThrow(
      new SettingError(
        'STATS_COMPLETION_EXCLUDED_TYPES must be block types separated by commas, like discussion,html',
      ),
    );
    process.env.STATS_COMPLETION_EXCLUDED_TYPES = 'a b';
    const result = await runCli(['report', COURSE, '--from', '2025-03-01', '--to', '2025-03-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^stats-processor report: STATS_COMPLETION_EXCLUDED_TYPES must/);
  });

  it('formats durations', () => {
    expect([0, 59.6, 61, 3599, 3600, 36_061].map(duration)).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '59:59',
      '1:00:00',
      '10:01:01',
    ]);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
