// GET /api/v1/courses/{course}/pages?from&to: time outside units, per page kind.
import { pages as pagesQuery, type Pages } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { range } from '../params.ts';

export const pages = new Hono<AppEnv>().get('/', async (c) => {
  const days = range(c.req.query());
  const json = await cachedJson(c, 'pages', days, () =>
    pagesQuery(c.get('services').sql, { ...courseArgs(c), ...days }),
  );
  return answer(c, json, (data: Pages) =>
    objectsCsv(
      courseFileName(c.get('courseId'), 'pages', days),
      Object.entries(data).map(([page, time_s]) => ({ page, time_s })),
    ),
  );
});
