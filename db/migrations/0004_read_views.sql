-- Views the read models of db/src/queries share, so that a rule of kpis.md is written once.

-- video_durations: one row per video a course knows, from its structure (kind 'component',
-- block_type 'video', active or not) or from its events (video_event_extents). kpis.md §2:
--   duration       = the structure's duration, else the largest duration any event reported, else
--                    the largest position seen (each only when above 0); NULL when none is known.
--   known_duration = the same without the last fallback: the duration "from the structure or
--                    events" that the end > duration + 1 rule of kpis.md §8 compares with.
CREATE VIEW video_durations AS
SELECT k.course_id,
       k.video_key,
       coalesce(b.duration, CASE WHEN x.max_duration > 0 THEN x.max_duration END) AS known_duration,
       coalesce(b.duration, CASE WHEN x.max_duration > 0 THEN x.max_duration END,
                CASE WHEN x.max_position > 0 THEN x.max_position END) AS duration
FROM (
  SELECT course_id, usage_key AS video_key
  FROM course_blocks
  WHERE kind = 'component' AND block_type = 'video'
  UNION
  SELECT course_id, video_key FROM video_event_extents
) k
LEFT JOIN course_blocks b
  ON b.course_id = k.course_id AND b.usage_key = k.video_key AND b.duration > 0
LEFT JOIN video_event_extents x
  ON x.course_id = k.course_id AND x.video_key = k.video_key;

-- valid_video_viewings: the rows of video_viewings that count (kpis.md §8). The processor has
-- already dropped viewings that are too short, reversed or with bad offsets; the rule left for
-- reading time is "drop a viewing that ends after duration + 1 s when the duration is known
-- from the structure or from events", applied here because a later event can raise a video's
-- duration. length_s is the viewing's watch time (end_pos - start_pos).
CREATE VIEW valid_video_viewings AS
SELECT v.course_id,
       v.video_key,
       v.learner,
       v.session_start,
       v.start_time,
       v.day,
       v.start_pos,
       v.end_pos,
       v.end_pos - v.start_pos AS length_s
FROM video_viewings v
LEFT JOIN video_durations d ON d.course_id = v.course_id AND d.video_key = v.video_key
WHERE d.known_duration IS NULL OR v.end_pos <= d.known_duration + 1;
