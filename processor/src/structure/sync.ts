import type { Sql } from '@course-stats/db';
import { canonicalCourseId, StructureError } from './course-id.ts';
import { flattenCourseBlocks } from './flatten.ts';
import { LmsError, type StructureClient } from './lms-client.ts';
import { storeCourseStructure, type StoreResult } from './store.ts';

const TEXT_ARRAY = 1009;

export interface SyncOptions {
  /** Skip the courses that already have a stored structure (what `run` does). */
  onlyMissing?: boolean;
  /** Called after each course (`done` of `total`), for progress output. */
  onCourse?: (outcome: SyncOutcome, done: number, total: number) => void;
}

export type SyncOutcome =
  | ({ courseId: string; status: 'synced' } & Omit<StoreResult, 'courseId'>)
  | { courseId: string; status: 'failed'; error: string };

/**
 * Fetches each course's structure from the LMS and stores it, one course after the other. With
 * no ids, every course seen in `events`; legacy `Org/Course/Run` ids become
 * `course-v1:Org+Course+Run`, and duplicates are dropped. A course that fails (the LMS refuses it,
 * a malformed answer, ...) is reported and the others still sync.
 */
export async function syncStructures(
  sql: Sql,
  client: StructureClient,
  courseIds?: readonly string[],
  options: SyncOptions = {},
): Promise<SyncOutcome[]> {
  const requested = courseIds ?? (await coursesWithEvents(sql));
  let courses = [...new Set(requested.map(canonicalCourseId))];
  if (options.onlyMissing && courses.length > 0) {
    const stored = new Set(
      (
        await sql<{ course_id: string }[]>`
          SELECT course_id FROM course_structures
          WHERE course_id = ANY(${sql.array(courses as never[], TEXT_ARRAY)}::text[])`
      ).map((row) => row.course_id),
    );
    courses = courses.filter((course) => !stored.has(course));
  }
  const outcomes: SyncOutcome[] = [];
  // Once no access token can be had, the other courses fail with the same reason at once.
  let tokenFailure: string | undefined;
  for (const courseId of courses) {
    let outcome: SyncOutcome;
    if (tokenFailure === undefined) {
      const [result, allCourses] = await syncCourse(sql, client, courseId);
      outcome = result;
      if (allCourses && result.status === 'failed') tokenFailure = result.error;
    } else {
      outcome = { courseId, status: 'failed', error: tokenFailure };
    }
    outcomes.push(outcome);
    options.onCourse?.(outcome, outcomes.length, courses.length);
  }
  return outcomes;
}

/**
 * `SELECT DISTINCT course_id FROM events`, as a loose index scan: one probe of the
 * (course_id, user_id, time) index per course instead of reading every event.
 */
export async function coursesWithEvents(sql: Sql): Promise<string[]> {
  const rows = await sql<{ course_id: string }[]>`
    WITH RECURSIVE courses (course_id) AS (
      (SELECT course_id FROM events ORDER BY course_id LIMIT 1)
      UNION ALL
      SELECT (SELECT e.course_id FROM events e WHERE e.course_id > c.course_id
              ORDER BY e.course_id LIMIT 1)
      FROM courses c
      WHERE c.course_id IS NOT NULL
    )
    SELECT course_id FROM courses WHERE course_id IS NOT NULL`;
  return rows.map((row) => row.course_id);
}

/** The course's outcome, and whether its failure would be every other course's too. */
async function syncCourse(
  sql: Sql,
  client: StructureClient,
  courseId: string,
): Promise<[SyncOutcome, boolean]> {
  try {
    const structure = flattenCourseBlocks(await client.courseBlocks(courseId));
    if (structure.courseId !== courseId) {
      throw new StructureError(
        `the LMS answered the structure of ${structure.courseId} for ${courseId}`,
      );
    }
    const dates = await client.courseDates?.(courseId).catch(() => undefined);
    const stored = await storeCourseStructure(sql, structure, client.source, { dates });
    return [{ ...stored, courseId, status: 'synced' }, false];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [
      { courseId, status: 'failed', error: message },
      error instanceof LmsError && error.allCourses,
    ];
  }
}
