// Names, dates and images of courses for the course list: from course-discovery when
// DISCOVERY_API_BASE_URL is set, else from the LMS Courses API (lms-protocol.md), cached for an
// hour. A course neither knows keeps what the stored structure says (its name); a service that
// fails costs the pictures, not the list.
import type { Cache } from './cache.ts';
import type { ApiSettings } from './settings.ts';

export interface CourseInfo {
  name: string | null;
  start: string | null;
  end: string | null;
  image: string | null;
}

const INFO_TTL_S = 3600;
const MISS_TTL_S = 300;
const TIMEOUT_MS = 3000;
const KEYS_PER_REQUEST = 50;

export type CourseInfoSource = (
  courseIds: string[],
  token: string,
) => Promise<Map<string, CourseInfo>>;

export function courseInfoSource(
  settings: Pick<ApiSettings, 'lmsBaseUrl' | 'discoveryBaseUrl'>,
  cache: Cache,
): CourseInfoSource {
  return async (courseIds, token) => {
    const found = new Map<string, CourseInfo>();
    const missing: string[] = [];
    for (const id of courseIds) {
      const cached = await cache.get(infoKey(id));
      if (cached === undefined) missing.push(id);
      else if (cached !== 'null') found.set(id, JSON.parse(cached));
    }
    for (let i = 0; i < missing.length; i += KEYS_PER_REQUEST) {
      const batch = missing.slice(i, i + KEYS_PER_REQUEST);
      let fetched: Map<string, CourseInfo>;
      try {
        fetched = settings.discoveryBaseUrl
          ? await fromDiscovery(settings.discoveryBaseUrl, batch, token)
          : await fromLms(settings.lmsBaseUrl, batch, token);
      } catch (error) {
        console.warn(`course metadata not available: ${(error as Error).message}`);
        continue; // not cached: asked again next time
      }
      for (const id of batch) {
        const info = fetched.get(id);
        if (info) found.set(id, info);
        await cache.set(infoKey(id), JSON.stringify(info ?? null), info ? INFO_TTL_S : MISS_TTL_S);
      }
    }
    return found;
  };
}

const infoKey = (courseId: string) => `course-info:${courseId}`;

async function getJson(url: string, token: string): Promise<unknown> {
  const response = await fetch(url, {
    headers: { Authorization: `JWT ${token}`, Accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${new URL(url).pathname} answered ${response.status}`);
  }
  return response.json();
}

/** `GET {DISCOVERY}/api/v1/course_runs/?keys=a,b&limit=200` (paged with `next`). */
async function fromDiscovery(base: string, ids: string[], token: string) {
  const found = new Map<string, CourseInfo>();
  let url: string | null =
    `${base}/api/v1/course_runs/?${new URLSearchParams({ keys: ids.join(','), limit: '200' })}`;
  while (url) {
    const page = (await getJson(url, token)) as { results?: DiscoveryRun[]; next?: string | null };
    for (const run of page.results ?? []) {
      found.set(run.key, {
        name: run.title ?? null,
        start: run.start ?? null,
        end: run.end ?? null,
        image: run.image?.src ?? null,
      });
    }
    url = page.next ?? null;
  }
  return found;
}

interface DiscoveryRun {
  key: string;
  title?: string | null;
  start?: string | null;
  end?: string | null;
  image?: { src?: string | null } | null;
}

/** `GET {LMS}/api/courses/v1/courses/?course_keys=a,b&page_size=100` (paged with `pagination.next`). */
async function fromLms(base: string, ids: string[], token: string) {
  const found = new Map<string, CourseInfo>();
  let url: string | null =
    `${base}/api/courses/v1/courses/?${new URLSearchParams({ course_keys: ids.join(','), page_size: '100' })}`;
  while (url) {
    const page = (await getJson(url, token)) as {
      results?: LmsCourse[];
      pagination?: { next?: string | null };
    };
    for (const course of page.results ?? []) {
      const image = course.media?.image;
      found.set(course.id, {
        name: course.name ?? null,
        start: course.start ?? null,
        end: course.end ?? null,
        image: absolute(base, image?.large ?? image?.raw ?? image?.small ?? null),
      });
    }
    url = page.pagination?.next ?? null;
  }
  return found;
}

interface LmsCourse {
  id: string;
  name?: string | null;
  start?: string | null;
  end?: string | null;
  media?: { image?: { raw?: string; small?: string; large?: string } };
}

/** The LMS gives image paths relative to itself. */
function absolute(base: string, url: string | null): string | null {
  return url === null ? null : new URL(url, `${base}/`).toString();
}
