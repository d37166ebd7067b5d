/** An answer or a course id that cannot be stored as a course structure. */
export class StructureError extends Error {}

const LEGACY_COURSE_ID = /^([^/:+\s]+)\/([^/:+\s]+)\/([^/:+\s]+)$/;

/**
 * The course key a structure is stored under. A legacy (Old Mongo) id `Org/Course/Run`, still
 * found in old tracking logs, becomes `course-v1:Org+Course+Run`, the key of the same course
 * after its migration to split; every other id is returned unchanged.
 */
export function canonicalCourseId(id: string): string {
  const legacy = LEGACY_COURSE_ID.exec(id);
  return legacy ? `course-v1:${legacy[1]}+${legacy[2]}+${legacy[3]}` : id;
}

/**
 * The course key of a course's root usage key: `block-v1:ORG+NUM+RUN+type@course+block@course`
 * → `course-v1:ORG+NUM+RUN` (a CCX's `ccx-block-v1:...+ccx@N+type@...` → `ccx-v1:...+ccx@N`;
 * an Old Mongo `i4x://Org/Course/course/Run` → `course-v1:Org+Course+Run`), or undefined.
 */
export function courseIdOfUsageKey(usageKey: string): string | undefined {
  const i4x = /^i4x:\/\/([^/]+)\/([^/]+)\/[^/]+\/([^/@]+)/.exec(usageKey);
  if (i4x) return `course-v1:${i4x[1]}+${i4x[2]}+${i4x[3]}`;
  const modern = /^(ccx-block-v1|block-v1):(.+?)\+type@/.exec(usageKey);
  if (!modern) return undefined;
  // Keep ORG, NUM, RUN (and ccx@N), drop the branch@ and version@ parts a key may carry.
  const parts = modern[2]!.split('+').filter((part) => !/^(branch|version)@/.test(part));
  if (parts.length < 3 || parts.some((part) => part === '')) return undefined;
  return `${modern[1] === 'block-v1' ? 'course-v1' : 'ccx-v1'}:${parts.join('+')}`;
}

/**
 * The block id of a usage key: what follows `block@` (`block-v1:...+type@video+block@abc` →
 * `abc`), else the last segment of an `i4x://` key, else the key itself.
 */
export function blockIdOfUsageKey(usageKey: string): string {
  const at = usageKey.lastIndexOf('block@');
  if (at >= 0) return usageKey.slice(at + 'block@'.length);
  if (usageKey.startsWith('i4x://')) {
    return usageKey.slice(usageKey.lastIndexOf('/') + 1).replace(/@.*$/, '');
  }
  return usageKey;
}
