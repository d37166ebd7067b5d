// A course's data version: grows with every processor run that changed the course
// (course_processing.data_version). Cached answers are keyed by it, so new numbers are served as
// soon as they exist. With Redis, the processor publishes each new version (docs/cli.md#process)
// and this process remembers versions (30 s at most) while it is subscribed, forgetting a
// course's at each announcement; without Redis, or while the subscription is down, every lookup
// asks PostgreSQL.
import { courseDataVersion, type Sql } from '@course-stats/db';
import type { Redis } from 'ioredis';
import { newRedis } from './cache.ts';

/** The processor's channel (processor/src/kpis/announce.ts): `{"course_id", "data_version"}`. */
export const PROCESSED_CHANNEL = 'course-stats:processed';

/** How long a remembered version is trusted without news, should a publication get lost. */
const REMEMBER_MS = 30_000;

export interface DataVersions {
  /** Null: nothing is stored for the course. */
  get(courseId: string): Promise<number | null>;
  close(): Promise<void>;
}

export function dataVersions(sql: Sql, redisUrl?: string): DataVersions {
  const remembered = new Map<string, { version: number; until: number }>();
  /** Counts the news of each course: a lookup older than the latest news is not remembered. */
  const news = new Map<string, number>();
  let subscriber: Redis | undefined;
  let listening = false;
  if (redisUrl) {
    subscriber = newRedis(redisUrl);
    subscriber.on('ready', () => {
      remembered.clear(); // news may have been missed while away
      subscriber!.subscribe(PROCESSED_CHANNEL).then(
        () => (listening = true),
        () => (listening = false),
      );
    });
    subscriber.on('close', () => {
      listening = false;
      remembered.clear();
    });
    // The message is only a hint: the version is read again from PostgreSQL, the truth (another
    // installation sharing this Redis may announce the same course id).
    subscriber.on('message', (_channel: string, message: string) => {
      const courseId = courseOf(message);
      if (courseId === undefined) return;
      remembered.delete(courseId);
      news.set(courseId, (news.get(courseId) ?? 0) + 1);
    });
  }

  return {
    async get(courseId) {
      const known = remembered.get(courseId);
      if (listening && known && known.until > Date.now()) return known.version;
      const newsBefore = news.get(courseId);
      const version = await courseDataVersion(sql, courseId);
      if (listening && version !== null && news.get(courseId) === newsBefore) {
        remembered.set(courseId, { version, until: Date.now() + REMEMBER_MS });
      }
      return version;
    },
    async close() {
      subscriber?.disconnect();
    },
  };
}

function courseOf(message: string): string | undefined {
  try {
    const courseId = (JSON.parse(message) as { course_id?: unknown })?.course_id;
    return typeof courseId === 'string' ? courseId : undefined;
  } catch {
    return undefined;
  }
}
