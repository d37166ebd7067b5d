-- What each event name of the course's files (file_courses.names; the name is event_name, else
-- event_type) means to the rules, decided once per name: events the learner did not cause
-- (kpis.md §3), video events, page_close, enrollment changes (§9), sequence navigation with the
-- payload field that holds the target tab and how it is offset (§4 rule 1), jumps (rule 2),
-- completion changes (§7) and viewing events (§8). A run table (see 11_locations.sql).
CREATE UNLOGGED TABLE run_event_names AS
SELECT n.name,
  stats_is_passive(n.name) AS is_passive,
  stats_is_video_event(n.name) AS is_video,
  n.name = 'page_close' AS is_page_close,
  n.name LIKE 'edx.course.enrollment.%' AS is_enrollment,
  CASE n.name WHEN 'edx.course.enrollment.activated' THEN true
    WHEN 'edx.course.enrollment.deactivated' THEN false END AS enrollment,
  n.name IN ('seq_goto', 'seq_next', 'seq_prev', 'edx.ui.lms.sequence.tab_selected',
    'edx.ui.lms.sequence.next_selected', 'edx.ui.lms.sequence.previous_selected') AS is_navigation,
  CASE
    WHEN n.name IN ('seq_goto', 'seq_next', 'seq_prev') THEN 'new'
    WHEN n.name = 'edx.ui.lms.sequence.tab_selected' THEN 'target_tab'
    WHEN n.name IN ('edx.ui.lms.sequence.next_selected', 'edx.ui.lms.sequence.previous_selected')
      THEN 'current_tab'
  END AS tab_field,
  CASE n.name WHEN 'edx.ui.lms.sequence.next_selected' THEN 1
    WHEN 'edx.ui.lms.sequence.previous_selected' THEN -1 ELSE 0 END AS tab_offset,
  CASE WHEN n.name IN ('seq_next', 'edx.ui.lms.sequence.next_selected') THEN 1
    WHEN n.name IN ('seq_prev', 'edx.ui.lms.sequence.previous_selected') THEN -1
    ELSE 0 END AS nav_step,
  stats_jump_url(n.name, '{}') IS NOT NULL AS is_jump,
  n.name = 'edx.completion.block_completion.changed' AS is_completion,
  CASE
    WHEN n.name IN ('play_video', 'edx.video.played') THEN 'play'
    WHEN n.name IN ('pause_video', 'edx.video.paused') THEN 'pause'
    WHEN n.name IN ('stop_video', 'edx.video.stopped') THEN 'stop'
    WHEN n.name IN ('seek_video', 'edx.video.position.changed') THEN 'seek'
  END AS viewing
FROM (
  SELECT DISTINCT unnest(names) AS name FROM file_courses
  WHERE raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
) n;
CREATE UNIQUE INDEX ON run_event_names (name);
ANALYZE run_event_names;
