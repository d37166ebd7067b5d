import { Redis } from 'ioredis';
import type { CourseResult } from './process.ts';

/** Redis key holding a course's data version; the API keys its response cache on it. */
export const dataVersionKey = (courseId: string) => `course-stats:data-version:${courseId}`;
/** Redis channel told of every processed course (`{"course_id", "data_version"}`). */
export const PROCESSED_CHANNEL = 'course-stats:processed';

/**
 * Tells the API's cache that courses have new numbers: sets each course's data version and
 * publishes it. The versions also live in Postgres (course_processing), so a Redis that is down
 * costs freshness of caches, not correctness: the error is returned for the caller to report.
 */
export async function announceDataVersions(
  redisUrl: string,
  courses: readonly Pick<CourseResult, 'course_id' | 'data_version'>[],
): Promise<Error | undefined> {
  if (courses.length === 0) return undefined;
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const pipeline = redis.multi();
    for (const { course_id, data_version } of courses) {
      pipeline.set(dataVersionKey(course_id), String(data_version));
      pipeline.publish(PROCESSED_CHANNEL, JSON.stringify({ course_id, data_version }));
    }
    await pipeline.exec();
    return undefined;
  } catch (error) {
    return new Error(`could not announce new data to Redis: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}
