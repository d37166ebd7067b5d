// GET /api/v1/courses/{course}/visits/daily?from&to&group=chapter|sequential|unit: visits per
// day and block, every day of the range.
import { visitsDaily } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { oneOf, range } from '../params.ts';

export const visits = new Hono<AppEnv>().get('/daily', async (c) => {
  const query = c.req.query();
  const params = { ...range(query), group: oneOf(query, 'group', GROUPS, 'chapter') };
  const json = await cachedJson(c, 'visits-daily', params, () =>
    visitsDaily(c.get('services').sql, { ...courseArgs(c), ...params }),
  );
  return answer(c, json, (rows: Record<string, unknown>[]) =>
    objectsCsv(courseFileName(c.get('courseId'), `visits-per-${params.group}`, params), rows, [
      'date',
      'id',
      'visits',
    ]),
  );
});

const GROUPS = ['chapter', 'sequential', 'unit'] as const;
