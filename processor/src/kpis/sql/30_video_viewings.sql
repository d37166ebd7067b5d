-- Layer 3, video viewings (kpis.md §8) of the scoped learners' sessions from their cut on. A
-- viewing starts at a play, at currentTime, or at the new_time of a seek of the same video that
-- was the learner's previous viewing event on it in the session; it ends at the next viewing
-- event of the session when that is a pause or stop of the same video (currentTime) or a seek
-- of it (old_time). Any other next event, or none, leaves it without an end: dropped. So are
-- viewings shorter than stats.min_viewing_s and those with a missing, negative or non-finite
-- offset. The duration rule (end > duration + 1) is applied when read: a later event can still
-- raise a video's duration.
INSERT INTO video_viewings (course_id, video_key, learner, session_start, start_time, day,
  start_pos, end_pos)
WITH viewing_events AS (
  SELECT a.learner, a.time, a.file_id, a.line_no, a.viewing, a.video_id, a.video_key,
    a.current_time_s, a.old_time_s, a.new_time_s, le.session_start
  FROM attributed a
  JOIN scoped_learner_events le ON le.learner = a.learner AND le.time = a.time
    AND le.file_id = a.file_id AND le.line_no = a.line_no
  WHERE a.viewing IS NOT NULL
), chained AS (
  SELECT v.*,
    lead(v.viewing) OVER session_order AS next_viewing,
    lead(v.video_id) OVER session_order AS next_video_id,
    lead(v.current_time_s) OVER session_order AS next_current_time_s,
    lead(v.old_time_s) OVER session_order AS next_old_time_s,
    lag(v.viewing) OVER video_order AS previous_viewing,
    lag(v.new_time_s) OVER video_order AS previous_new_time_s
  FROM viewing_events v
  WINDOW session_order AS (PARTITION BY v.learner, v.session_start
           ORDER BY v.time, v.file_id, v.line_no),
         video_order AS (PARTITION BY v.learner, v.session_start, v.video_id
           ORDER BY v.time, v.file_id, v.line_no)
), viewings AS (
  SELECT c.learner, c.video_key, c.session_start, c.time,
    CASE WHEN c.previous_viewing = 'seek' THEN c.previous_new_time_s ELSE c.current_time_s END
      AS start_pos,
    CASE WHEN c.next_video_id = c.video_id THEN CASE
      WHEN c.next_viewing IN ('pause', 'stop') THEN c.next_current_time_s
      WHEN c.next_viewing = 'seek' THEN c.next_old_time_s END END AS end_pos
  FROM chained c
  WHERE c.viewing = 'play' AND c.video_key IS NOT NULL
)
SELECT current_setting('stats.course'), v.video_key, v.learner, v.session_start, v.time,
  (v.time AT TIME ZONE current_setting('stats.time_zone'))::date, v.start_pos, v.end_pos
FROM viewings v
WHERE v.start_pos >= 0 AND v.end_pos >= 0
  AND v.start_pos < 'Infinity' AND v.end_pos < 'Infinity'
  AND v.end_pos - v.start_pos >= current_setting('stats.min_viewing_s')::float8;
