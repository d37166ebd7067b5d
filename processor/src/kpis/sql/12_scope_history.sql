-- The already processed events of the scoped learners from their cut on (incremental runs
-- only): the rest of the sessions that fresh events continue, recomputed with them.
INSERT INTO course_events
SELECT s.time, s.file_id, s.line_no, s.learner, false, s.event_type, s.event_name, s.is_server,
  s.server_path, s.page, s.host, s.is_activity, s.is_page_close, s.enrollment, s.nav_ref,
  s.nav_position, s.nav_step, s.jump_url, s.component_ref, s.completion_ref, s.completion_value,
  s.viewing, s.video_ref, s.current_time_s, s.old_time_s, s.new_time_s, s.duration_s
FROM scope sc
JOIN course_event_source s
  ON s.raw_course_id = ANY (string_to_array(current_setting('stats.course_ids'), ' '))
  AND s.user_id = sc.learner AND s.time >= sc.cut
WHERE NOT EXISTS (
  SELECT FROM file_courses fc
  WHERE fc.file_id = s.file_id AND fc.raw_course_id = s.raw_course_id AND fc.processed_at IS NULL);

INSERT INTO course_events
SELECT s.time, s.file_id, s.line_no, s.learner, false, s.event_type, s.event_name, s.is_server,
  s.server_path, s.page, s.host, s.is_activity, s.is_page_close, s.enrollment, s.nav_ref,
  s.nav_position, s.nav_step, s.jump_url, s.component_ref, s.completion_ref, s.completion_value,
  s.viewing, s.video_ref, s.current_time_s, s.old_time_s, s.new_time_s, s.duration_s
FROM scope sc
JOIN learner_names n ON n.learner = sc.learner
JOIN course_event_source s
  ON s.raw_course_id = ANY (string_to_array(current_setting('stats.course_ids'), ' '))
  AND s.user_id IS NULL AND s.username = n.username AND s.time >= sc.cut
WHERE NOT EXISTS (
  SELECT FROM file_courses fc
  WHERE fc.file_id = s.file_id AND fc.raw_course_id = s.raw_course_id AND fc.processed_at IS NULL);
ANALYZE course_events;
