// The read models of db/src/queries over facts written by hand, with numbers worked out by hand
// from kpis.md (see the comments next to each expectation).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import {
  connect,
  courseStructure,
  courseSummaries,
  LEARNER_SORT_COLUMNS,
  learnerDetail,
  learners,
  matrix,
  overview,
  pages,
  units,
  videos,
  videoTimeline,
  visitsDaily,
  type Sql,
  type TransactionSql,
} from '../src/index.ts';

const C = 'course-v1:Org+Stats+2025';
const D = 'course-v1:Org+Other+2025';
const key = (type: string, id: string) => `block-v1:Org+Stats+2025+type@${type}+block@${id}`;
const U = (id: string) => key('vertical', id);
const V = (id: string) => key('video', id);
const RANGE = { courseId: C, from: '2025-03-01', to: '2025-03-10' };
const DISCUSSION = { completionExcludedTypes: ['discussion'] };

// Learners
const ADA = 101;
const BOB = 102;
const CY = 103; // username cy_1
const CYX = 104; // username cyx1
const STAFF = 105; // excluded from C, a learner of D
const DANA = 106; // enrolled, never active
const EVE = 107; // enrolled, deactivated, reactivated on 03-04
const FAY = 108; // enrolled only after the range
const GHOST = -1; // known by username only
const HAL = 110; // active long ago, completed every unit he can

interface BlockRow {
  course_id: string;
  usage_key: string;
  block_id: string;
  block_type: string;
  kind: string;
  name: string;
  parent_key: string | null;
  chapter_key: string | null;
  sequential_key: string | null;
  unit_key: string | null;
  position: number | null;
  label: string | null;
  course_order: number | null;
  unit_order: number | null;
  randomized: boolean;
  duration: number | null;
  graded: boolean | null;
  active: boolean;
}

/**
 * The structure of C (course order top to bottom):
 * 1 ch1 / 1.1 sq1 / 1.1.1 u1: v1 (video, 100 s), p1 (problem), d1 (discussion), p1old (inactive)
 *                  1.1.2 u2: h2 (html), lib2 (library_content) → r2a, r2b (randomized)
 *        1.2 sq2 / 1.2.1 u3: v2 (video, no duration in the structure: 60 s from events)
 *                  1.2.2 uX (inactive): vX (inactive video)
 * 2 ch2 / 2.1 sq3 / 2.1.1 u4: d4 (discussion only)
 *                  2.1.2 u5: lib5 → r5 (randomized, the unit's only component)
 */
function structure(): BlockRow[] {
  const rows: BlockRow[] = [];
  let order = 0;
  let unitOrder = 0;
  const add = (
    kind: string,
    type: string,
    id: string,
    parentId: string | null,
    extra: Partial<BlockRow> = {},
  ) => {
    const parent = rows.find((row) => row.block_id === parentId);
    const usageKey = type === 'vertical' ? U(id) : key(type, id);
    const active = extra.active ?? true;
    rows.push({
      course_id: C,
      usage_key: usageKey,
      block_id: id,
      block_type: type,
      kind,
      name: `Name ${id}`,
      parent_key: parent?.usage_key ?? null,
      chapter_key: kind === 'chapter' ? usageKey : (parent?.chapter_key ?? null),
      sequential_key: kind === 'sequential' ? usageKey : (parent?.sequential_key ?? null),
      unit_key: kind === 'unit' ? usageKey : (parent?.unit_key ?? null),
      position: null,
      label: null,
      course_order: active ? order++ : null,
      unit_order: active && kind === 'unit' ? ++unitOrder : null,
      randomized: false,
      duration: null,
      graded: null,
      active,
      ...extra,
    });
  };
  add('course', 'course', 'course', null);
  add('chapter', 'chapter', 'ch1', 'course', { label: '1' });
  add('sequential', 'sequential', 'sq1', 'ch1', { label: '1.1' });
  add('unit', 'vertical', 'u1', 'sq1', { label: '1.1.1' });
  add('component', 'video', 'v1', 'u1', { duration: 100 });
  add('component', 'problem', 'p1', 'u1');
  add('component', 'discussion', 'd1', 'u1');
  add('component', 'problem', 'p1old', 'u1', { active: false });
  add('unit', 'vertical', 'u2', 'sq1', { label: '1.1.2' });
  add('component', 'html', 'h2', 'u2');
  add('container', 'library_content', 'lib2', 'u2', { randomized: true });
  add('component', 'problem', 'r2a', 'lib2', { randomized: true });
  add('component', 'problem', 'r2b', 'lib2', { randomized: true });
  add('sequential', 'sequential', 'sq2', 'ch1', { label: '1.2' });
  add('unit', 'vertical', 'u3', 'sq2', { label: '1.2.1' });
  add('component', 'video', 'v2', 'u3');
  add('unit', 'vertical', 'uX', 'sq2', { label: '1.2.2', active: false });
  add('component', 'video', 'vX', 'uX', { active: false });
  add('chapter', 'chapter', 'ch2', 'course', { label: '2' });
  add('sequential', 'sequential', 'sq3', 'ch2', { label: '2.1' });
  add('unit', 'vertical', 'u4', 'sq3', { label: '2.1.1' });
  add('component', 'discussion', 'd4', 'u4');
  add('unit', 'vertical', 'u5', 'sq3', { label: '2.1.2' });
  add('container', 'library_content', 'lib5', 'u5', { randomized: true });
  add('component', 'problem', 'r5', 'lib5', { randomized: true });
  return rows;
}

const at = (day: string, time: string) => `${day}T${time}Z`;

function learnerDay(
  course: string,
  learner: number,
  day: string,
  time_s: number,
  sessions: number,
  visits: number,
  first: string,
  last: string,
) {
  return {
    course_id: course,
    learner,
    day,
    time_s,
    sessions,
    visits,
    first_time: at(day, first),
    last_time: at(day, last),
  };
}

async function insertFacts(sql: Sql): Promise<void> {
  await sql`INSERT INTO course_structures ${sql([
    {
      course_id: C,
      root_key: key('course', 'course'),
      name: 'Statistics',
      source: 'test',
      content_sha256: Buffer.from('x'),
    },
  ])}`;
  await sql`INSERT INTO course_blocks ${sql(structure())}`;
  await sql`INSERT INTO learners ${sql([
    { learner: ADA, user_id: ADA, username: 'ada' },
    { learner: BOB, user_id: BOB, username: 'bob' },
    { learner: CY, user_id: CY, username: 'cy_1' },
    { learner: CYX, user_id: CYX, username: 'cyx1' },
    { learner: STAFF, user_id: STAFF, username: 'staff' },
    { learner: DANA, user_id: DANA, username: 'dana' },
    { learner: EVE, user_id: EVE, username: 'eve' },
    { learner: FAY, user_id: FAY, username: 'fay' },
    { learner: GHOST, user_id: null, username: 'ghost' },
    { learner: HAL, user_id: HAL, username: 'hal' },
  ])}`;
  await sql`INSERT INTO learner_names ${sql([
    { username: 'ada', learner: ADA },
    { username: 'ada_old', learner: ADA },
  ])}`;
  await sql`INSERT INTO excluded_learners ${sql([{ course_id: C, learner: STAFF, reason: 'instructor dashboard' }])}`;
  await sql`INSERT INTO learner_day ${sql([
    learnerDay(C, ADA, '2025-02-28', 100, 1, 2, '09:00:00', '09:30:00'),
    learnerDay(C, ADA, '2025-03-01', 300, 2, 3, '10:00:00', '12:00:00'),
    learnerDay(C, ADA, '2025-03-03', 200, 1, 2, '08:00:00', '08:40:00'),
    learnerDay(C, BOB, '2025-03-01', 50, 1, 1, '11:00:00', '11:05:00'),
    learnerDay(C, BOB, '2025-03-10', 150, 1, 2, '20:00:00', '20:30:00'),
    learnerDay(C, BOB, '2025-03-11', 999, 1, 9, '07:00:00', '07:30:00'),
    learnerDay(C, CY, '2025-03-02', 60, 1, 1, '13:00:00', '13:01:00'),
    learnerDay(C, CYX, '2025-02-20', 40, 1, 1, '15:00:00', '15:00:40'),
    learnerDay(C, STAFF, '2025-03-01', 5000, 3, 10, '09:00:00', '17:00:00'),
    learnerDay(C, GHOST, '2025-03-05', 30, 1, 0, '18:00:00', '18:00:30'),
    learnerDay(C, HAL, '2025-02-15', 70, 1, 3, '06:00:00', '06:10:00'),
    learnerDay(D, ADA, '2025-03-01', 10, 1, 1, '10:00:00', '10:00:10'),
    learnerDay(D, STAFF, '2025-03-02', 10, 1, 1, '10:00:00', '10:00:10'),
  ])}`;
  const unitDay = (learner: number, unit: string, day: string, time_s: number, visits: number) => ({
    course_id: C,
    unit_key: U(unit),
    learner,
    day,
    time_s,
    visits,
  });
  await sql`INSERT INTO unit_day ${sql([
    unitDay(ADA, 'u1', '2025-02-28', 100, 2),
    unitDay(ADA, 'u1', '2025-03-01', 200, 2),
    unitDay(ADA, 'uX', '2025-03-01', 100, 1),
    unitDay(ADA, 'u2', '2025-03-03', 120, 1),
    unitDay(ADA, 'u1', '2025-03-03', 80, 1),
    unitDay(BOB, 'u1', '2025-03-01', 50, 1),
    unitDay(BOB, 'u3', '2025-03-10', 150, 2),
    unitDay(BOB, 'u1', '2025-03-11', 999, 9),
    unitDay(CY, 'u1', '2025-03-02', 60, 0),
    unitDay(CY, 'u2', '2025-03-02', 0, 1),
    unitDay(CYX, 'u1', '2025-02-20', 40, 1),
    unitDay(STAFF, 'u1', '2025-03-01', 5000, 10),
  ])}`;
  const pageDay = (learner: number, page_kind: string, day: string, time_s: number) => ({
    course_id: C,
    page_kind,
    learner,
    day,
    time_s,
  });
  await sql`INSERT INTO page_day ${sql([
    pageDay(ADA, 'home', '2025-02-28', 10),
    pageDay(ADA, 'home', '2025-03-01', 20),
    pageDay(ADA, 'progress', '2025-03-03', 5),
    pageDay(ADA, 'unplaced', '2025-03-03', 7),
    pageDay(BOB, 'discussion', '2025-03-10', 30),
    pageDay(BOB, 'other', '2025-03-11', 40),
    pageDay(GHOST, 'home', '2025-03-05', 30),
    pageDay(STAFF, 'home', '2025-03-01', 1000),
  ])}`;
  const viewing = (
    learner: number,
    video: string,
    day: string,
    start_pos: number,
    end_pos: number,
  ) => ({
    course_id: C,
    video_key: V(video),
    learner,
    session_start: at(day, '00:00:00'),
    start_time: at(day, '00:00:00'),
    day,
    start_pos,
    end_pos,
  });
  await sql`INSERT INTO video_viewings ${sql([
    viewing(ADA, 'v1', '2025-02-27', 0, 30),
    viewing(ADA, 'v1', '2025-03-01', 20, 60),
    viewing(ADA, 'v1', '2025-03-03', 50, 101), // ends at duration + 1: kept
    viewing(BOB, 'v1', '2025-03-01', 0, 40),
    viewing(BOB, 'v1', '2025-03-01', 30, 50),
    viewing(BOB, 'v1', '2025-03-05', 0, 101.5), // beyond duration + 1: dropped
    viewing(CY, 'v1', '2025-03-02', 0, 45),
    viewing(CY, 'v1', '2025-03-02', 45, 90), // back to back
    viewing(STAFF, 'v1', '2025-03-01', 0, 100),
    viewing(CYX, 'v1', '2025-02-20', 0, 95),
    viewing(BOB, 'v2', '2025-03-10', 0, 61),
    viewing(ADA, 'v2', '2025-03-04', 10, 62), // beyond 60 (from events) + 1: dropped
    viewing(GHOST, 'v2', '2025-03-05', 0, 30),
    viewing(ADA, 'vX', '2025-03-01', 0, 55), // only a position is known: kept
  ])}`;
  await sql`INSERT INTO video_event_extents ${sql([
    { course_id: C, video_key: V('v2'), max_duration: 60, max_position: 70 },
    { course_id: C, video_key: V('vX'), max_duration: null, max_position: 50 },
  ])}`;
  const done = (learner: number, type: string, id: string, day: string) => ({
    course_id: C,
    learner,
    block_key: key(type, id),
    first_time: at(day, '12:00:00'),
    day,
  });
  await sql`INSERT INTO completions ${sql([
    done(ADA, 'video', 'v1', '2025-02-27'),
    done(ADA, 'problem', 'p1', '2025-03-02'),
    done(ADA, 'discussion', 'd1', '2025-03-01'),
    done(ADA, 'html', 'h2', '2025-03-03'),
    done(ADA, 'problem', 'r2a', '2025-03-04'),
    done(ADA, 'video', 'v2', '2025-03-12'), // after the range end
    done(BOB, 'video', 'v1', '2025-03-01'),
    done(BOB, 'problem', 'p1', '2025-03-01'),
    done(BOB, 'html', 'h2', '2025-03-01'),
    done(BOB, 'problem', 'r2a', '2025-03-01'), // r2b, which bob also saw, is missing
    done(BOB, 'video', 'v2', '2025-03-10'),
    done(BOB, 'problem', 'r5', '2025-03-05'), // bob never saw r5: does not count
    done(CY, 'problem', 'p1', '2025-03-01'),
    done(CY, 'problem', 'r5', '2025-03-05'),
    done(CYX, 'video', 'v1', '2025-02-20'),
    done(CYX, 'problem', 'p1', '2025-02-20'),
    done(GHOST, 'discussion', 'd4', '2025-03-05'),
    done(HAL, 'video', 'v1', '2025-02-15'),
    done(HAL, 'problem', 'p1', '2025-02-15'),
    done(HAL, 'html', 'h2', '2025-02-15'),
    done(HAL, 'video', 'v2', '2025-02-15'),
    done(STAFF, 'video', 'v1', '2025-03-01'),
    done(STAFF, 'problem', 'p1', '2025-03-01'),
  ])}`;
  await sql`INSERT INTO learner_randomized_blocks ${sql([
    { course_id: C, learner: ADA, block_key: key('problem', 'r2a') },
    { course_id: C, learner: BOB, block_key: key('problem', 'r2a') },
    { course_id: C, learner: BOB, block_key: key('problem', 'r2b') },
    { course_id: C, learner: CY, block_key: key('problem', 'r5') },
  ])}`;
  let line = 0;
  const change = (learner: number, day: string, active: boolean) => ({
    course_id: C,
    learner,
    time: at(day, '09:00:00'),
    file_id: 1,
    line_no: ++line,
    day,
    active,
  });
  await sql`INSERT INTO enrollment_changes ${sql([
    change(ADA, '2025-02-01', true),
    change(CY, '2025-02-15', true),
    change(CY, '2025-03-05', false),
    change(CYX, '2025-02-10', true),
    change(DANA, '2025-03-02', true),
    change(EVE, '2025-02-01', true),
    change(EVE, '2025-02-10', false),
    change(EVE, '2025-03-04', true),
    change(FAY, '2025-03-12', true),
    change(STAFF, '2025-02-01', true),
    change(HAL, '2025-02-01', true),
  ])}`;
  await sql`INSERT INTO course_processing ${sql([
    {
      course_id: C,
      time_zone: 'UTC',
      settings_sha256: Buffer.from('s'),
      last_processed: '2025-03-12T00:00:00Z',
      data_version: 3,
    },
  ])}`;
}

const zeroDay = (date: string) => ({
  date,
  active_learners: 0,
  time_s: 0,
  visits: 0,
  video_watch_s: 0,
});

describe('read models', () => {
  let db: TestDatabase;
  let sql: Sql;
  beforeAll(async () => {
    db = await createTestDatabase();
    sql = db.sql;
    await insertFacts(sql);
  });
  afterAll(() => db.drop());

  describe('overview', () => {
    it('counts distinct learners, sums facts in the range and fills every day', async () => {
      const result = await overview(sql, RANGE);
      expect(result).toEqual({
        // ada, bob, cy_1, ghost (staff excluded, cyx1 and hal outside the range); the daily
        // counts add up to 6
        active_learners: 4,
        // ada, bob (activity only), cyx1, dana, eve (reactivated), ghost (activity only), hal
        enrolled_learners: 7,
        time_s: 500 + 200 + 60 + 30,
        visits: 5 + 3 + 1 + 0,
        sessions: 3 + 2 + 1 + 1,
        // v1: 6 valid (bob's 101.5 dropped); v2: bob, ghost (ada's 62 dropped); vX (inactive): 1
        video_views: 9,
        video_watch_s: 241 + 91 + 55,
        series: [
          { date: '2025-03-01', active_learners: 2, time_s: 350, visits: 4, video_watch_s: 155 },
          { date: '2025-03-02', active_learners: 1, time_s: 60, visits: 1, video_watch_s: 90 },
          { date: '2025-03-03', active_learners: 1, time_s: 200, visits: 2, video_watch_s: 51 },
          zeroDay('2025-03-04'),
          { date: '2025-03-05', active_learners: 1, time_s: 30, visits: 0, video_watch_s: 30 },
          zeroDay('2025-03-06'),
          zeroDay('2025-03-07'),
          zeroDay('2025-03-08'),
          zeroDay('2025-03-09'),
          { date: '2025-03-10', active_learners: 1, time_s: 150, visits: 2, video_watch_s: 61 },
        ],
      });
    });

    it('decides enrollment by the latest change on or before the range end', async () => {
      const result = await overview(sql, { ...RANGE, to: '2025-03-03' });
      // ada, bob (active 03-01), cy_1 (deactivated only on 03-05), cyx1, dana, hal; not eve
      // (deactivated 02-10, back on 03-04), not ghost (first active 03-05)
      expect(result.enrolled_learners).toBe(6);
      expect(result.series.map((d) => d.date)).toEqual(['2025-03-01', '2025-03-02', '2025-03-03']);
    });

    it('answers a range without facts with zeros', async () => {
      const result = await overview(sql, { courseId: C, from: '2024-01-01', to: '2024-01-02' });
      expect(result).toEqual({
        active_learners: 0,
        enrolled_learners: 0,
        time_s: 0,
        visits: 0,
        sessions: 0,
        video_views: 0,
        video_watch_s: 0,
        series: [zeroDay('2024-01-01'), zeroDay('2024-01-02')],
      });
    });
  });

  describe('units', () => {
    it('lists active units in course order with per-learner statistics', async () => {
      const rows = await units(sql, { ...RANGE, ...DISCUSSION });
      expect(rows.map((r) => r.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'].map(U));
      const [u1, u2, u3, u4, u5] = rows;
      // u1: ada 200 + 80 (one learner, two days), bob 50, cy 60 (no visit); staff excluded
      expect(u1).toEqual({
        id: U('u1'),
        label: '1.1.1',
        name: 'Name u1',
        chapter_id: key('chapter', 'ch1'),
        sequential_id: key('sequential', 'sq1'),
        time_s: 390,
        visits: 4,
        visitors: 2,
        learners_with_time: 3,
        mean_time_s: 130,
        sd_time_s: expect.closeTo(Math.sqrt((150 ** 2 + 80 ** 2 + 70 ** 2) / 3), 9),
        // ada, bob, cyx1 (before the range), hal; d1 (discussion) does not count
        completed_learners: 4,
        // v1, p1, d1 (p1old is inactive)
        components: 3,
      });
      expect(u2).toMatchObject({
        time_s: 120,
        visits: 2,
        visitors: 2, // cy visited without time
        learners_with_time: 1,
        mean_time_s: 120,
        sd_time_s: 0,
        // ada (h2 + r2a, the one she saw), hal (h2, saw none); not bob (saw r2b, not done)
        completed_learners: 2,
        components: 3,
      });
      // bob (v2 on the range end), hal; not ada (v2 after the range end)
      expect(u3).toMatchObject({ time_s: 150, visits: 2, completed_learners: 2, components: 1 });
      // u4 has only a discussion: nobody completes it; u5: cy_1 saw and completed r5, bob's
      // completion of r5 (never seen) does not count
      expect(u4).toEqual({
        id: U('u4'),
        label: '2.1.1',
        name: 'Name u4',
        chapter_id: key('chapter', 'ch2'),
        sequential_id: key('sequential', 'sq3'),
        time_s: 0,
        visits: 0,
        visitors: 0,
        learners_with_time: 0,
        mean_time_s: null,
        sd_time_s: null,
        completed_learners: 0,
        components: 1,
      });
      expect(u5).toMatchObject({ completed_learners: 1, components: 1 });
    });

    it('counts discussion components when no type is excluded', async () => {
      const rows = await units(sql, { ...RANGE, completionExcludedTypes: [] });
      // u1 needs d1 too: only ada; u4 needs d4: ghost
      expect(rows.map((r) => r.completed_learners)).toEqual([1, 2, 2, 1, 1]);
    });

    it('completion is cumulative up to the range end', async () => {
      const rows = await units(sql, {
        ...RANGE,
        from: '2025-03-01',
        to: '2025-03-03',
        ...DISCUSSION,
      });
      // u1: ada (p1 on 03-02), bob, cyx1, hal; u2: hal only (ada's r2a on 03-04); u3: hal
      expect(rows.map((r) => r.completed_learners)).toEqual([4, 1, 1, 0, 0]);
      expect(rows[2]).toMatchObject({ time_s: 0, visits: 0 });
    });

    it('sums sequentials over their active units', async () => {
      const rows = await units(sql, { ...RANGE, group: 'sequential', ...DISCUSSION });
      expect(rows).toEqual([
        {
          id: key('sequential', 'sq1'),
          label: '1.1',
          name: 'Name sq1',
          chapter_id: key('chapter', 'ch1'),
          time_s: 510,
          visits: 6,
          visitors: 3, // cy_1 visited u2 only
          learners_with_time: 3, // ada 400, bob 50, cy 60
          mean_time_s: 170,
          sd_time_s: expect.closeTo(Math.sqrt((230 ** 2 + 120 ** 2 + 110 ** 2) / 3), 9),
          completed_learners: 2, // ada, hal
          components: 6,
        },
        {
          // uX (inactive) is left out: ada's 100 s there do not count
          id: key('sequential', 'sq2'),
          label: '1.2',
          name: 'Name sq2',
          chapter_id: key('chapter', 'ch1'),
          time_s: 150,
          visits: 2,
          visitors: 1,
          learners_with_time: 1,
          mean_time_s: 150,
          sd_time_s: 0,
          completed_learners: 2, // bob, hal
          components: 1,
        },
        {
          id: key('sequential', 'sq3'),
          label: '2.1',
          name: 'Name sq3',
          chapter_id: key('chapter', 'ch2'),
          time_s: 0,
          visits: 0,
          visitors: 0,
          learners_with_time: 0,
          mean_time_s: null,
          sd_time_s: null,
          // u4 has nothing to complete; u5 only for cy_1, who completed it
          completed_learners: 1,
          components: 2,
        },
      ]);
    });

    it('sums chapters over their active units, without chapter_id', async () => {
      const rows = await units(sql, { ...RANGE, group: 'chapter', ...DISCUSSION });
      expect(rows).toEqual([
        {
          id: key('chapter', 'ch1'),
          label: '1',
          name: 'Name ch1',
          time_s: 660,
          visits: 8,
          visitors: 3,
          learners_with_time: 3, // ada 400, bob 200, cy 60
          mean_time_s: 220,
          sd_time_s: expect.closeTo(Math.sqrt((180 ** 2 + 20 ** 2 + 160 ** 2) / 3), 9),
          completed_learners: 1, // hal (u1, u2, u3)
          components: 7,
        },
        {
          id: key('chapter', 'ch2'),
          label: '2',
          name: 'Name ch2',
          time_s: 0,
          visits: 0,
          visitors: 0,
          learners_with_time: 0,
          mean_time_s: null,
          sd_time_s: null,
          completed_learners: 1,
          components: 2,
        },
      ]);
      expect(rows[0]).not.toHaveProperty('chapter_id');
      expect(rows[0]).not.toHaveProperty('sequential_id');
    });
  });

  it('pages: time per page kind in the range', async () => {
    expect(await pages(sql, RANGE)).toEqual({
      home: 50, // ada 20, ghost 30 (02-28 and staff left out)
      progress: 5,
      discussion: 30,
      other: 0, // 03-11 is after the range
      unplaced: 7,
    });
  });

  describe('visitsDaily', () => {
    it('gives every day × every chapter, active units only', async () => {
      const rows = await visitsDaily(sql, { ...RANGE, to: '2025-03-03', group: 'chapter' });
      const ch1 = key('chapter', 'ch1');
      const ch2 = key('chapter', 'ch2');
      expect(rows).toEqual([
        { date: '2025-03-01', id: ch1, visits: 3 }, // ada 2 + bob 1 (uX and staff left out)
        { date: '2025-03-01', id: ch2, visits: 0 },
        { date: '2025-03-02', id: ch1, visits: 1 },
        { date: '2025-03-02', id: ch2, visits: 0 },
        { date: '2025-03-03', id: ch1, visits: 2 },
        { date: '2025-03-03', id: ch2, visits: 0 },
      ]);
    });

    it('gives every day × every unit', async () => {
      const rows = await visitsDaily(sql, { ...RANGE, from: '2025-03-09', group: 'unit' });
      expect(rows).toHaveLength(2 * 5);
      expect(rows.filter((r) => r.visits > 0)).toEqual([
        { date: '2025-03-10', id: U('u3'), visits: 2 },
      ]);
      expect(rows.slice(0, 5).map((r) => r.id)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'].map(U));
    });

    it('sums sequentials', async () => {
      const rows = await visitsDaily(sql, { ...RANGE, from: '2025-03-10', group: 'sequential' });
      expect(rows.map((r) => r.visits)).toEqual([0, 2, 0]);
    });
  });

  describe('videos', () => {
    it('counts views, viewers, watch time and coverage per active video', async () => {
      expect(await videos(sql, RANGE)).toEqual([
        {
          id: V('v1'),
          label: '1.1.1',
          name: 'Name v1',
          duration: 100,
          views: 6,
          viewers: 3,
          watch_s: 40 + 51 + 40 + 20 + 45 + 45,
          // ada: [0, 101] → capped at 1; bob: [0, 50] → 0.5; cy: [0, 45] + [45, 90] → 0.9
          completed_viewers: 2,
          mean_coverage: expect.closeTo((1 + 0.5 + 0.9) / 3, 12),
        },
        {
          id: V('v2'),
          label: '1.2.1',
          name: 'Name v2',
          duration: 60, // from events
          views: 2,
          viewers: 2,
          watch_s: 61 + 30,
          completed_viewers: 1, // bob, 61 s of 60
          mean_coverage: 0.75,
        },
      ]);
    });

    it('takes coverage from every viewing up to the range end', async () => {
      const [v1] = await videos(sql, { ...RANGE, from: '2025-03-01', to: '2025-03-01' });
      // ada: [0, 30] on 02-27 + [20, 60] → 0.6; bob 0.5
      expect(v1).toMatchObject({
        views: 3,
        viewers: 2,
        completed_viewers: 0,
        mean_coverage: expect.closeTo(0.55, 12),
      });
      const [none] = await videos(sql, { ...RANGE, from: '2025-03-06', to: '2025-03-09' });
      expect(none).toMatchObject({ views: 0, viewers: 0, watch_s: 0, mean_coverage: null });
    });

    it('timeline: viewers and views per second, back-to-back viewings never overlap', async () => {
      const timeline = await videoTimeline(sql, { ...RANGE, videoKey: V('v1') });
      expect(timeline?.duration).toBe(100);
      expect(timeline?.seconds).toHaveLength(100);
      const second = (s: number) => timeline?.seconds[s];
      expect(second(0)).toEqual({ s: 0, viewers: 2, views: 2, repeats: 0 }); // bob, cy
      expect(second(35)).toEqual({ s: 35, viewers: 3, views: 4, repeats: 1 }); // bob twice
      expect(second(44)).toEqual({ s: 44, viewers: 3, views: 3, repeats: 0 }); // cy's first
      expect(second(45)).toEqual({ s: 45, viewers: 3, views: 3, repeats: 0 }); // cy's second
      expect(second(55)).toEqual({ s: 55, viewers: 2, views: 3, repeats: 1 }); // ada twice, cy
      expect(second(90)).toEqual({ s: 90, viewers: 1, views: 1, repeats: 0 }); // ada
      expect(second(99)).toEqual({ s: 99, viewers: 1, views: 1, repeats: 0 }); // ada to 101
    });

    it('timeline: a viewing [a, b] covers ceil(a - 0.5) ≤ s < b - 0.5', async () => {
      const timeline = await videoTimeline(sql, {
        ...RANGE,
        from: '2025-03-05',
        videoKey: V('v2'),
      });
      // ghost [0, 30] covers 0 … 29, bob [0, 61] covers 0 … 59 (of 60 seconds)
      expect(timeline?.seconds).toHaveLength(60);
      expect(timeline?.seconds[29]).toEqual({ s: 29, viewers: 2, views: 2, repeats: 0 });
      expect(timeline?.seconds[30]).toEqual({ s: 30, viewers: 1, views: 1, repeats: 0 });
      expect(timeline?.seconds[59]).toEqual({ s: 59, viewers: 1, views: 1, repeats: 0 });
    });

    it('timeline of an inactive video with only a position known; null for an unknown video', async () => {
      const timeline = await videoTimeline(sql, { ...RANGE, videoKey: V('vX') });
      expect(timeline?.duration).toBe(50);
      expect(timeline?.seconds.filter((s) => s.views > 0)).toHaveLength(50);
      expect(await videoTimeline(sql, { ...RANGE, videoKey: V('nope') })).toBeNull();
      expect(await videoTimeline(sql, { ...RANGE, videoKey: key('problem', 'p1') })).toBeNull();
    });
  });

  describe('learners', () => {
    const page = { ...RANGE, ...DISCUSSION, page: 1, pageSize: 50 };

    it('lists enrolled or active learners with their numbers', async () => {
      const result = await learners(sql, page);
      expect(result.total).toBe(8);
      expect(result.rows.map((r) => r.username)).toEqual([
        'ada',
        'bob',
        'cy_1',
        'cyx1',
        'dana',
        'eve',
        'ghost',
        'hal',
      ]);
      const row = (name: string) => result.rows.find((r) => r.username === name);
      expect(row('ada')).toEqual({
        user_id: ADA,
        username: 'ada',
        time_s: 500,
        sessions: 3,
        visits: 5,
        units_visited: 2, // u1, u2 (uX is inactive)
        units_completed: 2, // u1, u2
        videos_completed: 1, // v1 (capped at 1); her v2 viewing was dropped
        first_active: '2025-02-28T09:00:00.000Z',
        last_active: '2025-03-03T08:40:00.000Z',
        active_days: 2,
        at_risk: true, // nothing since 03-03, u3 open
      });
      expect(row('bob')).toEqual({
        user_id: BOB,
        username: 'bob',
        time_s: 200,
        sessions: 2,
        visits: 3,
        units_visited: 2,
        units_completed: 2, // u1, u3
        videos_completed: 1, // v2
        first_active: '2025-03-01T11:00:00.000Z',
        last_active: '2025-03-10T20:30:00.000Z', // 03-11 is after the range end
        active_days: 2,
        at_risk: false, // active on 03-10
      });
      expect(row('cy_1')).toMatchObject({
        units_visited: 1, // u2; u1 had time but no visit
        units_completed: 1, // u5
        videos_completed: 1, // exactly 0.9
        at_risk: false, // not enrolled any more
      });
      expect(row('cyx1')).toEqual({
        user_id: CYX,
        username: 'cyx1',
        time_s: 0,
        sessions: 0,
        visits: 0,
        units_visited: 0,
        units_completed: 1, // u1, before the range
        videos_completed: 1, // v1 at 0.95, watched before the range
        first_active: '2025-02-20T15:00:00.000Z',
        last_active: '2025-02-20T15:00:40.000Z',
        active_days: 0,
        at_risk: true,
      });
      expect(row('dana')).toMatchObject({
        time_s: 0,
        first_active: null,
        last_active: null,
        at_risk: false, // never active
      });
      expect(row('ghost')).toMatchObject({
        user_id: null,
        time_s: 30,
        units_completed: 0, // d4 is a discussion
        videos_completed: 0, // v2 at 0.5
        at_risk: false,
      });
      expect(row('hal')).toMatchObject({ units_completed: 3, at_risk: false }); // all done
    });

    it('at risk depends on the range end', async () => {
      const result = await learners(sql, { ...page, from: '2025-03-01', to: '2025-03-20' });
      // ada completed u3 on 03-12: nothing left to complete; fay enrolled on 03-12 but was
      // never active; bob was last active 03-11, ghost 03-05
      expect(result.rows.filter((r) => r.at_risk).map((r) => r.username)).toEqual([
        'bob',
        'cyx1',
        'ghost',
      ]);
      expect(result.total).toBe(9);
    });

    it('sorts by a column, ties by username', async () => {
      const result = await learners(sql, { ...page, sort: 'time_s', order: 'desc' });
      expect(result.rows.map((r) => r.username)).toEqual([
        'ada',
        'bob',
        'cy_1',
        'ghost',
        'cyx1',
        'dana',
        'eve',
        'hal',
      ]);
      const byFirst = await learners(sql, { ...page, sort: 'first_active', order: 'asc' });
      expect(byFirst.rows.map((r) => r.username)).toEqual([
        'hal',
        'cyx1',
        'ada',
        'bob',
        'cy_1',
        'ghost',
        'dana', // no activity: last in both orders
        'eve',
      ]);
      await expect(learners(sql, { ...page, sort: 'learner' as 'username' })).rejects.toThrow(
        RangeError,
      );
    });

    it('sorts by username or user id, descending too, page by page', async () => {
      const names = async (extra: Partial<Parameters<typeof learners>[1]>) =>
        (await learners(sql, { ...page, ...extra })).rows.map((r) => r.username);
      expect(await names({ order: 'desc', pageSize: 3 })).toEqual(['hal', 'ghost', 'eve']);
      expect(await names({ sort: 'user_id' })).toEqual([
        'ada',
        'bob',
        'cy_1',
        'cyx1',
        'dana',
        'eve',
        'hal',
        'ghost', // no user id: last
      ]);
      // hal, eve, dana | cyx1, cy_1, bob | ada, ghost
      expect(await names({ sort: 'user_id', order: 'desc', page: 2, pageSize: 3 })).toEqual([
        'cyx1',
        'cy_1',
        'bob',
      ]);
      // a computed column: every learner's numbers, then the page
      expect(await names({ sort: 'time_s', order: 'desc', page: 2, pageSize: 3 })).toEqual([
        'ghost',
        'cyx1',
        'dana',
      ]);
      expect(await names({ sort: 'at_risk', order: 'desc', pageSize: 2 })).toEqual(['ada', 'cyx1']);
    });

    it('gives every sort the same order page by page as in one page', async () => {
      for (const sort of LEARNER_SORT_COLUMNS) {
        for (const order of ['asc', 'desc'] as const) {
          const whole = await learners(sql, { ...page, sort, order, pageSize: 100 });
          const pages = [];
          for (let n = 1; n <= 3; n++) {
            pages.push(
              ...(await learners(sql, { ...page, sort, order, page: n, pageSize: 3 })).rows,
            );
          }
          expect({ sort, order, rows: pages }).toEqual({ sort, order, rows: whole.rows });
          // ordered by the numbers the rows show (computed apart from the choice of the page)
          const sorted = [...whole.rows].sort((a, b) => {
            const [x, y] = [a[sort], b[sort]];
            if (x !== y) {
              if (x === null) return 1;
              if (y === null) return -1;
              return (x < y ? -1 : 1) * (order === 'asc' ? 1 : -1);
            }
            return (a.username ?? '\uffff') < (b.username ?? '\uffff') ? -1 : 1;
          });
          expect({ sort, order, rows: whole.rows }).toEqual({ sort, order, rows: sorted });
        }
      }
    });

    it('pages', async () => {
      const second = await learners(sql, { ...page, page: 2, pageSize: 3 });
      expect(second.total).toBe(8);
      expect(second.rows.map((r) => r.username)).toEqual(['cyx1', 'dana', 'eve']);
      expect(await learners(sql, { ...page, page: 4, pageSize: 3 })).toEqual({
        total: 8,
        rows: [],
      });
    });

    it('filters by a case-insensitive substring, wildcards taken literally', async () => {
      const names = async (q: string) =>
        (await learners(sql, { ...page, q })).rows.map((r) => r.username);
      expect(await names('CY')).toEqual(['cy_1', 'cyx1']);
      expect(await names('cy_')).toEqual(['cy_1']);
      expect(await names('%')).toEqual([]);
      expect((await learners(sql, { ...page, q: 'y_' })).total).toBe(1);
    });

    it('never shows an excluded learner', async () => {
      expect((await learners(sql, { ...page, q: 'staff' })).total).toBe(0);
      expect(await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'staff' })).toBeNull();
    });
  });

  describe('learnerDetail', () => {
    it('adds every active unit and video', async () => {
      const detail = await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'ada' });
      expect(detail).toMatchObject({ username: 'ada', time_s: 500, units_completed: 2 });
      expect(detail?.units).toEqual([
        { id: U('u1'), time_s: 280, visits: 3, completed_components: 2 }, // v1, p1 (d1 not counted)
        { id: U('u2'), time_s: 120, visits: 1, completed_components: 2 }, // h2, r2a
        { id: U('u3'), time_s: 0, visits: 0, completed_components: 0 },
        { id: U('u4'), time_s: 0, visits: 0, completed_components: 0 },
        { id: U('u5'), time_s: 0, visits: 0, completed_components: 0 },
      ]);
      expect(detail?.videos).toEqual([
        { id: V('v1'), watch_s: 91, coverage: 1 },
        { id: V('v2'), watch_s: 0, coverage: 0 },
      ]);
    });

    it('finds a learner by a former username; null when unknown in the course', async () => {
      const detail = await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'ada_old' });
      expect(detail?.username).toBe('ada');
      expect(await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'nobody' })).toBeNull();
      const fay = await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'fay' });
      expect(fay).toMatchObject({ user_id: FAY, time_s: 0, first_active: null, at_risk: false });
      const ghost = await learnerDetail(sql, { ...RANGE, ...DISCUSSION, username: 'ghost' });
      expect(ghost).toMatchObject({ user_id: null, time_s: 30 });
      expect(ghost?.videos).toEqual([
        { id: V('v1'), watch_s: 0, coverage: 0 },
        { id: V('v2'), watch_s: 30, coverage: 0.5 },
      ]);
    });
  });

  describe('matrix', () => {
    const base = { ...RANGE, ...DISCUSSION, page: 1, pageSize: 3 };

    it('time per unit', async () => {
      expect(await matrix(sql, { ...base, metric: 'time', group: 'unit' })).toEqual({
        columns: ['u1', 'u2', 'u3', 'u4', 'u5'].map(U),
        total: 8,
        rows: [
          { username: 'ada', values: [280, 120, 0, 0, 0] },
          { username: 'bob', values: [50, 0, 150, 0, 0] },
          { username: 'cy_1', values: [60, 0, 0, 0, 0] },
        ],
      });
    });

    it('visits per chapter', async () => {
      expect(await matrix(sql, { ...base, metric: 'visits', group: 'chapter' })).toEqual({
        columns: [key('chapter', 'ch1'), key('chapter', 'ch2')],
        total: 8,
        rows: [
          { username: 'ada', values: [4, 0] }, // uX left out
          { username: 'bob', values: [3, 0] },
          { username: 'cy_1', values: [1, 0] },
        ],
      });
    });

    it('completion per unit and per chapter', async () => {
      const perUnit = await matrix(sql, { ...base, metric: 'completion', group: 'unit' });
      expect(perUnit.rows).toEqual([
        { username: 'ada', values: [1, 1, 0, 0, 0] },
        { username: 'bob', values: [1, 0, 1, 0, 0] },
        { username: 'cy_1', values: [0, 0, 0, 0, 1] },
      ]);
      const perChapter = await matrix(sql, {
        ...base,
        metric: 'completion',
        group: 'chapter',
        page: 1,
        pageSize: 10,
      });
      const values = Object.fromEntries(perChapter.rows.map((r) => [r.username, r.values]));
      // ch2: nothing to complete for ada and bob (u4 has no countable component, r5 unseen)
      expect(values).toEqual({
        ada: [2 / 3, 0],
        bob: [2 / 3, 0],
        cy_1: [0, 1],
        cyx1: [1 / 3, 0],
        dana: [0, 0],
        eve: [0, 0],
        ghost: [0, 0],
        hal: [1, 0],
      });
    });

    it('filters and pages like the learners list', async () => {
      const result = await matrix(sql, { ...base, q: 'cy_', metric: 'time', group: 'unit' });
      expect(result).toEqual({
        columns: ['u1', 'u2', 'u3', 'u4', 'u5'].map(U),
        total: 1,
        rows: [{ username: 'cy_1', values: [60, 0, 0, 0, 0] }],
      });
      const empty = await matrix(sql, { ...base, page: 9, metric: 'visits', group: 'chapter' });
      expect(empty).toEqual({
        columns: [key('chapter', 'ch1'), key('chapter', 'ch2')],
        total: 8,
        rows: [],
      });
    });
  });

  /** Runs `check` on the fixture plus `extra` rows, then leaves the fixture as it was. */
  async function withRows(
    extra: (tx: TransactionSql) => Promise<unknown>,
    check: (tx: TransactionSql) => Promise<unknown>,
  ): Promise<void> {
    const rollback = new Error('rollback');
    await expect(
      sql.begin(async (tx) => {
        await extra(tx);
        await check(tx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  }

  it('breaks enrollment ties at one time by file and line', async () => {
    const range = { courseId: D, from: '2025-03-01', to: '2025-03-02' };
    const change = (line_no: number, active: boolean) => ({
      course_id: D,
      learner: ADA,
      time: '2025-03-01T09:00:00Z',
      file_id: 3,
      line_no,
      day: '2025-03-01',
      active,
    });
    // ada and staff are active in D; staff has no change, ada's last change deactivates
    await withRows(
      (tx) => tx`INSERT INTO enrollment_changes ${tx([change(4, true), change(5, false)])}`,
      async (tx) => expect((await overview(tx, range)).enrolled_learners).toBe(1),
    );
    await withRows(
      (tx) => tx`INSERT INTO enrollment_changes ${tx([change(5, true), change(4, false)])}`,
      async (tx) => expect((await overview(tx, range)).enrolled_learners).toBe(2),
    );
  });

  it('leaves coverage and the timeline empty when a duration is unknown', async () => {
    await withRows(
      async (tx) => {
        await tx`INSERT INTO course_blocks ${tx([
          {
            course_id: C,
            usage_key: V('v0'),
            block_id: 'v0',
            block_type: 'video',
            kind: 'component',
            unit_key: U('u4'),
            course_order: 100,
            duration: 0, // 0 in the structure means unknown
          },
        ])}`;
        await tx`INSERT INTO video_viewings ${tx([
          {
            course_id: C,
            video_key: V('v0'),
            learner: BOB,
            session_start: '2025-03-02T10:00:00Z',
            start_time: '2025-03-02T10:00:00Z',
            day: '2025-03-02',
            start_pos: 0,
            end_pos: 500, // no known duration: kept
          },
        ])}`;
      },
      async (tx) => {
        const v0 = (await videos(tx, RANGE)).find((v) => v.id === V('v0'));
        expect(v0).toMatchObject({
          duration: null,
          views: 1,
          viewers: 1,
          watch_s: 500,
          completed_viewers: 0,
          mean_coverage: null,
        });
        expect(await videoTimeline(tx, { ...RANGE, videoKey: V('v0') })).toEqual({
          duration: null,
          seconds: [],
        });
        const bob = await learnerDetail(tx, { ...RANGE, ...DISCUSSION, username: 'bob' });
        expect(bob?.videos.find((v) => v.id === V('v0'))).toEqual({
          id: V('v0'),
          watch_s: 500,
          coverage: null,
        });
      },
    );
  });

  it('lists a course that has only a structure', async () => {
    await withRows(
      (tx) =>
        tx`INSERT INTO course_structures ${tx([
          {
            course_id: 'course-v1:Org+New+2026',
            root_key: 'block-v1:Org+New+2026+type@course+block@course',
            name: 'New',
            source: 'test',
            content_sha256: Buffer.from('n'),
          },
        ])}`,
      async (tx) =>
        expect(await courseSummaries(tx, ['course-v1:Org+New+2026', D])).toEqual([
          {
            course_id: 'course-v1:Org+New+2026',
            name: 'New',
            learners: 0,
            first_event: null,
            last_event: null,
            first_day: null,
            last_day: null,
            last_processed: null,
            data_version: 0,
          },
          expect.objectContaining({ course_id: D }),
        ]),
    );
  });

  it('sends the excluded types also as the first query of a new connection', async () => {
    const fresh = connect(db.url, { max: 1 });
    try {
      const rows = await units(fresh, {
        ...RANGE,
        completionExcludedTypes: ['discussion', 'odd "type\\', 'problem'],
      });
      // u1 needs v1 only: ada, bob, cyx1, hal; u2 needs h2 (r2a, r2b are problems too)
      expect(rows.map((r) => r.completed_learners)).toEqual([4, 3, 2, 0, 0]);
    } finally {
      await fresh.end();
    }
  });

  describe('rollups (processor/src/kpis/sql/60_rollups.sql)', () => {
    // The processor's last layer, run here on the hand-written facts as `process` runs it.
    const layer = readFileSync(
      new URL('../../processor/src/kpis/sql/60_rollups.sql', import.meta.url),
      'utf8',
    );
    // A full run (every learner in scope_days), or an incremental one for `learners` whose facts
    // were rebuilt from `cutDay` (UTC) on.
    const buildRollups = async (
      tx: TransactionSql,
      courseId: string,
      learners?: number[],
      cutDay = '-infinity',
    ) => {
      await tx`SELECT set_config('stats.course', ${courseId}, true),
                      set_config('stats.full', ${learners ? 'off' : 'on'}, true)`;
      await tx`CREATE TEMP TABLE scope_days ON COMMIT DROP AS
               SELECT learner, ${cutDay}::text::date::timestamp AT TIME ZONE 'UTC' AS cut,
                 ${cutDay}::text::date AS cut_day
               FROM unnest(${learners ?? []}::bigint[]) learner`;
      // what 17_clear.sql deleted (here nothing: the tests change facts in place)
      await tx`CREATE TEMP TABLE cleared_blocks (learner bigint, block_key text) ON COMMIT DROP`;
      await tx`CREATE TEMP TABLE cleared_videos (learner bigint, video_key text) ON COMMIT DROP`;
      await tx.unsafe(layer).simple();
      await tx`DROP TABLE scope_days, cleared_blocks, cleared_videos`;
      await tx`SELECT set_config('stats.course', '', true)`;
    };
    const rollupTables = async (tx: TransactionSql) => {
      const tables: Record<string, unknown[]> = {};
      for (const table of [
        'rollup_state',
        'rollup_days',
        'rollup_groups',
        'rollup_videos',
        'rollup_learners',
        'rollup_learner_units',
        'rollup_learner_videos',
        'rollup_video_durations',
        'rollup_excluded',
      ]) {
        // (rollup_excluded has two columns, both its key)
        const order = table === 'rollup_excluded' ? '1, 2' : '1, 2, 3';
        tables[table] = [...(await tx.unsafe(`SELECT * FROM ${table} ORDER BY ${order}`))];
      }
      return tables;
    };
    const WHOLE = { courseId: C, from: '2025-02-01', to: '2025-03-31' };
    const digits12 = (value: unknown): unknown =>
      typeof value === 'number'
        ? Number(value.toPrecision(12))
        : Array.isArray(value)
          ? value.map(digits12)
          : value && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digits12(v)]))
            : value;
    // Every read model that reads rollups, for ranges that do and do not cover C's history
    // (2025-02-15 to 2025-03-12), with the rollups' completion types and others.
    const answers = async (tx: Sql | TransactionSql) => {
      const result: Record<string, unknown> = {};
      for (const [name, range] of Object.entries({
        whole: WHOLE,
        exact: { courseId: C, from: '2025-02-15', to: '2025-03-12' },
        late: { courseId: C, from: '2025-02-15', to: '2025-03-11' },
        recent: { courseId: C, from: '2025-03-02', to: '2025-03-31' },
        range: RANGE,
        other: { courseId: D, from: '2025-01-01', to: '2025-12-31' },
      })) {
        result[`${name} overview`] = await overview(tx, range);
        result[`${name} videos`] = await videos(tx, range);
        for (const types of [['discussion'], ['discussion', 'html'], []]) {
          const completion = { completionExcludedTypes: types };
          for (const group of ['unit', 'sequential', 'chapter'] as const) {
            result[`${name} ${types} units ${group}`] = await units(tx, {
              ...range,
              ...completion,
              group,
            });
          }
          for (const sort of LEARNER_SORT_COLUMNS) {
            for (const order of ['asc', 'desc'] as const) {
              result[`${name} ${types} learners ${sort} ${order}`] = await learners(tx, {
                ...range,
                ...completion,
                sort,
                order,
                page: 2,
                pageSize: 3,
              });
            }
          }
          result[`${name} ${types} learners q`] = await learners(tx, {
            ...range,
            ...completion,
            q: 'CY',
            page: 1,
            pageSize: 10,
          });
        }
      }
      return result;
    };

    it('answer exactly what the facts answer, for the ranges they cover', async () => {
      const fromFacts = await answers(sql);
      await withRows(
        async (tx) => {
          await buildRollups(tx, C);
          await buildRollups(tx, D);
        },
        async (tx) => {
          const [state] = await tx`SELECT * FROM rollup_state WHERE course_id = ${C}`;
          expect(state).toMatchObject({
            first_day: expect.any(Date),
            completion_excluded_types: ['discussion'],
            active_learners: '6',
          });
          const rolled = await answers(tx);
          // the answers that differ, side by side (none). Numbers to 12 digits: sums and means
          // of the same float8 values added in another order may differ in the last bits.
          const differing = Object.keys(fromFacts).filter(
            (name) => !isDeepStrictEqual(digits12(rolled[name]), digits12(fromFacts[name])),
          );
          expect(
            Object.fromEntries(
              differing.map((name) => [name, { rolled: rolled[name], facts: fromFacts[name] }]),
            ),
          ).toEqual({});
        },
      );
    });

    it('recompute the learners a run rebuilt and the viewers of a video whose duration changed', async () => {
      await withRows(
        async (tx) => {
          await buildRollups(tx, C);
          // bob's facts change (as a run would rebuild them), v2's duration grows to 70 s, so
          // that ada's viewing up to 62 s now counts, and cy_1 becomes staff
          await tx`UPDATE unit_day SET time_s = time_s + 7, visits = visits + 1
                   WHERE learner = ${BOB} AND day = '2025-03-10'`;
          await tx`UPDATE learner_day SET time_s = time_s + 7, visits = visits + 1
                   WHERE learner = ${BOB} AND day = '2025-03-10'`;
          await tx`DELETE FROM completions WHERE learner = ${BOB} AND block_key = ${key('video', 'v2')}`;
          await tx`INSERT INTO learner_randomized_blocks ${tx([
            { course_id: C, learner: BOB, block_key: key('problem', 'r5') },
          ])}`;
          await tx`UPDATE video_event_extents SET max_duration = 70 WHERE video_key = ${V('v2')}`;
          await tx`INSERT INTO excluded_learners ${tx([{ course_id: C, learner: CY, reason: 'studio' }])}`;
          await buildRollups(tx, C, [BOB]);
        },
        async (tx) => {
          const incremental = await rollupTables(tx);
          expect(incremental.rollup_learner_videos).toContainEqual(
            expect.objectContaining({ learner: String(ADA), video_key: V('v2') }),
          );
          await buildRollups(tx, C);
          expect(incremental).toEqual(await rollupTables(tx));
        },
      );
    });

    it('sum again only the days from the earliest cut while exclusions and durations stay', async () => {
      await withRows(
        async (tx) => {
          await buildRollups(tx, C);
          // the rows of earlier days are kept as they are (marked here to tell)
          const [kept] = await tx`SELECT time_s FROM rollup_days
                                  WHERE course_id = ${C} AND day = '2025-03-01'`;
          await tx`UPDATE rollup_days SET time_s = -1 WHERE course_id = ${C} AND day = '2025-03-01'`;
          // bob's facts are rebuilt from 2025-03-10 on: a day changes, a later one goes (its
          // units' time stays, as if it were credited to pages now)
          await tx`UPDATE unit_day SET time_s = time_s + 7, visits = visits + 1
                   WHERE learner = ${BOB} AND day = '2025-03-10'`;
          await tx`UPDATE learner_day SET time_s = time_s + 7, visits = visits + 1
                   WHERE learner = ${BOB} AND day = '2025-03-10'`;
          await tx`DELETE FROM learner_day WHERE learner = ${BOB} AND day = '2025-03-11'`;
          await buildRollups(tx, C, [BOB], '2025-03-10');
          expect(
            await tx`SELECT time_s FROM rollup_days WHERE course_id = ${C} AND day = '2025-03-01'`,
          ).toEqual([{ time_s: -1 }]);
          await tx`UPDATE rollup_days SET time_s = ${kept!.time_s}
                   WHERE course_id = ${C} AND day = '2025-03-01'`;
        },
        async (tx) => {
          const incremental = await rollupTables(tx);
          expect(incremental.rollup_days).not.toContainEqual(
            expect.objectContaining({ day: new Date('2025-03-11T00:00:00Z') }),
          );
          await buildRollups(tx, C);
          expect(incremental).toEqual(await rollupTables(tx));
        },
      );
    });

    it('recompute every learner when the course has no per-learner rollups (a crash, an upgrade)', async () => {
      await withRows(
        async (tx) => {
          await buildRollups(tx, C);
          // what a crash leaves of the UNLOGGED tables
          await tx`DELETE FROM rollup_learner_units`;
          await tx`DELETE FROM rollup_learner_videos`;
          await tx`DELETE FROM rollup_video_durations`;
          await tx`DELETE FROM rollup_courses`;
          await buildRollups(tx, C, [BOB]);
        },
        async (tx) => {
          const incremental = await rollupTables(tx);
          await buildRollups(tx, C);
          expect(incremental).toEqual(await rollupTables(tx));
        },
      );
    });

    it('are set aside by any later write to the facts, the exclusions, the structure or a username', async () => {
      for (const write of [
        (tx: TransactionSql) => tx`DELETE FROM learner_day WHERE learner = ${HAL}`,
        (tx: TransactionSql) => tx`UPDATE video_event_extents SET max_duration = 10`,
        (tx: TransactionSql) => tx`DELETE FROM excluded_learners`,
        (tx: TransactionSql) => tx`UPDATE course_blocks SET active = false WHERE block_id = 'p1'`,
        (tx: TransactionSql) => tx`UPDATE learners SET username = 'ada2' WHERE learner = ${ADA}`,
      ]) {
        await withRows(
          async (tx) => {
            await buildRollups(tx, C);
            await write(tx);
          },
          async (tx) => {
            expect(await tx`SELECT course_id FROM rollup_state`).toEqual([]);
            // the facts answer, as they would without rollups
            const facts = await overview(tx, WHOLE);
            await buildRollups(tx, C);
            expect(await overview(tx, WHOLE)).toEqual(facts);
          },
        );
      }
    });
  });

  it('courseStructure: the active tree with video durations', async () => {
    const result = await courseStructure(sql, C);
    expect(result?.course_id).toBe(C);
    expect(result?.name).toBe('Statistics');
    expect(result?.chapters.map((c) => [c.label, c.sequentials.map((s) => s.label)])).toEqual([
      ['1', ['1.1', '1.2']],
      ['2', ['2.1']],
    ]);
    const sq2 = result?.chapters[0]?.sequentials[1];
    expect(sq2).toEqual({
      id: key('sequential', 'sq2'),
      label: '1.2',
      name: 'Name sq2',
      units: [
        {
          id: U('u3'),
          label: '1.2.1',
          name: 'Name u3',
          components: [{ id: V('v2'), type: 'video', name: 'Name v2', duration: 60 }],
        },
      ],
    });
    expect(result?.chapters[0]?.sequentials[0]?.units[0]?.components).toEqual([
      { id: V('v1'), type: 'video', name: 'Name v1', duration: 100 },
      { id: key('problem', 'p1'), type: 'problem', name: 'Name p1' },
      { id: key('discussion', 'd1'), type: 'discussion', name: 'Name d1' },
    ]);
    // leaves inside a container belong to the unit
    expect(result?.chapters[0]?.sequentials[0]?.units[1]?.components.map((c) => c.type)).toEqual([
      'html',
      'problem',
      'problem',
    ]);
    expect(await courseStructure(sql, D)).toBeNull();
  });

  it('courseSummaries: courses with activity or a structure', async () => {
    expect(await courseSummaries(sql)).toEqual([
      {
        course_id: D,
        name: null,
        learners: 2, // staff is excluded from C only
        first_event: '2025-03-01T10:00:00.000Z',
        last_event: '2025-03-02T10:00:10.000Z',
        first_day: '2025-03-01',
        last_day: '2025-03-02',
        last_processed: null,
        data_version: 0,
      },
      {
        course_id: C,
        name: 'Statistics',
        learners: 6, // ada, bob, cy_1, cyx1, ghost, hal
        first_event: '2025-02-15T06:00:00.000Z',
        last_event: '2025-03-11T07:30:00.000Z',
        first_day: '2025-02-15',
        last_day: '2025-03-11',
        last_processed: '2025-03-12T00:00:00.000Z',
        data_version: 3,
      },
    ]);
    expect((await courseSummaries(sql, [C])).map((c) => c.course_id)).toEqual([C]);
    expect(await courseSummaries(sql, [])).toEqual([]);
    expect(await courseSummaries(sql, ['course-v1:No+Such+Course'])).toEqual([]);
  });
});
