// Time outside units per page kind for a range (kpis.md §4 rule 6, §5), from page_day.
import type { Queryable } from '../connect.ts';
import { notExcluded } from './fragments.ts';
import type { CourseRange, Pages } from './types.ts';

/** Seconds credited to each page kind, and to no place (`unplaced`), in the range. */
export async function pages(sql: Queryable, { courseId, from, to }: CourseRange): Promise<Pages> {
  const [row] = await sql<Pages[]>`
    SELECT coalesce(sum(f.time_s) FILTER (WHERE f.page_kind = 'home'), 0)::float8 AS home,
           coalesce(sum(f.time_s) FILTER (WHERE f.page_kind = 'progress'), 0)::float8 AS progress,
           coalesce(sum(f.time_s) FILTER (WHERE f.page_kind = 'discussion'), 0)::float8 AS discussion,
           coalesce(sum(f.time_s) FILTER (WHERE f.page_kind = 'other'), 0)::float8 AS other,
           coalesce(sum(f.time_s) FILTER (WHERE f.page_kind = 'unplaced'), 0)::float8 AS unplaced
    FROM page_day f
    WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
      AND ${notExcluded(sql, courseId)}`;
  return row!;
}
