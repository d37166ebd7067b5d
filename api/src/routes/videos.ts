// GET /api/v1/courses/{course}/videos?from&to: per video; .../videos/{video}/timeline?from&to:
// viewers and views of every second of one video.
import { videos as videosQuery, videoTimeline, type VideoTimeline } from '@course-stats/db';
import { Hono } from 'hono';
import { answer, cachedJson, courseArgs } from '../answer.ts';
import type { AppEnv } from '../context.ts';
import { courseFileName, objectsCsv } from '../csv.ts';
import { notFound } from '../errors.ts';
import { range, usageKey } from '../params.ts';

export const videos = new Hono<AppEnv>()
  .get('/', async (c) => {
    const days = range(c.req.query());
    const json = await cachedJson(c, 'videos', days, () =>
      videosQuery(c.get('services').sql, { ...courseArgs(c), ...days }),
    );
    return answer(c, json, (rows: Record<string, unknown>[]) =>
      objectsCsv(courseFileName(c.get('courseId'), 'videos', days), rows),
    );
  })
  .get('/:video/timeline', async (c) => {
    const videoKey = usageKey('video', c.req.param('video'), 'video');
    const params = { videoKey, ...range(c.req.query()) };
    const json = await cachedJson(c, 'video-timeline', params, () =>
      videoTimeline(c.get('services').sql, { ...courseArgs(c), ...params }),
    );
    if (json === 'null') throw notFound(`video ${videoKey}`);
    return answer(c, json, (data: VideoTimeline) =>
      objectsCsv(
        courseFileName(c.get('courseId'), 'video-timeline', params),
        data.seconds as never,
        ['s', 'viewers', 'views', 'repeats'],
      ),
    );
  });
