// Who may see a course (interfaces.md §2): LMS global staff through the token's `administrator`
// claim (unless STATS_ALLOW_ADMINISTRATOR=false), and users whose LMS role in the course is one
// of STATS_ALLOWED_ROLES, asked of the LMS roles API with the caller's own token and cached for
// 5 minutes, as the LMS's own peers do.
import type { Cache } from '../cache.ts';
import { ApiError } from '../errors.ts';
import type { ApiSettings } from '../settings.ts';
import { unauthorized, type Caller } from './token.ts';

export interface CourseRole {
  course_id: string;
  role: string;
}

const ROLES_TTL_S = 300;
const LMS_TIMEOUT_MS = 3000;
const PARSED_ROLES = 10_000;

export interface CourseAccess {
  /** Whether the caller may see this course's numbers and its learners. */
  canSee(caller: Caller, courseId: string): Promise<boolean>;
  /** The courses the caller may see, or 'all' for LMS global staff. */
  visibleCourses(caller: Caller): Promise<Set<string> | 'all'>;
}

export function courseAccess(
  settings: Pick<ApiSettings, 'lmsBaseUrl' | 'allowedRoles' | 'allowAdministrator'>,
  cache: Cache,
): CourseAccess {
  const allowed = new Set(settings.allowedRoles);

  async function roles(caller: Caller, courseId?: string): Promise<CourseRole[]> {
    const key = `roles:${caller.username}:${courseId ?? '*'}`;
    const cached = await cache.get(key);
    if (cached !== undefined) return parsed(cached);
    const fresh = await fetchRoles(settings.lmsBaseUrl, caller.token, courseId);
    await cache.set(key, JSON.stringify(fresh), ROLES_TTL_S);
    return fresh;
  }

  // The cache in this process hands out the same text while an entry lives: parse it once.
  const parsedRoles = new Map<string, CourseRole[]>();
  function parsed(text: string): CourseRole[] {
    let list = parsedRoles.get(text);
    if (list === undefined) {
      if (parsedRoles.size >= PARSED_ROLES) parsedRoles.clear();
      list = JSON.parse(text) as CourseRole[];
      parsedRoles.set(text, list);
    }
    return list;
  }

  const isAdministrator = (caller: Caller) => settings.allowAdministrator && caller.administrator;

  return {
    async canSee(caller, courseId) {
      if (isAdministrator(caller)) return true;
      return (await roles(caller, courseId)).some(
        (r) => r.course_id === courseId && allowed.has(r.role),
      );
    },
    async visibleCourses(caller) {
      if (isAdministrator(caller)) return 'all';
      return new Set(
        (await roles(caller)).filter((r) => allowed.has(r.role)).map((r) => r.course_id),
      );
    },
  };
}

/**
 * `GET {LMS}/api/enrollment/v1/roles/[?course_id=]` as the caller. The LMS refusing the token is
 * a 401; the LMS not answering (3 s), or answering with an error, a 503.
 */
async function fetchRoles(
  lmsBaseUrl: string,
  token: string,
  courseId?: string,
): Promise<CourseRole[]> {
  const url = new URL(`${lmsBaseUrl}/api/enrollment/v1/roles/`);
  if (courseId) url.searchParams.set('course_id', courseId);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `JWT ${token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(LMS_TIMEOUT_MS),
    });
  } catch {
    throw lmsUnavailable();
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw unauthorized('the LMS does not accept the token');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw lmsUnavailable();
  }
  const body = (await response.json().catch(() => undefined)) as { roles?: unknown } | undefined;
  if (!Array.isArray(body?.roles)) throw lmsUnavailable();
  return body.roles
    .filter(
      (r): r is CourseRole =>
        typeof r?.course_id === 'string' && typeof (r as CourseRole).role === 'string',
    )
    .map(({ course_id, role }) => ({ course_id, role }));
}

const lmsUnavailable = () =>
  new ApiError(503, 'lms_unavailable', 'the LMS cannot be asked for course roles; try again');
