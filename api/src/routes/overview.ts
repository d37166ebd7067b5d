// GET /api/v1/courses/{course}/overview?from&to: course totals and one entry per day.
import { overview as overviewQuery, type Overview } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { range } from '../params.ts';

export const overview = new Hono<AppEnv>().get('/', async (c) => {
  const days = range(c.req.query());
  const json = await cachedJson(c, 'overview', days, () =>
    overviewQuery(c.get('services').sql, { ...courseArgs(c), ...days }),
  );
  return answer(c, json, (data: Overview) =>
    objectsCsv(courseFileName(c.get('courseId'), 'daily', days), data.series as never),
  );
});
