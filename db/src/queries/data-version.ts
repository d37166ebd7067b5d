// Whether a course is known, and the version of its numbers (kpis.md: every processor run that
// changed the course adds one), from course_processing, course_structures and file_courses.
import type { Queryable } from '../connect.ts';

/**
 * The course's data version (0 when it has a structure or events but was never processed), or
 * null when nothing at all is stored for it.
 */
export async function courseDataVersion(sql: Queryable, courseId: string): Promise<number | null> {
  const [row] = await sql<{ version: number | null }[]>`
    SELECT coalesce(
      (SELECT data_version::float8 FROM course_processing WHERE course_id = ${courseId}),
      CASE WHEN EXISTS (SELECT FROM course_structures WHERE course_id = ${courseId})
        OR EXISTS (SELECT FROM file_courses WHERE course_id = ${courseId}) THEN 0 END) AS version`;
  return row!.version;
}
