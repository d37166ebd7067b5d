// GET /api/v1/courses/{course}/units?from&to[&group=sequential|chapter]: per unit in course
// order, or the same sums one level up.
import { units as unitsQuery } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { oneOf, range } from '../params.ts';

export const units = new Hono<AppEnv>().get('/', async (c) => {
  const query = c.req.query();
  const params = { ...range(query), group: oneOf(query, 'group', GROUPS, 'unit') };
  const { sql, settings } = c.get('services');
  const json = await cachedJson(c, 'units', params, () =>
    unitsQuery(sql, {
      courseId: c.get('courseId'),
      ...params,
      completionExcludedTypes: settings.completionExcludedTypes,
    }),
  );
  const what = params.group === 'unit' ? 'units' : `${params.group}s`;
  return answer(c, json, (rows: Record<string, unknown>[]) =>
    objectsCsv(courseFileName(c.get('courseId'), what, params), rows),
  );
});

const GROUPS = ['unit', 'sequential', 'chapter'] as const;
