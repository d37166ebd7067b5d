import type { Queryable } from '../connect.ts';

export interface CourseListRow {
  course_id: string;
  events: number;
  learners: number;
  first_event: Date;
  last_event: Date;
  last_processed: Date | null;
}

/**
 * Every course with stored events (legacy `Org/Course/Run` ids counted with their
 * `course-v1:` form): how many, how many distinct users (by user id, else username), the first
 * and last event time, and when `process` last ran for it.
 */
export function courseList(sql: Queryable): Promise<CourseListRow[]> {
  return sql<CourseListRow[]>`
    SELECT e.course_id,
           sum(e.events)::float8 AS events,
           sum(e.learners)::float8 AS learners,
           min(e.first_event) AS first_event,
           max(e.last_event) AS last_event,
           max(p.last_processed) AS last_processed
    FROM (
      SELECT CASE WHEN course_id ~ '^[^/:+]+/[^/+]+/[^/+]+$'
               THEN 'course-v1:' || replace(course_id, '/', '+') ELSE course_id END AS course_id,
             count(*) AS events,
             count(DISTINCT coalesce(user_id::text, 'u:' || username)) AS learners,
             min(time) AS first_event,
             max(time) AS last_event
      FROM events
      GROUP BY 1
    ) e
    LEFT JOIN course_processing p ON p.course_id = e.course_id
    GROUP BY e.course_id
    ORDER BY e.course_id`;
}
