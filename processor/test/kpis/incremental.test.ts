import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test-support/database.ts';
import { generateCourse, type GenerateSummary } from '../../src/generate/index.ts';
import { loadSources } from '../../src/ingest/load.ts';
import { DEFAULT_KPI_SETTINGS, processCourses, type KpiSettings } from '../../src/kpis/index.ts';
import { storeStructure } from '../../src/structure/index.ts';

// Every run here keeps the per-event rows (event_credits), so that they are compared too.
const KEEP = { keepEventCredits: true };

// Every table `process` writes, each read in one stable order, floats rounded (sums of the
// same credits added in another order may differ in the last bits).
const FACT_QUERIES: Record<string, string> = {
  session_places: `SELECT course_id, learner, session_start, day, place,
      round(time_s::numeric, 6) AS time_s, visits, starts_session, first_time, last_time, last_event
      FROM session_places ORDER BY course_id, learner, session_start, day, place NULLS FIRST`,
  event_credits: `SELECT course_id, learner, time, file_id, line_no, session_start, day, own_place,
      place, round(credit_s::numeric, 6) AS credit_s,
      visit FROM event_credits ORDER BY course_id, learner, time, file_id, line_no`,
  unit_day: `SELECT course_id, unit_key, learner, day, round(time_s::numeric, 6) AS time_s, visits
      FROM unit_day ORDER BY 1, 2, 3, 4`,
  page_day: `SELECT course_id, page_kind, learner, day, round(time_s::numeric, 6) AS time_s
      FROM page_day ORDER BY 1, 2, 3, 4`,
  learner_day: `SELECT course_id, learner, day, round(time_s::numeric, 6) AS time_s, sessions,
      visits, first_time, last_time FROM learner_day ORDER BY 1, 2, 3`,
  video_viewings: `SELECT * FROM video_viewings ORDER BY course_id, learner, start_time, video_key,
      start_pos, end_pos`,
  video_event_extents: `SELECT * FROM video_event_extents ORDER BY 1, 2`,
  completions: `SELECT * FROM completions ORDER BY 1, 2, 3`,
  learner_randomized_blocks: `SELECT * FROM learner_randomized_blocks ORDER BY 1, 2, 3`,
  enrollment_changes: `SELECT * FROM enrollment_changes ORDER BY 1, 2, 3, 4, 5`,
  excluded_learners: `SELECT * FROM excluded_learners ORDER BY 1, 2`,
  learner_names: `SELECT * FROM learner_names ORDER BY 1`,
  // the rollups of the read models (60_rollups.sql)
  rollup_state: `SELECT course_id, first_day, last_day, enrollment_last_day,
      completion_excluded_types, active_learners, enrolled_learners,
      round(time_s::numeric, 6) AS time_s, visits, sessions, video_views,
      round(video_watch_s::numeric, 6) AS video_watch_s FROM rollup_state ORDER BY 1`,
  rollup_days: `SELECT course_id, day, active_learners, round(time_s::numeric, 6) AS time_s, visits,
      round(video_watch_s::numeric, 6) AS video_watch_s FROM rollup_days ORDER BY 1, 2`,
  rollup_groups: `SELECT course_id, level, group_key, course_order, label, name, chapter_key,
      sequential_key, round(time_s::numeric, 6) AS time_s, visits, visitors, learners_with_time,
      round(mean_time_s::numeric, 6) AS mean_time_s, round(sd_time_s::numeric, 6) AS sd_time_s,
      completed_learners, components FROM rollup_groups ORDER BY 1, 2, 3`,
  rollup_videos: `SELECT course_id, video_key, course_order, label, name, duration, views, viewers,
      round(watch_s::numeric, 6) AS watch_s, completed_viewers,
      round(mean_coverage::numeric, 9) AS mean_coverage FROM rollup_videos ORDER BY 1, 2`,
  rollup_learners: `SELECT course_id, learner, enrolled, round(time_s::numeric, 6) AS time_s,
      sessions, visits, active_days, first_active, last_active, last_day, units_visited,
      units_completed, videos_completed, completable FROM rollup_learners ORDER BY 1, 2`,
  rollup_learner_units: `SELECT course_id, learner, unit_order, round(time_s::numeric, 6) AS time_s,
      visits, first_day, last_day, done_day, random_only FROM rollup_learner_units ORDER BY 1, 2, 3`,
  rollup_learner_videos: `SELECT course_id, learner, video_key, views,
      round(watch_s::numeric, 6) AS watch_s, first_day, last_day,
      round(coverage::numeric, 9) AS coverage FROM rollup_learner_videos ORDER BY 1, 2, 3`,
  rollup_video_durations: `SELECT * FROM rollup_video_durations ORDER BY 1, 2`,
  rollup_courses: `SELECT * FROM rollup_courses ORDER BY 1`,
  rollup_excluded: `SELECT * FROM rollup_excluded ORDER BY 1, 2`,
};

async function snapshot(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, query] of Object.entries(FACT_QUERIES)) {
    result[table] = (await db.sql.unsafe(query)).map((row) => ({ ...row }));
  }
  return result;
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('incremental processing (issue: process = process --full)', () => {
  let folder: string;
  let course: GenerateSummary;
  let lines: string[];

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'kpi-incremental-'));
    course = await generateCourse(path.join(folder, 'course'), {
      learners: 40,
      days: 8,
      seed: 5,
      courseId: 'course-v1:Inc+K1+2025',
    });
    lines = [];
    for (const file of course.logFiles) {
      lines.push(
        ...gunzipSync(await readFile(file))
          .toString('utf8')
          .split('\n')
          .filter(Boolean),
      );
    }
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /**
   * Loads the course's lines cut into `batches` pieces at random points (so sessions run across
   * the pieces), the pieces in shuffled order, processing after each one; then returns the facts
   * and those of `process --full` over the same database.
   */
  async function incrementalThenFull(
    batches: number,
    seed: number,
    settings: KpiSettings = DEFAULT_KPI_SETTINGS,
  ) {
    const db = await createTestDatabase();
    try {
      const blocks = JSON.parse(await readFile(course.blocksFile, 'utf8'));
      await storeStructure(db.sql, blocks, 'test');
      const cuts = shuffled(
        Array.from({ length: lines.length - 1 }, (_, i) => i + 1),
        seed,
      )
        .slice(0, batches - 1)
        .sort((a, b) => a - b);
      const pieces = [0, ...cuts].map((start, i) => lines.slice(start, [...cuts, lines.length][i]));
      for (const [i, piece] of shuffled(pieces, seed + 1).entries()) {
        const file = path.join(folder, `batch-${seed}-${i}`, 'tracking.log');
        await mkdir(path.dirname(file));
        await writeFile(file, `${piece.join('\n')}\n`);
        await loadSources(db.sql, [file]);
        await processCourses(db.sql, settings, KEEP);
      }
      const incremental = await snapshot(db);
      const summary = await processCourses(db.sql, settings, { ...KEEP, full: true });
      const full = await snapshot(db);
      return { db, incremental, full, summary };
    } catch (error) {
      await db.drop();
      throw error;
    }
  }

  it('gives exactly the facts of a full run, after batches loaded in shuffled order', async () => {
    for (const seed of [1, 2]) {
      const { db, incremental, full } = await incrementalThenFull(5, seed);
      try {
        expect(full.event_credits!.length).toBeGreaterThan(4000);
        expect(full.session_places!.length).toBeGreaterThan(500);
        expect(full.unit_day!.length).toBeGreaterThan(100);
        expect(full.video_viewings!.length).toBeGreaterThan(50);
        expect(full.completions!.length).toBeGreaterThan(50);
        for (const table of Object.keys(FACT_QUERIES)) {
          expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
        }
      } finally {
        await db.drop();
      }
    }
  });

  // Incremental runs read each learner's rows from 48 hours before the cut, for the local days
  // from the cut's day on: in a time zone 14 hours ahead of UTC too.
  it('gives exactly the facts of a full run in a time zone far from UTC', async () => {
    const settings = { ...DEFAULT_KPI_SETTINGS, timeZone: 'Pacific/Kiritimati' };
    const { db, incremental, full } = await incrementalThenFull(5, 7, settings);
    try {
      expect(full.unit_day!.length).toBeGreaterThan(100);
      for (const table of Object.keys(FACT_QUERIES)) {
        expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
      }
    } finally {
      await db.drop();
    }
  });

  it("recomputes every learner's unit rollups when the completion types change, without new data", async () => {
    const { db, full } = await incrementalThenFull(2, 9);
    try {
      const html = { ...DEFAULT_KPI_SETTINGS, completionExcludedTypes: ['html', 'discussion'] };
      const summary = await processCourses(db.sql, html, KEEP);
      expect(summary.courses).toEqual([expect.objectContaining({ full: false })]);
      const changed = await snapshot(db);
      expect(changed.rollup_learner_units).not.toEqual(full.rollup_learner_units);
      expect(await db.sql`SELECT completion_excluded_types FROM rollup_state`).toEqual([
        { completion_excluded_types: ['discussion', 'html'] },
      ]);
      await processCourses(db.sql, html, { ...KEEP, full: true });
      expect(changed).toEqual(await snapshot(db));
    } finally {
      await db.drop();
    }
  });

  it('recomputes every course in full after a crash emptied the unlogged session rows', async () => {
    const { db, full } = await incrementalThenFull(2, 4);
    try {
      // What a crash does to UNLOGGED tables: they come back empty.
      await db.sql`TRUNCATE session_places, event_credits, process_sentinel`;
      const summary = await processCourses(db.sql, DEFAULT_KPI_SETTINGS, KEEP);
      expect(summary.courses).toEqual([
        expect.objectContaining({
          course_id: 'course-v1:Inc+K1+2025',
          full: true,
          reason: 'session rows lost in a database crash',
        }),
      ]);
      expect(await snapshot(db)).toEqual(full);
      expect((await processCourses(db.sql, DEFAULT_KPI_SETTINGS, KEEP)).courses).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('rebuilds the facts of a day range (--from/--to) as a full run has them', async () => {
    const { db, full } = await incrementalThenFull(1, 6);
    try {
      // What a range run is for: facts of some days that are wrong (here: gone).
      const [from, to] = ['2025-09-04', '2025-09-05'];
      for (const table of ['unit_day', 'page_day', 'learner_day', 'completions']) {
        await db.sql`DELETE FROM ${db.sql(table)} WHERE day BETWEEN ${from} AND ${to}`;
      }
      await db.sql`DELETE FROM video_viewings WHERE start_time::date BETWEEN ${from} AND ${to}`;
      expect(await snapshot(db)).not.toEqual(full);

      const [active] = await db.sql<{ learners: number; all: number }[]>`
        SELECT count(DISTINCT learner) FILTER (WHERE day BETWEEN ${from} AND ${to})::int AS learners,
               count(DISTINCT learner)::int AS all
        FROM session_places`;
      const summary = await processCourses(db.sql, DEFAULT_KPI_SETTINGS, {
        ...KEEP,
        days: { from, to },
      });
      expect(summary.courses).toEqual([
        expect.objectContaining({ full: false, learners: active!.learners, to_day: '2025-09-08' }),
      ]);
      expect(active!.learners).toBeLessThan(active!.all);
      expect(summary.courses[0]!.from_day! <= from).toBe(true);
      expect(await snapshot(db)).toEqual(full);

      // Open-ended: from a day on, and up to a day.
      const later = await processCourses(db.sql, DEFAULT_KPI_SETTINGS, {
        ...KEEP,
        days: { from: '2025-09-08' },
      });
      expect(later.courses[0]).toMatchObject({ from_day: '2025-09-08', to_day: '2025-09-08' });
      const earlier = await processCourses(db.sql, DEFAULT_KPI_SETTINGS, {
        ...KEEP,
        days: { to: '2025-09-01' },
      });
      expect(earlier.courses[0]).toMatchObject({ from_day: '2025-09-01', to_day: '2025-09-08' });
      expect(await snapshot(db)).toEqual(full);
    } finally {
      await db.drop();
    }
  });

  it('conserves time: units + page kinds + unplaced = the total, per learner and day', async () => {
    const { db } = await incrementalThenFull(1, 3);
    try {
      const mismatches = await db.sql`
        SELECT d.learner, d.day, d.time_s, coalesce(u.time_s, 0) + coalesce(p.time_s, 0) AS parts
        FROM learner_day d
        LEFT JOIN (SELECT learner, day, sum(time_s) AS time_s FROM unit_day GROUP BY 1, 2) u
          USING (learner, day)
        LEFT JOIN (SELECT learner, day, sum(time_s) AS time_s FROM page_day GROUP BY 1, 2) p
          USING (learner, day)
        WHERE abs(d.time_s - coalesce(u.time_s, 0) - coalesce(p.time_s, 0)) > 1e-6`;
      expect(mismatches).toEqual([]);
      const [totals] = await db.sql<{ learners: number; time_s: number; credits: number }[]>`
        SELECT (SELECT count(DISTINCT learner) FROM learner_day)::int AS learners,
               (SELECT sum(time_s) FROM learner_day) AS time_s,
               (SELECT sum(credit_s) FROM event_credits) AS credits`;
      expect(totals!.learners).toBeGreaterThan(30);
      expect(totals!.time_s).toBeCloseTo(totals!.credits, 3);
    } finally {
      await db.drop();
    }
  });
});
