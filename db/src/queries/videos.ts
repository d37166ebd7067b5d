// Views, viewers, watch time and coverage per active video for a range (kpis.md §8, §10), from
// valid_video_viewings and video_durations (db/migrations/0004_read_views.sql), or, for a range
// covering the course's whole history, from the processor's rollup_videos.
import type { Queryable } from '../connect.ts';
import { coverageCtes, notExcluded, rollupAnswers } from './fragments.ts';
import type { CourseRange, VideoRow, VideoTimeline } from './types.ts';

/**
 * One row per active video in course order. Views, viewers and watch time count the viewings
 * that start in the range; completed viewers and mean coverage are over the viewers in the range,
 * with coverage at `to` (every viewing up to `to`).
 */
export async function videos(
  sql: Queryable,
  { courseId, from, to }: CourseRange,
): Promise<VideoRow[]> {
  const rolled = await sql<(VideoRow & { course_id: string | null })[]>`
    SELECT v.course_id, v.video_key AS id, v.label, v.name, v.duration::float8 AS duration,
           v.views::float8 AS views,
           v.viewers::float8 AS viewers,
           v.watch_s::float8 AS watch_s,
           v.completed_viewers::float8 AS completed_viewers,
           v.mean_coverage::float8 AS mean_coverage
    FROM rollup_state s
    LEFT JOIN rollup_videos v ON v.course_id = s.course_id
    WHERE ${rollupAnswers(sql, courseId, { from, to })}
    ORDER BY v.course_order`;
  if (rolled.length > 0) {
    return rolled.filter((row) => row.course_id !== null).map(({ course_id: _c, ...row }) => row);
  }
  const rows = await sql<VideoRow[]>`
    WITH ${coverageCtes(sql, courseId, to)},
    in_range AS (
      SELECT f.video_key, f.learner, count(*) AS views, sum(f.length_s) AS watch_s
      FROM valid_video_viewings f
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND ${notExcluded(sql, courseId)}
      GROUP BY f.video_key, f.learner
    ),
    numbers AS (
      SELECT r.video_key,
             sum(r.views) AS views,
             count(*) AS viewers,
             sum(r.watch_s) AS watch_s,
             count(*) FILTER (WHERE c.coverage >= 0.9) AS completed_viewers,
             avg(c.coverage) AS mean_coverage
      FROM in_range r
      LEFT JOIN coverage c ON c.learner = r.learner AND c.video_key = r.video_key
      GROUP BY r.video_key
    )
    SELECT v.usage_key AS id, u.label, v.name, d.duration::float8 AS duration,
           coalesce(n.views, 0)::float8 AS views,
           coalesce(n.viewers, 0)::float8 AS viewers,
           coalesce(n.watch_s, 0)::float8 AS watch_s,
           coalesce(n.completed_viewers, 0)::float8 AS completed_viewers,
           n.mean_coverage::float8 AS mean_coverage
    FROM course_blocks v
    LEFT JOIN course_blocks u ON u.course_id = v.course_id AND u.usage_key = v.unit_key
    LEFT JOIN video_durations d ON d.course_id = v.course_id AND d.video_key = v.usage_key
    LEFT JOIN numbers n ON n.video_key = v.usage_key
    WHERE v.course_id = ${courseId} AND v.kind = 'component' AND v.block_type = 'video' AND v.active
    ORDER BY v.course_order`;
  return [...rows];
}

export interface VideoTimelineParams extends CourseRange {
  /** The video's usage key. */
  videoKey: string;
}

/**
 * Per second s = 0 … ceil(duration) − 1 of a video: learners and viewings in the range covering
 * it (a viewing [a, b] covers s when ceil(a − 0.5) ≤ s < b − 0.5), and repeats = views − viewers.
 * Null when the course's structure has no such video (active or not); no seconds when its
 * duration is unknown.
 */
export async function videoTimeline(
  sql: Queryable,
  { courseId, videoKey, from, to }: VideoTimelineParams,
): Promise<VideoTimeline | null> {
  const [row] = await sql<VideoTimeline[]>`
    WITH video AS (
      SELECT d.duration, ceil(d.duration)::int AS seconds
      FROM course_blocks b
      LEFT JOIN video_durations d ON d.course_id = b.course_id AND d.video_key = b.usage_key
      WHERE b.course_id = ${courseId} AND b.usage_key = ${videoKey}
        AND b.kind = 'component' AND b.block_type = 'video'
    ),
    covered AS (
      SELECT s.s, count(DISTINCT f.learner) AS viewers, count(*) AS views
      FROM valid_video_viewings f
      CROSS JOIN video
      CROSS JOIN LATERAL generate_series(
        greatest(0, ceil(f.start_pos - 0.5)::int),
        least(video.seconds, ceil(f.end_pos - 0.5)::int) - 1) s (s)
      WHERE f.course_id = ${courseId} AND f.video_key = ${videoKey}
        AND f.day BETWEEN ${from}::date AND ${to}::date AND ${notExcluded(sql, courseId)}
      GROUP BY s.s
    )
    SELECT video.duration::float8 AS duration,
           (SELECT coalesce(json_agg(json_build_object(
                     's', s.s,
                     'viewers', coalesce(c.viewers, 0),
                     'views', coalesce(c.views, 0),
                     'repeats', coalesce(c.views - c.viewers, 0)) ORDER BY s.s), '[]')
            FROM generate_series(0, video.seconds - 1) s (s)
            LEFT JOIN covered c ON c.s = s.s) AS seconds
    FROM video`;
  return row ?? null;
}
