// The analytics-pipeline's video_timeline.log (legacy course id, legacy i4x- video ids, seeks
// with stale currentTime) through load and process, against what its comments state and the
// viewings derived by hand from kpis.md §8.
import path from 'node:path';
import { videoTimeline, videos } from '@course-stats/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/database.ts';
import { loadSources } from '../../src/ingest/load.ts';
import { DEFAULT_KPI_SETTINGS, processCourses } from '../../src/kpis/index.ts';
import { storeStructure } from '../../src/structure/index.ts';

const FILE = path.resolve(
  import.meta.dirname,
  '../../../../shared/fixtures/tracking-logs/analytics-pipeline/video_timeline.log',
);

// The log's events name `edX/DemoX/Demo_Course`, the legacy form of this id. The events of
// `course-v1:edX+DemoX+Test_2014` and `...Test_2015` belong to other courses (no structure).
const DEMO = 'course-v1:edX+DemoX+Demo_Course';
const usage = (type: string, id: string) =>
  `block-v1:edX+DemoX+Demo_Course+type@${type}+block@${id}`;
/** i4x-edX-DemoX-video-3cb54a11efae4ccc8a0aade24d14b255: no duration in the structure. */
const MAIN = '3cb54a11efae4ccc8a0aade24d14b255';
/** i4x-edX-DemoX-video-8c0028eb2a724f48a074bc184cd8635f ("same course, different module"): 30 s. */
const OTHER = '8c0028eb2a724f48a074bc184cd8635f';
const DAY = '2014-05-02';

/** A Course Blocks API answer: two chapters, one sequential and one unit each, a video each. */
function demoStructure(): unknown {
  const blocks: Record<string, unknown> = {};
  const add = (type: string, id: string, children: string[] = [], extra = {}) => {
    const key = usage(type, id);
    blocks[key] = {
      id: key,
      block_id: id,
      type,
      display_name: `${type} ${id}`,
      ...(children.length > 0 ? { children } : {}),
      ...extra,
    };
    return key;
  };
  const chapter = (chapterId: string, sequentialId: string, unitId: string, video: string) =>
    add('chapter', chapterId, [
      add('sequential', sequentialId, [add('vertical', unitId, [video])]),
    ]);
  const root = add('course', 'course', [
    chapter(
      '0b00125535c042e2a29385a31151f720',
      '93cbaf77d8ea48a78e473367696415e4',
      'unit_main',
      add('video', MAIN),
    ),
    chapter(
      'd8a6192ade314473a78242dfeedfbf5b',
      'edx_introduction',
      'unit_intro',
      add('video', OTHER, [], { student_view_data: { duration: 30 } }),
    ),
  ]);
  return { root, blocks };
}

describe('video_timeline.log (kpis.md §8)', () => {
  let db: TestDatabase;
  let viewings: unknown[][];

  beforeAll(async () => {
    db = await createTestDatabase();
    await storeStructure(db.sql, demoStructure(), 'test');
    const summary = await loadSources(db.sql, [FILE], {});
    expect(summary.files.failed).toBe(0);
    expect(summary.lines.stored).toBe(18);
    await processCourses(db.sql, DEFAULT_KPI_SETTINGS);
    viewings = (
      await db.sql.unsafe(`
        SELECT v.learner::int AS user_id, b.block_id, v.day::text AS day, v.start_pos, v.end_pos
        FROM valid_video_viewings v
        JOIN course_blocks b ON b.course_id = v.course_id AND b.usage_key = v.video_key
        WHERE v.course_id = '${DEMO}'
        ORDER BY v.learner, v.start_time`)
    ).map((r) => [r.user_id, r.block_id, r.day, r.start_pos, r.end_pos]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('builds the viewings derived from the rules, in the legacy course, for known videos only', async () => {
    // user 1: play 0 → seek (old 14.234121, new 7.345): [0, 14.234121]; play (7.345, after the
    // seek: new_time 7.345) → seek (old 14.234121, new 17): [7.345, 14.234121]; play reporting a
    // stale 14 after the seek to 17 → pause 21.4: [17, 21.4]; play 21.4 → pause 24.9.
    // Later, in another session, the other video: [10, 20].
    expect(viewings).toEqual([
      [10001, MAIN, DAY, 0, 14.234121],
      [10001, MAIN, DAY, 7.345, 14.234121],
      [10001, MAIN, DAY, 17, 21.4],
      [10001, MAIN, DAY, 21.4, 24.9],
      [10001, OTHER, DAY, 10, 20],
      [10002, MAIN, DAY, 0, 9.9],
      [10003, MAIN, DAY, 15.3, 24.9],
    ]);
    // Videos of the other courses are in no structure: they count nowhere.
    expect(
      (await db.sql`SELECT DISTINCT course_id FROM video_viewings`).map((r) => r.course_id),
    ).toEqual([DEMO]);
  });

  it('gives the viewings per 5-second segment the comments of the file state', () => {
    const segments = (user: number) =>
      [0, 1, 2, 3, 4].map(
        (k) =>
          viewings.filter(
            ([u, video, , start, end]) =>
              u === user &&
              video === MAIN &&
              (start as number) < 5 * k + 5 &&
              (end as number) > 5 * k,
          ).length,
      );
    expect(segments(10001)).toEqual([1, 2, 2, 1, 2]);
    expect(segments(10002)).toEqual([1, 1, 0, 0, 0]);
    expect(segments(10003)).toEqual([0, 0, 0, 1, 1]);
  });

  it('gives the per-second timeline', async () => {
    // Per second (ceil(a − 0.5) ≤ s < b − 0.5), duration 24.9 (largest position seen):
    // u1 [0, 14.23] 0-13, [7.345, 14.23] 7-13, [17, 21.4] 17-20, [21.4, 24.9] 21-24;
    // u2 [0, 9.9] 0-9; u3 [15.3, 24.9] 15-24.
    const expected = Array.from({ length: 25 }, (_, s) => {
      const [viewers, views] =
        s <= 6
          ? [2, 2]
          : s <= 9
            ? [2, 3]
            : s <= 13
              ? [1, 2]
              : s === 14
                ? [0, 0]
                : s <= 16
                  ? [1, 1]
                  : [2, 2];
      return { s, viewers, views, repeats: views - viewers };
    });
    const timeline = await videoTimeline(db.sql, {
      courseId: DEMO,
      videoKey: usage('video', MAIN),
      from: DAY,
      to: DAY,
    });
    expect(timeline).toEqual({ duration: 24.9, seconds: expected });
  });

  it('gives views, viewers, watch time and coverage per video', async () => {
    const rows = Object.fromEntries(
      (await videos(db.sql, { courseId: DEMO, from: DAY, to: DAY })).map((r) => [
        r.id.split('@').pop(),
        r,
      ]),
    );
    const main = rows[MAIN]!;
    expect([main.duration, main.views, main.viewers, main.completed_viewers]).toEqual([
      24.9, 6, 3, 0,
    ]);
    expect(main.watch_s).toBeCloseTo(14.234121 + 6.889121 + 4.4 + 3.5 + 9.9 + 9.6, 9);
    // coverage: u1 (14.234121 + 7.9) / 24.9 (< 0.9), u2 9.9 / 24.9, u3 9.6 / 24.9
    expect(main.mean_coverage).toBeCloseTo((14.234121 + 7.9 + 9.9 + 9.6) / 24.9 / 3, 9);
    const other = rows[OTHER]!;
    expect([other.duration, other.views, other.viewers, other.watch_s]).toEqual([30, 1, 1, 10]);
    expect(other.mean_coverage).toBeCloseTo(1 / 3, 12);
  });
});
