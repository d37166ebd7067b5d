import type { Queryable } from '../connect.ts';

export interface CourseListRow {
  course_id: string;
  events: number;
  learners: number;
  first_event: Date;
  last_event: Date;
}

/**
 * Every course with stored events: how many, how many distinct users (by user id, else username),
 * and the first and last event time.
 */
export function courseList(sql: Queryable): Promise<CourseListRow[]> {
  return sql<CourseListRow[]>`
    SELECT course_id,
           count(*)::float8 AS events,
           count(DISTINCT coalesce(user_id::text, 'u:' || username))::float8 AS learners,
           min(time) AS first_event,
           max(time) AS last_event
    FROM events
    GROUP BY course_id
    ORDER BY course_id`;
}
