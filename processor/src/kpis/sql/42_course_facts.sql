-- Facts read from every fresh event of the course, activity or not: enrollment changes
-- (kpis.md §9, the learner is payload.user_id), the largest duration and position events
-- report per video (kpis.md §2), and the signs that a user is course staff (kpis.md §3:
-- requests to the instructor dashboard; the hosts events come from, matched against the
-- Studio host when the exclusions are rebuilt).
INSERT INTO enrollment_changes (course_id, learner, time, file_id, line_no, day, active)
SELECT current_setting('stats.course'), learner, time, file_id, line_no,
  (time AT TIME ZONE current_setting('stats.time_zone'))::date, enrollment
FROM course_events
WHERE fresh AND enrollment IS NOT NULL AND learner IS NOT NULL
ON CONFLICT DO NOTHING;

INSERT INTO video_event_extents (course_id, video_key, max_duration, max_position)
SELECT current_setting('stats.course'), b.usage_key,
  max(e.duration_s) FILTER (WHERE e.duration_s > 0 AND e.duration_s < 'Infinity'),
  max(e.position_s) FILTER (WHERE e.position_s < 'Infinity')
FROM (
  SELECT video_ref, fresh, stats_number(duration_s) AS duration_s,
    greatest(stats_number(current_time_s), stats_number(old_time_s), stats_number(new_time_s))
      AS position_s
  FROM course_events
) e
JOIN block_lookup b ON b.block_id = stats_block_id(e.video_ref) AND b.kind = 'component'
WHERE e.fresh AND e.video_ref IS NOT NULL
GROUP BY b.usage_key
ON CONFLICT (course_id, video_key) DO UPDATE
SET max_duration = greatest(video_event_extents.max_duration, excluded.max_duration),
    max_position = greatest(video_event_extents.max_position, excluded.max_position);

INSERT INTO staff_signals (course_id, learner, signal)
SELECT DISTINCT current_setting('stats.course'), learner, signal
FROM (
  SELECT learner, 'instructor' AS signal
  FROM course_events
  WHERE fresh AND learner IS NOT NULL AND is_server AND EXISTS (
    SELECT FROM unnest(string_to_array(current_setting('stats.course_ids'), ' ')) c (id)
    WHERE starts_with(server_path, '/courses/' || c.id || '/instructor'))
  UNION ALL
  SELECT learner, 'host:' || lower(split_part(host, ':', 1))
  FROM course_events
  WHERE fresh AND learner IS NOT NULL AND host IS NOT NULL
) s
ON CONFLICT DO NOTHING;
