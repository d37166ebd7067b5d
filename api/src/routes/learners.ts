// GET /api/v1/courses/{course}/learners: the learners list (searchable, sortable, paged; the CSV
// holds every matching learner); .../learners/{username}: one learner in detail;
// .../matrix: learners × units (or chapters) for the grid.
import {
  learnerDetail,
  learners as learnersQuery,
  matrix as matrixQuery,
  type LearnersPage,
  type Matrix,
} from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, csvResponse, objectsCsv, wantsCsv } from '../csv.ts';
import { notFound } from '../errors.ts';
import { learnerSort, oneOf, page, range, search, username } from '../params.ts';

/** A CSV is every row, not one page. */
const ALL_ROWS = { page: 1, pageSize: 1_000_000_000 };

// Parameters are gathered with Object.assign, not spreads: V8 copies each spread after the first
// through a slow runtime call (4 µs a request, a tenth of a cached answer's time, measured).

export const learners = new Hono<AppEnv>()
  .get('/', async (c) => {
    const query = c.req.query();
    const params = Object.assign(
      range(query),
      { q: search(query) },
      learnerSort(query),
      wantsCsv(c) ? ALL_ROWS : page(query),
    );
    const json = await cachedJson(c, 'learners', params, () =>
      learnersQuery(c.get('services').sql, { ...courseArgs(c), ...params }),
    );
    return answer(c, json, (data: LearnersPage) =>
      objectsCsv(courseFileName(c.get('courseId'), 'learners', params), data.rows as never),
    );
  })
  .get('/:username', async (c) => {
    const params = { username: username(c.req.param('username')), ...range(c.req.query()) };
    const json = await cachedJson(c, 'learner', params, () =>
      learnerDetail(c.get('services').sql, { ...courseArgs(c), ...params }),
    );
    if (json === 'null') throw notFound(`learner ${params.username} in ${c.get('courseId')}`);
    return answer(c, json);
  });

export const matrix = new Hono<AppEnv>().get('/', async (c) => {
  const query = c.req.query();
  const params = Object.assign(
    range(query),
    {
      metric: oneOf(query, 'metric', ['time', 'visits', 'completion'] as const, 'time'),
      group: oneOf(query, 'group', ['unit', 'sequential', 'chapter'] as const, 'unit'),
      q: search(query),
    },
    wantsCsv(c) ? ALL_ROWS : page(query),
  );
  const json = await cachedJson(c, 'matrix', params, () =>
    matrixQuery(c.get('services').sql, { ...courseArgs(c), ...params }),
  );
  return answer(c, json, (data: Matrix) =>
    csvResponse(
      courseFileName(c.get('courseId'), `${params.metric}-per-${params.group}`, params),
      ['username', ...data.columns],
      data.rows.map((row) => [row.username, ...row.values]),
    ),
  );
});
