// Course structures from the LMS Course Blocks API (kpis.md §2): read an answer into
// `course_blocks` rows, store them, fetch them from the LMS.
export {
  StructureError,
  canonicalCourseId,
  courseIdOfUsageKey,
  blockIdOfUsageKey,
} from './course-id.ts';
export {
  flattenCourseBlocks,
  RANDOMIZING_TYPES,
  type BlockKind,
  type CourseStructure,
  type StructureBlock,
} from './flatten.ts';
export {
  storeStructure,
  storeCourseStructure,
  structureDigest,
  type CourseDates,
  type StoreOptions,
  type StoreResult,
} from './store.ts';
export { LmsClient, LmsError, type LmsClientOptions, type StructureClient } from './lms-client.ts';
export { syncStructures, coursesWithEvents, type SyncOptions, type SyncOutcome } from './sync.ts';
export { readAnswersFile } from './answers-file.ts';
