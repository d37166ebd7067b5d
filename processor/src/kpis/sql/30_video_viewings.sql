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
WITH timeline AS (
  -- the starts of this run's sessions, and the viewing events
  SELECT sp.learner, sp.session_start AS time, NULL::bigint AS file_id, NULL::integer AS line_no,
    true AS is_start, NULL AS viewing, NULL::bigint AS video_id, NULL::integer AS video_block,
    NULL::float8 AS current_time_s, NULL::float8 AS old_time_s, NULL::float8 AS new_time_s
  FROM session_places sp
  JOIN scope s ON s.learner = sp.learner AND sp.session_start >= s.cut
  WHERE sp.course_id = (SELECT current_setting('stats.course')) AND sp.starts_session
  UNION ALL
  SELECT a.learner, a.time, a.file_id, a.line_no, false, a.viewing, a.video_id, a.video_block,
    a.current_time_s, a.old_time_s, a.new_time_s
  FROM attributed a
  WHERE a.viewing IS NOT NULL
), viewing_events AS (
  -- each viewing event in the session that started last at or before it
  SELECT e.* FROM (
    SELECT t.*, max(CASE WHEN t.is_start THEN t.time END) OVER (PARTITION BY t.learner
      ORDER BY t.time, t.is_start DESC, t.file_id, t.line_no) AS session_start
    FROM timeline t
  ) e
  WHERE NOT e.is_start
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
  SELECT c.learner, c.video_block, c.session_start, c.time,
    CASE WHEN c.previous_viewing = 'seek' THEN c.previous_new_time_s ELSE c.current_time_s END
      AS start_pos,
    CASE WHEN c.next_video_id = c.video_id THEN CASE
      WHEN c.next_viewing IN ('pause', 'stop') THEN c.next_current_time_s
      WHEN c.next_viewing = 'seek' THEN c.next_old_time_s END END AS end_pos
  FROM chained c
  WHERE c.viewing = 'play' AND c.video_block IS NOT NULL
)
SELECT (SELECT current_setting('stats.course')), b.usage_key, v.learner, v.session_start, v.time,
  (v.time AT TIME ZONE (SELECT current_setting('stats.time_zone')))::date, v.start_pos, v.end_pos
FROM viewings v
JOIN course_blocks b ON b.block_no = v.video_block
WHERE v.start_pos >= 0 AND v.end_pos >= 0
  AND v.start_pos < 'Infinity' AND v.end_pos < 'Infinity'
  AND v.end_pos - v.start_pos >= (SELECT current_setting('stats.min_viewing_s'))::float8;
