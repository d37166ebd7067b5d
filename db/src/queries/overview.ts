// Course totals and a daily series for a range (kpis.md §5, §6, §8, §9, §10), from learner_day
// and valid_video_viewings, or, for a range covering the course's whole history, from the
// processor's rollups (rollup_state, rollup_days). Totals count every fact stored for the course,
// inactive blocks too.
import type { Queryable } from '../connect.ts';
import { learnerStatus, notExcluded, rangeDays, rollupAnswers } from './fragments.ts';
import type { CourseRange, Overview } from './types.ts';

/**
 * Active learners (distinct learners with activity in the range), enrolled learners at `to`,
 * time, visits, sessions started, valid video viewings and their watch time in the range, and
 * the same per day for every day of the range (zeros included).
 */
export async function overview(
  sql: Queryable,
  { courseId, from, to }: CourseRange,
): Promise<Overview> {
  const [rolled] = await sql<Overview[]>`
    SELECT s.active_learners::float8 AS active_learners,
           s.enrolled_learners::float8 AS enrolled_learners,
           s.time_s::float8 AS time_s,
           s.visits::float8 AS visits,
           s.sessions::float8 AS sessions,
           s.video_views::float8 AS video_views,
           s.video_watch_s::float8 AS video_watch_s,
           (SELECT json_agg(json_build_object(
                     'date', d.day::text,
                     'active_learners', coalesce(r.active_learners, 0),
                     'time_s', coalesce(r.time_s, 0),
                     'visits', coalesce(r.visits, 0),
                     'video_watch_s', coalesce(r.video_watch_s, 0)) ORDER BY d.day)
            FROM ${rangeDays(sql, from, to)} d
            LEFT JOIN rollup_days r ON r.course_id = ${courseId} AND r.day = d.day) AS series
    FROM rollup_state s
    WHERE ${rollupAnswers(sql, courseId, { from, to }, { enrollment: true })}`;
  if (rolled) return rolled;
  const [row] = await sql<Overview[]>`
    WITH activity AS (
      SELECT f.learner, f.day, f.time_s, f.sessions, f.visits
      FROM learner_day f
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND ${notExcluded(sql, courseId)}
    ),
    viewings AS (
      SELECT f.learner, f.day, f.length_s
      FROM valid_video_viewings f
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND ${notExcluded(sql, courseId)}
    ),
    activity_days AS (
      SELECT day, count(DISTINCT learner) AS active_learners, sum(time_s) AS time_s,
             sum(visits) AS visits
      FROM activity GROUP BY day
    ),
    viewing_days AS (
      SELECT day, sum(length_s) AS video_watch_s FROM viewings GROUP BY day
    )
    SELECT
      (SELECT count(DISTINCT learner) FROM activity)::float8 AS active_learners,
      (SELECT count(*) FROM (${learnerStatus(sql, courseId, to)}) s WHERE s.enrolled)::float8
        AS enrolled_learners,
      (SELECT coalesce(sum(time_s), 0) FROM activity)::float8 AS time_s,
      (SELECT coalesce(sum(visits), 0) FROM activity)::float8 AS visits,
      (SELECT coalesce(sum(sessions), 0) FROM activity)::float8 AS sessions,
      (SELECT count(*) FROM viewings)::float8 AS video_views,
      (SELECT coalesce(sum(length_s), 0) FROM viewings)::float8 AS video_watch_s,
      (SELECT coalesce(json_agg(json_build_object(
                'date', d.day::text,
                'active_learners', coalesce(a.active_learners, 0),
                'time_s', coalesce(a.time_s, 0),
                'visits', coalesce(a.visits, 0),
                'video_watch_s', coalesce(v.video_watch_s, 0)) ORDER BY d.day), '[]')
       FROM ${rangeDays(sql, from, to)} d
       LEFT JOIN activity_days a ON a.day = d.day
       LEFT JOIN viewing_days v ON v.day = d.day) AS series`;
  return row!;
}
