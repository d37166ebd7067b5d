// The courses the dashboard can show, with their learners and activity span (kpis.md §3, §9),
// from learner_day, course_structures and course_processing.
import type { Queryable } from '../connect.ts';
import { isoTime, textArray } from './fragments.ts';
import type { CourseSummary } from './types.ts';

/**
 * One row per course with activity facts, a stored structure or a processing record (only the
 * given ones when `courseIds` is set), by course id: its structure's name, the distinct
 * non-excluded learners with activity, their first and last activity (instants, and local days),
 * when it was last processed
 * and its data version (0 before the first processing).
 */
export async function courseSummaries(
  sql: Queryable,
  courseIds?: readonly string[],
): Promise<CourseSummary[]> {
  const chosen = () =>
    courseIds === undefined ? sql`true` : sql`course_id = ANY (${textArray(sql, courseIds)})`;
  const rows = await sql<CourseSummary[]>`
    WITH activity AS (
      SELECT f.course_id, count(DISTINCT f.learner) AS learners,
             min(f.first_time) AS first_event, max(f.last_time) AS last_event,
             min(f.day) AS first_day, max(f.day) AS last_day
      FROM learner_day f
      WHERE ${chosen()}
        AND NOT EXISTS (
          SELECT 1 FROM excluded_learners x
          WHERE x.course_id = f.course_id AND x.learner = f.learner)
      GROUP BY f.course_id
    ),
    courses AS (
      SELECT course_id FROM activity
      UNION SELECT course_id FROM course_structures WHERE ${chosen()}
      UNION SELECT course_id FROM course_processing WHERE ${chosen()}
    )
    SELECT c.course_id, s.name,
           coalesce(a.learners, 0)::float8 AS learners,
           ${isoTime(sql, sql`a.first_event`)} AS first_event,
           ${isoTime(sql, sql`a.last_event`)} AS last_event,
           a.first_day::text AS first_day, a.last_day::text AS last_day,
           ${isoTime(sql, sql`p.last_processed`)} AS last_processed,
           coalesce(p.data_version, 0)::float8 AS data_version
    FROM courses c
    LEFT JOIN activity a ON a.course_id = c.course_id
    LEFT JOIN course_structures s ON s.course_id = c.course_id
    LEFT JOIN course_processing p ON p.course_id = c.course_id
    ORDER BY c.course_id`;
  return [...rows];
}
