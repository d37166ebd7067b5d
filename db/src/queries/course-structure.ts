// A course's active structure as the API shows it (kpis.md §2), from course_structures,
// course_blocks and video_durations.
import type { Queryable } from '../connect.ts';
import type { CourseStructure } from './types.ts';

/**
 * Chapters → sequentials → units → components of the course's stored structure, active blocks
 * only, in course order; videos carry their effective duration (null when unknown). Null when the
 * course has no stored structure.
 */
export async function courseStructure(
  sql: Queryable,
  courseId: string,
): Promise<CourseStructure | null> {
  const [row] = await sql<CourseStructure[]>`
    SELECT s.course_id, s.name,
      (SELECT coalesce(json_agg(json_build_object(
         'id', c.usage_key, 'label', c.label, 'name', c.name,
         'sequentials', (
           SELECT coalesce(json_agg(json_build_object(
             'id', q.usage_key, 'label', q.label, 'name', q.name,
             'units', (
               SELECT coalesce(json_agg(json_build_object(
                 'id', u.usage_key, 'label', u.label, 'name', u.name,
                 'components', (
                   SELECT coalesce(json_agg(
                     CASE WHEN b.block_type = 'video'
                       THEN json_build_object('id', b.usage_key, 'type', b.block_type,
                                              'name', b.name, 'duration', d.duration)
                       ELSE json_build_object('id', b.usage_key, 'type', b.block_type,
                                              'name', b.name)
                     END ORDER BY b.course_order), '[]')
                   FROM course_blocks b
                   LEFT JOIN video_durations d
                     ON d.course_id = b.course_id AND d.video_key = b.usage_key
                   WHERE b.course_id = s.course_id AND b.unit_key = u.usage_key
                     AND b.kind = 'component' AND b.active)
               ) ORDER BY u.course_order), '[]')
               FROM course_blocks u
               WHERE u.course_id = s.course_id AND u.sequential_key = q.usage_key
                 AND u.kind = 'unit' AND u.active)
           ) ORDER BY q.course_order), '[]')
           FROM course_blocks q
           WHERE q.course_id = s.course_id AND q.chapter_key = c.usage_key
             AND q.kind = 'sequential' AND q.active)
       ) ORDER BY c.course_order), '[]')
       FROM course_blocks c
       WHERE c.course_id = s.course_id AND c.kind = 'chapter' AND c.active) AS chapters
    FROM course_structures s
    WHERE s.course_id = ${courseId}`;
  return row ?? null;
}
