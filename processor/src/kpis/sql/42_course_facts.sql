-- Facts read from every fresh event of the course, activity or not: enrollment changes
-- (kpis.md §9, the learner is payload.user_id), the largest duration and position events
-- report per video (kpis.md §2), and the signs that a user is course staff (kpis.md §3:
-- requests to the instructor dashboard; the hosts events come from, matched against the
-- Studio host when the exclusions are rebuilt).
INSERT INTO enrollment_changes (course_id, learner, time, file_id, line_no, day, active)
SELECT (SELECT current_setting('stats.course')), learner, time, file_id, line_no,
  (time AT TIME ZONE (SELECT current_setting('stats.time_zone')))::date, enrollment
FROM course_events
WHERE fresh AND enrollment IS NOT NULL AND learner IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO video_event_extents (course_id, video_key, max_duration, max_position)
SELECT (SELECT current_setting('stats.course')), b.usage_key, x.max_duration, x.max_position
FROM (
  SELECT video_block,
    max(duration_s) FILTER (WHERE duration_s > 0 AND duration_s < 'Infinity') AS max_duration,
    max(position_s) FILTER (WHERE position_s < 'Infinity') AS max_position
  FROM (
    SELECT video_block, duration_s, greatest(current_time_s, old_time_s, new_time_s) AS position_s
    FROM course_events
    WHERE fresh AND video_block IS NOT NULL
  ) e
  GROUP BY video_block
) x
JOIN course_blocks b ON b.block_no = x.video_block
ON CONFLICT (course_id, video_key) DO UPDATE
SET max_duration = greatest(video_event_extents.max_duration, excluded.max_duration),
    max_position = greatest(video_event_extents.max_position, excluded.max_position);

INSERT INTO staff_signals (course_id, learner, signal)
SELECT DISTINCT (SELECT current_setting('stats.course')), learner, signal
FROM (
  SELECT DISTINCT learner, 'instructor' AS signal
  FROM course_events
  WHERE fresh AND learner IS NOT NULL AND is_instructor
  UNION ALL
  SELECT learner, 'host:' || lower(split_part(host, ':', 1))
  FROM (
    SELECT DISTINCT learner, host FROM course_events
    WHERE fresh AND learner IS NOT NULL AND host IS NOT NULL
  ) h
) s
ON CONFLICT DO NOTHING;
