import { createHash } from 'node:crypto';
import type { Sql, TransactionSql } from '@course-stats/db';
import { flattenCourseBlocks, type CourseStructure, type StructureBlock } from './flatten.ts';

/** Start and end of a course run, as the LMS Courses API gives them (null: none). */
export interface CourseDates {
  start: Date | null;
  end: Date | null;
}

export interface StoreOptions {
  /** Stored in `course_structures`; when undefined the dates stored before are kept. */
  dates?: CourseDates;
}

export interface StoreResult {
  courseId: string;
  name: string | null;
  /** Rows stored for the course: this answer's blocks and those of earlier answers. */
  blocks: number;
  /** Blocks of this answer (all active). */
  active: number;
  /** Blocks of earlier answers absent from this one (inactive). */
  inactive: number;
  /** Units of this answer. */
  units: number;
  /** The blocks differ from those stored before (always true for a new course). */
  changed: boolean;
}

// Two-key advisory locks (class, course): one writer per course structure at a time.
const STRUCTURE_LOCK_CLASS = 72_451_003;

/** Flattens a Course Blocks API answer and stores it (storeCourseStructure). */
export async function storeStructure(
  sql: Sql,
  answer: unknown,
  source: string,
  options: StoreOptions = {},
): Promise<StoreResult> {
  return await storeCourseStructure(sql, flattenCourseBlocks(answer), source, options);
}

/**
 * Stores a course structure in one transaction: the `course_structures` row (its `changed_at`
 * moves only when the content hash differs), every block active with its new position and
 * orders, and every block stored before and absent now inactive, keeping its position and label
 * but losing its orders, so that "the next unit" never lands on it.
 */
export async function storeCourseStructure(
  sql: Sql,
  structure: CourseStructure,
  source: string,
  options: StoreOptions = {},
): Promise<StoreResult> {
  const { courseId, rootKey, name, blocks } = structure;
  const sha256 = structureDigest(structure);
  const dates = options.dates;
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${STRUCTURE_LOCK_CLASS}::int, hashtext(${courseId}))`;
    const [before] = await tx<{ content_sha256: Buffer }[]>`
      SELECT content_sha256 FROM course_structures WHERE course_id = ${courseId}`;
    const changed = !before || !before.content_sha256.equals(sha256);
    await tx`
      INSERT INTO course_structures
        (course_id, root_key, name, start_date, end_date, source, content_sha256,
         imported_at, changed_at)
      VALUES (${courseId}, ${rootKey}, ${name}, ${dates?.start ?? null}, ${dates?.end ?? null},
              ${source}, ${sha256}, now(), now())
      ON CONFLICT (course_id) DO UPDATE SET
        root_key = EXCLUDED.root_key,
        name = EXCLUDED.name,
        start_date = CASE WHEN ${dates !== undefined} THEN EXCLUDED.start_date
                          ELSE course_structures.start_date END,
        end_date = CASE WHEN ${dates !== undefined} THEN EXCLUDED.end_date
                        ELSE course_structures.end_date END,
        source = EXCLUDED.source,
        imported_at = EXCLUDED.imported_at,
        changed_at = CASE WHEN course_structures.content_sha256 = EXCLUDED.content_sha256
                          THEN course_structures.changed_at ELSE EXCLUDED.changed_at END,
        content_sha256 = EXCLUDED.content_sha256`;
    await upsertBlocks(tx, courseId, blocks);
    await tx`
      UPDATE course_blocks SET active = false, course_order = NULL, unit_order = NULL
      WHERE course_id = ${courseId}
        AND active
        AND usage_key NOT IN (SELECT unnest(${textArray(
          tx,
          blocks.map((b) => b.usageKey),
        )}))`;
    const [counts] = await tx<{ blocks: number; inactive: number }[]>`
      SELECT count(*)::int AS blocks, (count(*) FILTER (WHERE NOT active))::int AS inactive
      FROM course_blocks WHERE course_id = ${courseId}`;
    return {
      courseId,
      name,
      blocks: counts!.blocks,
      active: blocks.length,
      inactive: counts!.inactive,
      units: blocks.filter((b) => b.kind === 'unit').length,
      changed,
    };
  });
}

/**
 * SHA-256 of a canonical serialisation of what `course_blocks` stores for the structure: the
 * course id, root and name, then every block's columns in a fixed order, in course order.
 */
export function structureDigest(structure: CourseStructure): Buffer {
  const rows = structure.blocks.map((b) => [
    b.usageKey,
    b.blockId,
    b.blockType,
    b.kind,
    b.name,
    b.parentKey,
    b.chapterKey,
    b.sequentialKey,
    b.unitKey,
    b.position,
    b.label,
    b.courseOrder,
    b.unitOrder,
    b.randomized,
    b.duration,
    b.graded,
  ]);
  const text = JSON.stringify([structure.courseId, structure.rootKey, structure.name, rows]);
  return createHash('sha256').update(text).digest();
}

/** One INSERT for every block: each column travels as one array, joined by unnest. */
async function upsertBlocks(
  tx: TransactionSql,
  courseId: string,
  blocks: StructureBlock[],
): Promise<void> {
  const column = <T>(pick: (b: StructureBlock) => T) => blocks.map(pick);
  await tx`
    INSERT INTO course_blocks
      (course_id, usage_key, block_id, block_type, kind, name, parent_key, chapter_key,
       sequential_key, unit_key, position, label, course_order, unit_order, randomized,
       duration, graded, active)
    SELECT ${courseId}, b.*, true
    FROM unnest(
      ${textArray(
        tx,
        column((b) => b.usageKey),
      )},
      ${textArray(
        tx,
        column((b) => b.blockId),
      )},
      ${textArray(
        tx,
        column((b) => b.blockType),
      )},
      ${textArray(
        tx,
        column((b) => b.kind),
      )},
      ${textArray(
        tx,
        column((b) => b.name),
      )},
      ${textArray(
        tx,
        column((b) => b.parentKey),
      )},
      ${textArray(
        tx,
        column((b) => b.chapterKey),
      )},
      ${textArray(
        tx,
        column((b) => b.sequentialKey),
      )},
      ${textArray(
        tx,
        column((b) => b.unitKey),
      )},
      ${intArray(
        tx,
        column((b) => b.position),
      )},
      ${textArray(
        tx,
        column((b) => b.label),
      )},
      ${intArray(
        tx,
        column((b) => b.courseOrder),
      )},
      ${intArray(
        tx,
        column((b) => b.unitOrder),
      )},
      ${tx.array(column((b) => b.randomized) as never[], BOOL_ARRAY)}::boolean[],
      ${tx.array(column((b) => b.duration) as never[], FLOAT8_ARRAY)}::float8[],
      ${tx.array(column((b) => b.graded) as never[], BOOL_ARRAY)}::boolean[]
    ) AS b(usage_key, block_id, block_type, kind, name, parent_key, chapter_key, sequential_key,
           unit_key, position, label, course_order, unit_order, randomized, duration, graded)
    ON CONFLICT (course_id, usage_key) DO UPDATE SET
      block_id = EXCLUDED.block_id,
      block_type = EXCLUDED.block_type,
      kind = EXCLUDED.kind,
      name = EXCLUDED.name,
      parent_key = EXCLUDED.parent_key,
      chapter_key = EXCLUDED.chapter_key,
      sequential_key = EXCLUDED.sequential_key,
      unit_key = EXCLUDED.unit_key,
      position = EXCLUDED.position,
      label = EXCLUDED.label,
      course_order = EXCLUDED.course_order,
      unit_order = EXCLUDED.unit_order,
      randomized = EXCLUDED.randomized,
      duration = EXCLUDED.duration,
      graded = EXCLUDED.graded,
      active = true`;
}

// Array type oids given explicitly: postgres.js would otherwise infer the element type from the
// first value, and a first null (or a connection whose types are not fetched yet) breaks that.
const TEXT_ARRAY = 1009;
const INT4_ARRAY = 1007;
const BOOL_ARRAY = 1000;
const FLOAT8_ARRAY = 1022;

function textArray(tx: TransactionSql, values: (string | null)[]) {
  return tx`${tx.array(values as never[], TEXT_ARRAY)}::text[]`;
}

function intArray(tx: TransactionSql, values: (number | null)[]) {
  return tx`${tx.array(values as never[], INT4_ARRAY)}::int[]`;
}
