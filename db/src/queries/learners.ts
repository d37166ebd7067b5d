// Per-learner numbers (kpis.md §9): the learners list, one learner's detail and the learner ×
// unit matrix, from learner_day, unit_day, completions and valid_video_viewings. The learners of
// a course at `to` are those enrolled at `to` or with activity on or before `to`, never excluded
// ones. The list, for a range covering the course's whole history, reads the processor's
// rollup_learners instead.
import type { Queryable } from '../connect.ts';
import {
  checkPage,
  completionCtes,
  coverageCtes,
  groupKey,
  isoTime,
  learnerStatus,
  notExcluded,
  rollupAnswers,
  usernameContains,
  type Fragment,
} from './fragments.ts';
import {
  LEARNER_SORT_COLUMNS,
  type CompletionSettings,
  type CourseRange,
  type LearnerDetail,
  type LearnerRow,
  type LearnerSort,
  type LearnersPage,
  type Matrix,
  type MatrixGroup,
  type MatrixMetric,
  type SortOrder,
} from './types.ts';

export interface LearnersParams extends CourseRange, CompletionSettings {
  /** Keep usernames containing this, case-insensitively (LIKE wildcards are literal). */
  q?: string;
  /** A column of the row (default `username`); ties go by username, then learner. */
  sort?: LearnerSort;
  order?: SortOrder;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/**
 * Common table expressions ending in `learner_rows`: the LearnerRow of every learner that the
 * query `chosen` (one column, learner) names, plus the `learner` key. Also defines `status`
 * (learnerStatus), which `chosen` may read, and the CTEs of completionCtes and coverageCtes.
 */
function learnerRowsCtes(
  sql: Queryable,
  { courseId, from, to, completionExcludedTypes }: CourseRange & CompletionSettings,
  chosen: Fragment,
): Fragment {
  const listed = () => sql`SELECT learner FROM listed`;
  return sql`
    status AS (${learnerStatus(sql, courseId, to)}),
    chosen AS (${chosen}),
    listed AS (
      SELECT c.learner, coalesce(s.enrolled, false) AS enrolled, s.first_active, s.last_active,
             l.username,
             CASE WHEN c.learner < 0 THEN NULL ELSE coalesce(l.user_id, c.learner) END AS user_id
      FROM chosen c
      LEFT JOIN status s ON s.learner = c.learner
      LEFT JOIN learners l ON l.learner = c.learner
      WHERE ${notExcluded(sql, courseId, sql`c.learner`)}
    ),
    ${completionCtes(sql, courseId, to, completionExcludedTypes, listed())},
    ${coverageCtes(sql, courseId, to, listed())},
    activity AS (${rangeActivity(sql, { courseId, from, to }, listed())}),
    recent AS (
      SELECT DISTINCT f.learner
      FROM learner_day f
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${to}::date - 6 AND ${to}::date
        AND f.learner IN (${listed()})
    ),
    visited AS (
      SELECT f.learner, count(DISTINCT f.unit_key) AS n
      FROM unit_day f
      JOIN course_blocks u
        ON u.course_id = f.course_id AND u.usage_key = f.unit_key AND u.kind = 'unit' AND u.active
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND f.visits > 0 AND f.learner IN (${listed()})
      GROUP BY f.learner
    ),
    completed AS (
      SELECT learner, count(*) AS n FROM completed_units GROUP BY learner
    ),
    -- units completable only through randomized components the learner saw
    random_only AS (
      SELECT r.learner, count(*) AS n
      FROM learner_random r JOIN unit_fixed x ON x.unit_key = r.unit_key AND x.n = 0
      GROUP BY r.learner
    ),
    videos_done AS (
      SELECT c.learner, count(*) AS n
      FROM coverage c
      JOIN course_blocks v
        ON v.course_id = ${courseId} AND v.usage_key = c.video_key
        AND v.kind = 'component' AND v.block_type = 'video' AND v.active
      WHERE c.coverage >= 0.9
      GROUP BY c.learner
    ),
    learner_rows AS (
      SELECT l.learner,
             l.user_id::float8 AS user_id,
             l.username,
             coalesce(a.time_s, 0)::float8 AS time_s,
             coalesce(a.sessions, 0)::float8 AS sessions,
             coalesce(a.visits, 0)::float8 AS visits,
             coalesce(v.n, 0)::float8 AS units_visited,
             coalesce(c.n, 0)::float8 AS units_completed,
             coalesce(d.n, 0)::float8 AS videos_completed,
             ${isoTime(sql, sql`l.first_active`)} AS first_active,
             ${isoTime(sql, sql`l.last_active`)} AS last_active,
             coalesce(a.active_days, 0)::float8 AS active_days,
             -- enrolled, active once, not in the last 7 days, and a completable unit still open
             (l.enrolled AND l.first_active IS NOT NULL AND r.learner IS NULL
              AND (SELECT count(*) FROM unit_fixed x WHERE x.n > 0) + coalesce(o.n, 0)
                  > coalesce(c.n, 0)) AS at_risk
      FROM listed l
      LEFT JOIN activity a ON a.learner = l.learner
      LEFT JOIN recent r ON r.learner = l.learner
      LEFT JOIN visited v ON v.learner = l.learner
      LEFT JOIN completed c ON c.learner = l.learner
      LEFT JOIN random_only o ON o.learner = l.learner
      LEFT JOIN videos_done d ON d.learner = l.learner
    )`;
}

/**
 * The learners of the course that the list shows (enrolled at `to` or active up to `to`) whose
 * username contains `q`: learner, username, user_id. Reads the CTE `status`.
 */
function listedLearners(sql: Queryable, q: string | undefined): Fragment {
  return sql`
    SELECT s.learner, l.username,
           CASE WHEN s.learner < 0 THEN NULL ELSE coalesce(l.user_id, s.learner) END AS user_id
    FROM status s
    LEFT JOIN learners l ON l.learner = s.learner
    WHERE (s.enrolled OR s.first_active IS NOT NULL)
      AND ${usernameContains(sql, sql`l.username`, q)}`;
}

/**
 * Per learner with activity in the range (of `learners` only, when given): time, sessions,
 * visits and active days, from learner_day.
 */
function rangeActivity(sql: Queryable, { courseId, from, to }: CourseRange, learners?: Fragment) {
  return sql`
    SELECT f.learner, sum(f.time_s) AS time_s, sum(f.sessions) AS sessions,
           sum(f.visits) AS visits, count(*) AS active_days
    FROM learner_day f
    WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
      ${learners ? sql`AND f.learner IN (${learners})` : sql``}
    GROUP BY f.learner`;
}

/** Sorts whose order sortableLearners can decide without the costly columns. */
const PAGE_FIRST_SORTS = new Set<LearnerSort>([
  'username',
  'user_id',
  'time_s',
  'sessions',
  'visits',
  'active_days',
  'first_active',
  'last_active',
]);

/**
 * The listed learners (listedLearners) with the columns of PAGE_FIRST_SORTS, computed exactly as
 * learner_rows computes them. Reads the CTE `status`.
 */
function sortableLearners(
  sql: Queryable,
  { courseId, from, to, q }: CourseRange & { q?: string },
): Fragment {
  return sql`
    SELECT m.learner, m.username, m.user_id,
           coalesce(a.time_s, 0)::float8 AS time_s,
           coalesce(a.sessions, 0)::float8 AS sessions,
           coalesce(a.visits, 0)::float8 AS visits,
           coalesce(a.active_days, 0)::float8 AS active_days,
           ${isoTime(sql, sql`s.first_active`)} AS first_active,
           ${isoTime(sql, sql`s.last_active`)} AS last_active
    FROM (${listedLearners(sql, q)}) m
    LEFT JOIN status s ON s.learner = m.learner
    LEFT JOIN (${rangeActivity(sql, { courseId, from, to })}) a ON a.learner = m.learner`;
}

/**
 * One page of the learners list (learners enrolled at `to` or active on or before `to`, with
 * zeros for nothing in the range), filtered by `q`, sorted by `sort` and `order`, ties by
 * username, then learner key; empty values (no username, no activity) last in both orders.
 */
export async function learners(sql: Queryable, params: LearnersParams): Promise<LearnersPage> {
  const { q, sort = 'username', order = 'asc', page, pageSize } = params;
  checkPage(page, pageSize);
  if (!(LEARNER_SORT_COLUMNS as readonly string[]).includes(sort)) {
    throw new RangeError(`sort must be one of ${LEARNER_SORT_COLUMNS.join(', ')}`);
  }
  if (order !== 'asc' && order !== 'desc') throw new RangeError('order must be asc or desc');
  const offset = (page - 1) * pageSize;
  const orderBy = () =>
    sql`ORDER BY ${sql(sort)} ${order === 'desc' ? sql`DESC` : sql`ASC`} NULLS LAST,
                 username ASC NULLS LAST, learner`;
  // Sorted by a column the learners table has, or by a sum of learner_day, the page is chosen
  // first and only its learners get the costly numbers (completion, coverage).
  const pageFirst = PAGE_FIRST_SORTS.has(sort);
  const chosen = pageFirst
    ? sql`SELECT learner FROM (${sortableLearners(sql, params)}) m ${orderBy()}
          LIMIT ${pageSize} OFFSET ${offset}`
    : sql`SELECT learner FROM (${listedLearners(sql, q)}) m`;
  const [first, last] = pageFirst ? [0, pageSize] : [offset, offset + pageSize];
  // From the rollups: the page is chosen on the sort column (times cut to milliseconds, so
  // that they sort as their ISO text does; the default order has an index), then formatted.
  // enrolled, active once, not in the last 7 days, and a completable unit still open
  const rolledAtRisk = (r: Fragment): Fragment =>
    sql`(${r}.enrolled AND ${r}.first_active IS NOT NULL
         AND NOT coalesce(${r}.last_day >= ${params.to}::date - 6, false)
         AND ${r}.completable > ${r}.units_completed)`;
  const rolledColumn = (r: Fragment): Fragment => {
    if (sort === 'first_active' || sort === 'last_active') {
      return sql`date_trunc('milliseconds', ${r}.${sql(sort)})`;
    }
    return sort === 'at_risk' ? rolledAtRisk(r) : sql`${r}.${sql(sort)}`;
  };
  const rolledOrder = (r: Fragment) =>
    sql`ORDER BY ${rolledColumn(r)} ${order === 'desc' ? sql`DESC` : sql`ASC`} NULLS LAST,
                 ${r}.username ASC NULLS LAST, ${r}.learner`;
  const rolled = await sql<(LearnerRow & { total: number; rn: number | null })[]>`
    WITH chosen AS (
      SELECT r.*
      FROM rollup_learners r
      WHERE r.course_id = ${params.courseId} AND ${usernameContains(sql, sql`r.username`, q)}
      ${rolledOrder(sql`r`)}
      LIMIT ${pageSize} OFFSET ${offset}
    )
    SELECT t.total, ${offset} + o.rn AS rn,
           o.user_id::float8 AS user_id,
           o.username,
           o.time_s::float8 AS time_s,
           o.sessions::float8 AS sessions,
           o.visits::float8 AS visits,
           o.units_visited::float8 AS units_visited,
           o.units_completed::float8 AS units_completed,
           o.videos_completed::float8 AS videos_completed,
           ${isoTime(sql, sql`o.first_active`)} AS first_active,
           ${isoTime(sql, sql`o.last_active`)} AS last_active,
           o.active_days::float8 AS active_days,
           ${rolledAtRisk(sql`o`)} AS at_risk
    FROM rollup_state s
    CROSS JOIN LATERAL (${
      q
        ? sql`SELECT count(*)::float8 AS total FROM rollup_learners r
              WHERE r.course_id = ${params.courseId}
                AND ${usernameContains(sql, sql`r.username`, q)}`
        : sql`SELECT s.listed_learners::float8 AS total`
    }) t
    LEFT JOIN (
      SELECT c.*, row_number() OVER (${rolledOrder(sql`c`)}) AS rn FROM chosen c
    ) o ON true
    WHERE ${rollupAnswers(sql, params.courseId, params, {
      enrollment: true,
      completionExcludedTypes: params.completionExcludedTypes,
    })}
    ORDER BY o.rn`;
  const rows =
    rolled.length > 0
      ? rolled
      : await sql<(LearnerRow & { total: number; rn: number | null })[]>`
    WITH ${learnerRowsCtes(sql, params, chosen)},
    ordered AS (
      SELECT r.*, row_number() OVER (${orderBy()}) AS rn FROM learner_rows r
    )
    SELECT t.total, o.rn, o.user_id, o.username, o.time_s, o.sessions, o.visits,
           o.units_visited, o.units_completed, o.videos_completed, o.first_active,
           o.last_active, o.active_days, o.at_risk
    FROM (SELECT count(*)::float8 AS total FROM (${listedLearners(sql, q)}) m) t
    LEFT JOIN ordered o ON o.rn > ${first} AND o.rn <= ${last}
    ORDER BY o.rn`;
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.filter((row) => row.rn !== null).map(({ total: _t, rn: _r, ...row }) => row),
  };
}

export interface LearnerDetailParams extends CourseRange, CompletionSettings {
  username: string;
}

/**
 * One learner's row of the learners list, with every active unit (time and visits in the range,
 * countable components completed by `to`) and every active video (watch time in the range,
 * coverage at `to`) in course order. The username is the one shown in the list (a former
 * username of the learner also finds it). Null when no such learner has activity or enrollment
 * changes in the course, or when the learner is excluded from it.
 */
export async function learnerDetail(
  sql: Queryable,
  params: LearnerDetailParams,
): Promise<LearnerDetail | null> {
  const { courseId, from, to, username } = params;
  const known = (learner: Fragment) => sql`(
    EXISTS (SELECT 1 FROM learner_day f WHERE f.course_id = ${courseId} AND f.learner = ${learner})
    OR EXISTS (
      SELECT 1 FROM enrollment_changes f WHERE f.course_id = ${courseId} AND f.learner = ${learner}))`;
  const target = sql`
    SELECT k.learner
    FROM (
      SELECT coalesce(
        (SELECT min(l.learner) FROM learners l
         WHERE l.username = ${username} AND ${known(sql`l.learner`)}),
        (SELECT n.learner FROM learner_names n WHERE n.username = ${username})) AS learner
    ) k
    WHERE k.learner IS NOT NULL AND ${known(sql`k.learner`)}
      AND ${notExcluded(sql, courseId, sql`k.learner`)}`;
  const [row] = await sql<LearnerDetail[]>`
    WITH ${learnerRowsCtes(sql, params, target)}
    SELECT r.user_id, r.username, r.time_s, r.sessions, r.visits, r.units_visited,
           r.units_completed, r.videos_completed, r.first_active, r.last_active, r.active_days,
           r.at_risk,
           (SELECT coalesce(json_agg(json_build_object(
                     'id', u.usage_key,
                     'time_s', coalesce(t.time_s, 0),
                     'visits', coalesce(t.visits, 0),
                     'completed_components', coalesce(d.n, 0)) ORDER BY u.course_order), '[]')
            FROM course_blocks u
            LEFT JOIN (
              SELECT f.unit_key, sum(f.time_s) AS time_s, sum(f.visits) AS visits
              FROM unit_day f
              WHERE f.course_id = ${courseId} AND f.learner = r.learner
                AND f.day BETWEEN ${from}::date AND ${to}::date
              GROUP BY f.unit_key
            ) t ON t.unit_key = u.usage_key
            LEFT JOIN learner_done d ON d.learner = r.learner AND d.unit_key = u.usage_key
            WHERE u.course_id = ${courseId} AND u.kind = 'unit' AND u.active) AS units,
           (SELECT coalesce(json_agg(json_build_object(
                     'id', v.usage_key,
                     'watch_s', coalesce(w.watch_s, 0),
                     'coverage', CASE WHEN vd.duration IS NOT NULL
                                      THEN coalesce(c.coverage, 0) END) ORDER BY v.course_order),
                     '[]')
            FROM course_blocks v
            LEFT JOIN video_durations vd
              ON vd.course_id = v.course_id AND vd.video_key = v.usage_key
            LEFT JOIN coverage c ON c.learner = r.learner AND c.video_key = v.usage_key
            LEFT JOIN (
              SELECT f.video_key, sum(f.length_s) AS watch_s
              FROM valid_video_viewings f
              WHERE f.course_id = ${courseId} AND f.learner = r.learner
                AND f.day BETWEEN ${from}::date AND ${to}::date
              GROUP BY f.video_key
            ) w ON w.video_key = v.usage_key
            WHERE v.course_id = ${courseId} AND v.kind = 'component' AND v.block_type = 'video'
              AND v.active) AS videos
    FROM learner_rows r`;
  return row ?? null;
}

export interface MatrixParams extends CourseRange, CompletionSettings {
  metric: MatrixMetric;
  group: MatrixGroup;
  q?: string;
  page: number;
  pageSize: number;
}

/**
 * The learners of the list (same set and `q` filter), by username, × the active units (or
 * sequentials, chapters) in course order: time or visits in the range (summed over a group's
 * active units), or completion by `to` (a unit: 1 or 0; a group: the share of its units with
 * countable components for that learner that are completed, 0 when it has none).
 */
export async function matrix(sql: Queryable, params: MatrixParams): Promise<Matrix> {
  const { courseId, from, to, metric, group, q, page, pageSize, completionExcludedTypes } = params;
  checkPage(page, pageSize);
  const offset = (page - 1) * pageSize;
  const values =
    metric === 'completion'
      ? sql`
        SELECT k.learner, u.group_key,
               avg(CASE WHEN c.unit_key IS NULL THEN 0 ELSE 1 END) AS value
        FROM (
          -- the units each learner of the page can complete
          SELECT p.learner, x.unit_key FROM page p CROSS JOIN unit_fixed x WHERE x.n > 0
          UNION
          SELECT r.learner, r.unit_key FROM learner_random r
        ) k
        JOIN units u ON u.usage_key = k.unit_key
        LEFT JOIN completed_units c ON c.learner = k.learner AND c.unit_key = k.unit_key
        GROUP BY k.learner, u.group_key`
      : sql`
        SELECT f.learner, u.group_key,
               ${metric === 'time' ? sql`sum(f.time_s)` : sql`sum(f.visits)`} AS value
        FROM unit_day f
        JOIN units u ON u.usage_key = f.unit_key
        WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
          AND f.learner IN (SELECT learner FROM page)
        GROUP BY f.learner, u.group_key`;
  const rows = await sql<
    {
      columns: string[];
      total: number;
      rn: number | null;
      username: string | null;
      values: number[];
    }[]
  >`
    WITH status AS (${learnerStatus(sql, courseId, to)}),
    listed AS (
      SELECT s.learner, l.username
      FROM status s
      LEFT JOIN learners l ON l.learner = s.learner
      WHERE (s.enrolled OR s.first_active IS NOT NULL)
        AND ${usernameContains(sql, sql`l.username`, q)}
    ),
    page AS (
      SELECT * FROM (
        SELECT learner, username,
               row_number() OVER (ORDER BY username ASC NULLS LAST, learner) AS rn
        FROM listed
      ) n
      WHERE rn > ${offset} AND rn <= ${offset + pageSize}
    ),
    ${completionCtes(sql, courseId, to, completionExcludedTypes, sql`SELECT learner FROM page`)},
    units AS (
      SELECT u.usage_key, ${groupKey(sql, group)} AS group_key
      FROM course_blocks u
      WHERE u.course_id = ${courseId} AND u.kind = 'unit' AND u.active
    ),
    groups AS (
      SELECT usage_key, course_order
      FROM course_blocks
      WHERE course_id = ${courseId} AND kind = ${group} AND active
    ),
    cell_values AS MATERIALIZED (${values})
    SELECT (SELECT coalesce(json_agg(usage_key ORDER BY course_order), '[]') FROM groups)
             AS columns,
           (SELECT count(*) FROM listed)::float8 AS total,
           p.rn, p.username,
           (SELECT coalesce(json_agg(coalesce(v.value, 0)::float8 ORDER BY g.course_order), '[]')
            FROM groups g
            LEFT JOIN cell_values v ON v.learner = p.learner AND v.group_key = g.usage_key)
             AS values
    FROM (VALUES (1)) one (x)
    LEFT JOIN page p ON true
    ORDER BY p.rn`;
  const first = rows[0];
  return {
    columns: first ? [...first.columns] : [],
    total: first?.total ?? 0,
    rows: rows
      .filter((row) => row.rn !== null)
      .map((row) => ({ username: row.username, values: [...row.values] })),
  };
}
