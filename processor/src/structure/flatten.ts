import {
  blockIdOfUsageKey,
  canonicalCourseId,
  courseIdOfUsageKey,
  StructureError,
} from './course-id.ts';

/** What a block is in the course tree (db/migrations/0002_course_structure.sql). */
export type BlockKind = 'course' | 'chapter' | 'sequential' | 'unit' | 'container' | 'component';

/** One row of `course_blocks`, as read from a Course Blocks API answer. */
export interface StructureBlock {
  usageKey: string;
  blockId: string;
  blockType: string;
  kind: BlockKind;
  name: string | null;
  parentKey: string | null;
  /** The chapter the block is in; a chapter's own key for a chapter. Null for the course. */
  chapterKey: string | null;
  /** The sequential the block is in; its own key for a sequential. */
  sequentialKey: string | null;
  /** The unit the block is in; its own key for a unit. */
  unitKey: string | null;
  /** 1-based, among the children of its parent kept in the tree; null for the course. */
  position: number | null;
  /** `2` for a chapter, `2.1` for a sequential, `2.1.3` for a unit; else null. */
  label: string | null;
  /** 1-based pre-order index over the tree (the course is 1). */
  courseOrder: number;
  /** 1-based index among the units, in course order; null for other kinds. */
  unitOrder: number | null;
  /** Below a randomising block (library_content, split_test, itembank). */
  randomized: boolean;
  /** `student_view_data.duration` when it is a number above 0, in seconds. */
  duration: number | null;
  graded: boolean | null;
}

/** A course structure: the course and its blocks in course order (the course first). */
export interface CourseStructure {
  courseId: string;
  rootKey: string;
  name: string | null;
  blocks: StructureBlock[];
}

/** Blocks whose learners each see only some of the children (kpis.md §2). */
export const RANDOMIZING_TYPES: ReadonlySet<string> = new Set([
  'library_content',
  'split_test',
  // The problem bank of Open edX Teak and later (content libraries v2).
  'itembank',
]);

/**
 * Types that are containers even when the answer gives them no children (an empty library
 * block): the LMS never marks them complete themselves, so they cannot be components.
 */
const CONTAINER_TYPES: ReadonlySet<string> = new Set([
  ...RANDOMIZING_TYPES,
  'conditional',
  'vertical',
]);

interface ApiBlock {
  type: string;
  display_name?: unknown;
  block_id?: unknown;
  children?: unknown;
  graded?: unknown;
  student_view_data?: unknown;
}

interface Frame {
  key: string;
  block: ApiBlock;
  /** 0 the course, 1 a chapter, 2 a sequential, 3 a unit, 4 anything below a unit. */
  level: number;
  parentKey: string | null;
  position: number | null;
  chapterKey: string | null;
  chapterPosition: number;
  sequentialKey: string | null;
  sequentialPosition: number;
  unitKey: string | null;
  randomized: boolean;
}

/**
 * Reads one Course Blocks API answer (`{"root", "blocks": {key: block}}`; with a `course_id` the
 * root may be missing, and the block of type `course` is the root) into its course id, name and
 * `course_blocks` rows. Blocks unreachable from the root are ignored; a child key missing from
 * `blocks`, or a block already placed (a cycle, a block listed twice), is skipped. Throws a
 * StructureError naming what is wrong with a malformed answer.
 */
export function flattenCourseBlocks(answer: unknown): CourseStructure {
  if (!isObject(answer)) throw new StructureError('course blocks answer is not a JSON object');
  const blocks = answer.blocks;
  if (!isObject(blocks)) throw new StructureError('course blocks answer has no "blocks" object');
  if (answer.course_id !== undefined && typeof answer.course_id !== 'string') {
    throw new StructureError('course blocks answer has a "course_id" that is not a string');
  }
  const rootKey = findRoot(answer, blocks);
  const root = apiBlock(blocks, rootKey);
  if (root.type !== 'course') {
    throw new StructureError(
      `course blocks answer's root ${rootKey} is a block of type "${root.type}", not "course"`,
    );
  }
  const courseId = answer.course_id
    ? canonicalCourseId(answer.course_id as string)
    : courseIdOfUsageKey(rootKey);
  if (!courseId) {
    throw new StructureError(
      `course blocks answer has no "course_id" and its root ${rootKey} does not name a course`,
    );
  }

  const rows: StructureBlock[] = [];
  const placed = new Set<string>([rootKey]);
  let units = 0;
  const stack: Frame[] = [
    {
      key: rootKey,
      block: root,
      level: 0,
      parentKey: null,
      position: null,
      chapterKey: null,
      chapterPosition: 0,
      sequentialKey: null,
      sequentialPosition: 0,
      unitKey: null,
      randomized: false,
    },
  ];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { key, block, level } = frame;
    // Claimed when their parent is reached, so a block listed twice keeps its first place.
    const children = childKeys(key, block).filter((child) => {
      if (placed.has(child) || !Object.hasOwn(blocks, child)) return false;
      placed.add(child);
      return true;
    });
    const kind = kindOf(level, block.type, children.length > 0);
    const self = {
      chapterKey: level === 1 ? key : frame.chapterKey,
      chapterPosition: level === 1 ? frame.position! : frame.chapterPosition,
      sequentialKey: level === 2 ? key : frame.sequentialKey,
      sequentialPosition: level === 2 ? frame.position! : frame.sequentialPosition,
      unitKey: level === 3 ? key : frame.unitKey,
    };
    rows.push({
      usageKey: key,
      blockId:
        typeof block.block_id === 'string' && block.block_id
          ? block.block_id
          : blockIdOfUsageKey(key),
      blockType: block.type,
      kind,
      name: typeof block.display_name === 'string' ? block.display_name : null,
      parentKey: frame.parentKey,
      chapterKey: self.chapterKey,
      sequentialKey: self.sequentialKey,
      unitKey: self.unitKey,
      position: frame.position,
      label:
        level === 1
          ? `${frame.position}`
          : level === 2
            ? `${self.chapterPosition}.${frame.position}`
            : level === 3
              ? `${self.chapterPosition}.${self.sequentialPosition}.${frame.position}`
              : null,
      courseOrder: rows.length + 1,
      unitOrder: level === 3 ? ++units : null,
      randomized: frame.randomized,
      duration: durationOf(block),
      graded: typeof block.graded === 'boolean' ? block.graded : null,
    });
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]!;
      stack.push({
        key: child,
        block: apiBlock(blocks, child),
        level: Math.min(level + 1, 4),
        parentKey: key,
        position: index + 1,
        ...self,
        randomized: frame.randomized || RANDOMIZING_TYPES.has(block.type),
      });
    }
  }
  const name = rows[0]!.name;
  return { courseId, rootKey, name, blocks: rows };
}

function findRoot(answer: Record<string, unknown>, blocks: Record<string, unknown>): string {
  if (answer.root !== undefined) {
    if (typeof answer.root !== 'string') {
      throw new StructureError('course blocks answer has a "root" that is not a string');
    }
    if (!Object.hasOwn(blocks, answer.root)) {
      throw new StructureError(`course blocks answer's root ${answer.root} is not in "blocks"`);
    }
    return answer.root;
  }
  if (answer.course_id === undefined) {
    throw new StructureError('course blocks answer has neither a "root" nor a "course_id"');
  }
  const courses = Object.entries(blocks).filter(
    ([, block]) => isObject(block) && block.type === 'course',
  );
  if (courses.length === 0) {
    throw new StructureError('course blocks answer has no "root" and no block of type "course"');
  }
  // Several course blocks cannot come from the LMS; prefer the one whose key names the course.
  const wanted = canonicalCourseId(answer.course_id as string);
  const named = courses.find(([key]) => courseIdOfUsageKey(key) === wanted);
  return (named ?? courses[0]!)[0];
}

function apiBlock(blocks: Record<string, unknown>, key: string): ApiBlock {
  const block = blocks[key];
  if (!isObject(block)) {
    throw new StructureError(`course blocks answer's block ${key} is not an object`);
  }
  if (typeof block.type !== 'string' || block.type === '') {
    throw new StructureError(`course blocks answer's block ${key} has no "type"`);
  }
  return block as unknown as ApiBlock;
}

function childKeys(key: string, block: ApiBlock): string[] {
  if (block.children === undefined || block.children === null) return [];
  if (!Array.isArray(block.children) || block.children.some((c) => typeof c !== 'string')) {
    throw new StructureError(
      `course blocks answer's block ${key} has "children" that are not a list of usage keys`,
    );
  }
  return block.children as string[];
}

function kindOf(level: number, type: string, hasChildren: boolean): BlockKind {
  switch (level) {
    case 0:
      return 'course';
    case 1:
      return 'chapter';
    case 2:
      return 'sequential';
    case 3:
      return 'unit';
    default:
      return hasChildren || CONTAINER_TYPES.has(type) ? 'container' : 'component';
  }
}

function durationOf(block: ApiBlock): number | null {
  const data = block.student_view_data;
  if (!isObject(data)) return null;
  const duration = data.duration;
  return typeof duration === 'number' && Number.isFinite(duration) && duration > 0
    ? duration
    : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
