// GET /api/v1/courses/{course}/units?from&to[&group=sequential|chapter]: per unit in course
// order, or the same sums one level up.
import { units as unitsQuery } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { oneOf, range } from '../params.ts';

export const units = new Hono<AppEnv>().get('/', async (c) => {
  const query = c.req.query();
  const params = { ...range(query), group: oneOf(query, 'group', GROUPS, 'unit') };
  const json = await cachedJson(c, 'units', params, () =>
    unitsQuery(c.get('services').sql, { ...courseArgs(c), ...params }),
  );
  const what = params.group === 'unit' ? 'units' : `${params.group}s`;
  return answer(c, json, (rows: Record<string, unknown>[]) =>
    objectsCsv(courseFileName(c.get('courseId'), what, params), rows),
  );
});

const GROUPS = ['unit', 'sequential', 'chapter'] as const;
