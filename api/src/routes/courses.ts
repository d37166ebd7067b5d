// GET /api/v1/courses: the courses the caller may see, with what the LMS (or course-discovery)
// says of them and what the facts say. GET /api/v1/courses/{course}/structure: the course tree.
import { courseStructure, courseSummaries, type CourseListItem } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { objectsCsv } from '../csv.ts';
import { notFound } from '../errors.ts';

const COURSE_COLUMNS = [
  'course_id',
  'name',
  'start',
  'end',
  'image',
  'learners',
  'first_event',
  'last_event',
  'first_day',
  'last_day',
  'last_processed',
];

export const courseList = new Hono<AppEnv>().get('/', async (c) => {
  const { sql, access, courseInfo } = c.get('services');
  const visible = await access.visibleCourses(c.get('caller'));
  if (visible !== 'all' && visible.size === 0) return answer(c, '[]', emptyCsv);
  const summaries = await courseSummaries(sql, visible === 'all' ? undefined : [...visible]);
  const info = await courseInfo(
    summaries.map((s) => s.course_id),
    c.get('caller').token,
  );
  const rows = summaries.map((s): CourseListItem => {
    const about = info.get(s.course_id);
    return {
      course_id: s.course_id,
      name: about?.name ?? s.name,
      start: about?.start ?? null,
      end: about?.end ?? null,
      image: about?.image ?? null,
      learners: s.learners,
      first_event: s.first_event,
      last_event: s.last_event,
      first_day: s.first_day,
      last_day: s.last_day,
      last_processed: s.last_processed,
    };
  });
  return answer(c, JSON.stringify(rows), (data: typeof rows) =>
    objectsCsv('courses.csv', data as unknown as Record<string, unknown>[], COURSE_COLUMNS),
  );
});

const emptyCsv = () => objectsCsv('courses.csv', [], COURSE_COLUMNS);

export const structure = new Hono<AppEnv>().get('/', async (c) => {
  const json = await cachedJson(c, 'structure', {}, () =>
    courseStructure(c.get('services').sql, c.get('courseId')),
  );
  if (json === 'null') throw notFound(`a stored structure of ${c.get('courseId')}`);
  return answer(c, json);
});
