// Pieces of SQL the read models share, so that each rule of kpis.md is written once. Each is a
// postgres.js fragment (values travel as parameters) that a query nests into its one statement.
import type postgres from 'postgres';
import type { Queryable } from '../connect.ts';

export type Fragment = postgres.Fragment;

/**
 * True for a row whose learner (by default the column `f.learner`) is not in excluded_learners
 * for the course (kpis.md §3). Every read of a fact goes through this.
 */
export function notExcluded(
  sql: Queryable,
  courseId: string,
  learner: Fragment = sql`f.learner`,
): Fragment {
  return sql`NOT EXISTS (
    SELECT 1 FROM excluded_learners x WHERE x.course_id = ${courseId} AND x.learner = ${learner})`;
}

/**
 * A query with one row per non-excluded learner that has an enrollment change or activity on or
 * before `to` (kpis.md §9): `learner`, `enrolled` (the latest enrollment change on or before `to`
 * decides; without one, a learner with activity is enrolled), `first_active` and `last_active`
 * (first and last activity on or before `to`, NULL when none). The learners list is the rows
 * with `enrolled OR first_active IS NOT NULL`.
 */
export function learnerStatus(sql: Queryable, courseId: string, to: string): Fragment {
  return sql`
    SELECT learner,
           coalesce(e.active, a.first_active IS NOT NULL) AS enrolled,
           a.first_active,
           a.last_active
    FROM (
      SELECT DISTINCT ON (f.learner) f.learner, f.active
      FROM enrollment_changes f
      WHERE f.course_id = ${courseId} AND f.day <= ${to}::date AND ${notExcluded(sql, courseId)}
      ORDER BY f.learner, f.time DESC, f.file_id DESC, f.line_no DESC
    ) e
    FULL JOIN (
      SELECT f.learner, min(f.first_time) AS first_active, max(f.last_time) AS last_active
      FROM learner_day f
      WHERE f.course_id = ${courseId} AND f.day <= ${to}::date AND ${notExcluded(sql, courseId)}
      GROUP BY f.learner
    ) a USING (learner)`;
}

/**
 * Common table expressions of completion by `to` (kpis.md §2, §7), to put after WITH:
 * - countable (unit_key, usage_key, randomized): the active components of active units whose
 *   type counts for completion;
 * - unit_fixed (unit_key, n): per unit with countable components, how many are not randomized
 *   (they count for every learner; a unit with n = 0 is completable only through randomized
 *   components a learner saw);
 * - learner_random (learner, unit_key, n): randomized countable components a learner had an event
 *   on (they count for that learner only);
 * - learner_done (learner, unit_key, n): countable components (for that learner) completed on or
 *   before `to`;
 * - completed_units (learner, unit_key): units whose every countable component (for that learner)
 *   is completed; a unit with none is never completed. Read from the processor's per-learner
 *   rollups (rollup_learner_units.done_day) when they are current and count the same types.
 * `learners`, a query of learner keys (it may read CTEs defined before these), limits the
 * per-learner CTEs to those learners.
 */
export function completionCtes(
  sql: Queryable,
  courseId: string,
  to: string,
  excludedTypes: readonly string[],
  learners?: Fragment,
): Fragment {
  const chosen = () => (learners ? sql`AND f.learner IN (${learners})` : sql``);
  return sql`
    countable AS (
      SELECT c.unit_key, c.usage_key, c.randomized
      FROM course_blocks c
      JOIN course_blocks u
        ON u.course_id = c.course_id AND u.usage_key = c.unit_key AND u.kind = 'unit' AND u.active
      WHERE c.course_id = ${courseId} AND c.kind = 'component' AND c.active
        AND c.block_type <> ALL (${textArray(sql, excludedTypes)})
    ),
    unit_fixed AS (
      SELECT unit_key, count(*) FILTER (WHERE NOT randomized) AS n FROM countable GROUP BY unit_key
    ),
    learner_random AS (
      SELECT f.learner, c.unit_key, count(*) AS n
      FROM learner_randomized_blocks f
      JOIN countable c ON c.usage_key = f.block_key AND c.randomized
      WHERE f.course_id = ${courseId} AND ${notExcluded(sql, courseId)} ${chosen()}
      GROUP BY f.learner, c.unit_key
    ),
    learner_done AS (
      SELECT f.learner, c.unit_key, count(*) AS n
      FROM completions f
      JOIN countable c ON c.usage_key = f.block_key
      WHERE f.course_id = ${courseId} AND f.day <= ${to}::date AND ${notExcluded(sql, courseId)}
        ${chosen()}
        AND (NOT c.randomized OR EXISTS (
          SELECT 1 FROM learner_randomized_blocks r
          WHERE r.course_id = ${courseId} AND r.learner = f.learner AND r.block_key = c.usage_key))
      GROUP BY f.learner, c.unit_key
    ),
    -- the processor's per-learner rollups, when current and counting the same types, hold the
    -- day each learner completed each unit: completed by the range's end is that day or before
    completion_rollups AS (
      SELECT EXISTS (
        SELECT 1 FROM rollup_state s
        WHERE s.course_id = ${courseId}
          AND s.completion_excluded_types = ${typeSet(sql, excludedTypes)}) AS current
    ),
    completed_units AS (
      SELECT d.learner, d.unit_key
      FROM learner_done d
      JOIN unit_fixed u ON u.unit_key = d.unit_key
      LEFT JOIN learner_random r ON r.learner = d.learner AND r.unit_key = d.unit_key
      WHERE d.n = u.n + coalesce(r.n, 0) AND NOT (SELECT current FROM completion_rollups)
      UNION ALL
      SELECT f.learner, u.usage_key
      FROM rollup_learner_units f
      JOIN course_blocks u ON u.course_id = f.course_id AND u.kind = 'unit' AND u.active
        AND u.unit_order = f.unit_order
      WHERE (SELECT current FROM completion_rollups) AND f.course_id = ${courseId}
        AND f.done_day <= ${to}::date AND ${notExcluded(sql, courseId)} ${chosen()}
    )`;
}

/**
 * Common table expressions of video coverage at `to` (kpis.md §8), to put after WITH:
 * - coverage (learner, video_key, coverage): the length of the union of the learner's valid
 *   viewings that start on or before `to`, over the video's duration, at most 1; NULL when the
 *   duration is unknown. Overlapping viewings are merged with window functions: a viewing
 *   starts a new island when it starts after every earlier one (in start order) has ended.
 *   Read from the processor's per-learner rollups (rollup_learner_videos.coverage) when they are
 *   current and `to` is on or after the course's last day of facts.
 * `learners`, a query of learner keys, limits it to those learners.
 */
export function coverageCtes(
  sql: Queryable,
  courseId: string,
  to: string,
  learners?: Fragment,
): Fragment {
  return sql`
    coverage_flagged AS (
      SELECT f.learner, f.video_key, f.start_pos, f.end_pos,
             CASE WHEN f.start_pos <= max(f.end_pos) OVER (
                    PARTITION BY f.learner, f.video_key ORDER BY f.start_pos, f.end_pos
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                  THEN 0 ELSE 1 END AS starts_island
      FROM valid_video_viewings f
      WHERE f.course_id = ${courseId} AND f.day <= ${to}::date AND ${notExcluded(sql, courseId)}
        ${learners ? sql`AND f.learner IN (${learners})` : sql``}
    ),
    coverage_islands AS (
      SELECT learner, video_key, min(start_pos) AS lo, max(end_pos) AS hi
      FROM (
        -- the default frame (RANGE) gives equal viewings the same island
        SELECT learner, video_key, start_pos, end_pos,
               sum(starts_island) OVER (
                 PARTITION BY learner, video_key ORDER BY start_pos, end_pos) AS island
        FROM coverage_flagged
      ) i
      GROUP BY learner, video_key, island
    ),
    -- when the range ends on or after the last day of the course's facts, coverage at its end is
    -- coverage over every viewing: the processor's per-learner rollups hold it while current
    coverage_rollups AS (
      SELECT EXISTS (
        SELECT 1 FROM rollup_state s WHERE ${rollupAnswers(sql, courseId, { to })}
      ) AS current
    ),
    coverage AS (
      SELECT i.learner, i.video_key,
             -- least() ignores NULL: an unknown duration must give NULL, not 1
             CASE WHEN d.duration > 0 THEN least(1, sum(i.hi - i.lo) / d.duration) END AS coverage
      FROM coverage_islands i
      LEFT JOIN video_durations d ON d.course_id = ${courseId} AND d.video_key = i.video_key
      WHERE NOT (SELECT current FROM coverage_rollups)
      GROUP BY i.learner, i.video_key, d.duration
      UNION ALL
      SELECT f.learner, f.video_key, f.coverage
      FROM rollup_learner_videos f
      WHERE (SELECT current FROM coverage_rollups) AND f.course_id = ${courseId}
        AND ${notExcluded(sql, courseId)}
        ${learners ? sql`AND f.learner IN (${learners})` : sql``}
    )`;
}

/** A subquery with one row (`day`, a date) per day of the range, in order. */
export function rangeDays(sql: Queryable, from: string, to: string): Fragment {
  return sql`(SELECT ${from}::date + i AS day FROM generate_series(0, ${to}::date - ${from}::date) i)`;
}

/** The column of a unit's row in course_blocks (aliased `u`) that names its group of a level. */
export function groupKey(sql: Queryable, group: 'unit' | 'sequential' | 'chapter'): Fragment {
  if (group === 'sequential') return sql`u.sequential_key`;
  if (group === 'chapter') return sql`u.chapter_key`;
  return sql`u.usage_key`;
}

/** Completion types as rollup_state stores them: each once, sorted. */
function typeSet(sql: Queryable, types: readonly string[]): Fragment {
  return textArray(sql, [...new Set(types)].sort());
}

/**
 * A text[] parameter (also when empty), sent as an array literal: postgres.js cannot serialize a
 * JS array in the first query of a new connection (it learns the array types only when that
 * connection opens), so the literal is written here and the server parses it.
 */
export function textArray(sql: Queryable, values: readonly string[]): Fragment {
  const literal = `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  return sql`${literal}::text[]`;
}

/** `username` contains `q`, case-insensitively, with LIKE's wildcards taken literally. */
export function usernameContains(
  sql: Queryable,
  column: Fragment,
  q: string | undefined,
): Fragment {
  if (q === undefined || q === '') return sql`true`;
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} ILIKE ${pattern} ESCAPE '\\'`;
}

/** An ISO 8601 string of a timestamptz expression, as Date.toISOString writes it. */
export function isoTime(sql: Queryable, expression: Fragment): Fragment {
  return sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Throws a RangeError unless page and pageSize are positive integers. */
export function checkPage(page: number, pageSize: number): void {
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError('pageSize must be a positive integer');
  }
}

/**
 * True for the row `s` of rollup_state (db/migrations/0006_read_rollups.sql) when the course's
 * rollups are current and answer this range: it covers the whole history of the course's facts
 * (`from` on or before its first day, `to` on or after its last), and, as asked, every
 * enrollment change is on or before `to` and the rollups' completion counts the same component
 * types. A read model reads the rollups only then, and the facts otherwise. Without `from`, only
 * the end is checked: for what is cumulative by `to` (completion, coverage), the rollups' values
 * are the values at any `to` on or after the last day of facts.
 */
export function rollupAnswers(
  sql: Queryable,
  courseId: string,
  { from, to }: { from?: string; to: string },
  {
    enrollment = false,
    completionExcludedTypes,
  }: {
    enrollment?: boolean;
    completionExcludedTypes?: readonly string[];
  } = {},
): Fragment {
  const types = completionExcludedTypes
    ? sql`AND s.completion_excluded_types = ${typeSet(sql, completionExcludedTypes)}`
    : sql``;
  return sql`s.course_id = ${courseId}
    ${from === undefined ? sql`` : sql`AND s.first_day >= ${from}::date`}
    AND s.last_day <= ${to}::date
    ${enrollment ? sql`AND coalesce(s.enrollment_last_day <= ${to}::date, true)` : sql``}
    ${types}`;
}
