-- The events one run works on for one course (setting stats.course), read once from `events`
-- and narrowed to the fields the KPI rules read (kpis.md §1, §3, §4, §7, §8). Rows of files not
-- yet processed for the course are `fresh`; scope.sql later adds the older events of the
-- learners whose history is extended. Enrollment events belong to payload.user_id. The *_ref
-- columns hold references as logged, the positions, duration and completion value their JSON;
-- the next layers read them with stats_block_id and stats_number (on a plain column Postgres
-- inlines those, on an expression it would call them as functions, row by row).

-- course_event_source: every stored event with the fields the rules read (a view: the scope
-- history layer reads it too); `fresh` when its file is not processed yet for the course.
CREATE OR REPLACE TEMP VIEW course_event_source AS
SELECT
  e.course_id AS raw_course_id, e.user_id, e.username, e.time, e.file_id, e.line_no,
  fc.file_id IS NOT NULL AND fc.processed_at IS NULL AS fresh,
  CASE WHEN x.name LIKE 'edx.course.enrollment.%'
    THEN coalesce(stats_integer(e.payload -> 'user_id')::bigint, e.user_id, n.learner)
    ELSE coalesce(e.user_id, n.learner) END AS learner,
  e.event_type, e.event_name, x.is_server,
  x.server_path,
  e.page, e.host,
  NOT (stats_is_passive(x.name) OR stats_is_passive(e.event_type)
       OR coalesce(e.event_source = 'task', false)) AS is_activity,
  x.name = 'page_close' AS is_page_close,
  CASE x.name WHEN 'edx.course.enrollment.activated' THEN true
    WHEN 'edx.course.enrollment.deactivated' THEN false END AS enrollment,
  CASE WHEN x.name IN ('seq_goto', 'seq_next', 'seq_prev', 'edx.ui.lms.sequence.tab_selected',
    'edx.ui.lms.sequence.next_selected', 'edx.ui.lms.sequence.previous_selected')
    THEN e.payload ->> 'id' END AS nav_ref,
  CASE x.name
    WHEN 'seq_goto' THEN stats_integer(e.payload -> 'new')
    WHEN 'seq_next' THEN stats_integer(e.payload -> 'new')
    WHEN 'seq_prev' THEN stats_integer(e.payload -> 'new')
    WHEN 'edx.ui.lms.sequence.tab_selected' THEN stats_integer(e.payload -> 'target_tab')
    WHEN 'edx.ui.lms.sequence.next_selected' THEN stats_integer(e.payload -> 'current_tab') + 1
    WHEN 'edx.ui.lms.sequence.previous_selected' THEN stats_integer(e.payload -> 'current_tab') - 1
  END AS nav_position,
  CASE WHEN x.name IN ('seq_next', 'edx.ui.lms.sequence.next_selected') THEN 1
    WHEN x.name IN ('seq_prev', 'edx.ui.lms.sequence.previous_selected') THEN -1
    ELSE 0 END AS nav_step,
  CASE WHEN x.name IN ('edx.ui.lms.outline.selected', 'edx.ui.lms.link_clicked',
    'edx.ui.lms.jump_nav.selected') THEN coalesce(e.payload ->> 'target_url', '') END AS jump_url,
  coalesce(
    CASE WHEN x.is_video THEN e.payload ->> 'id' END,
    CASE WHEN e.block IS DISTINCT FROM e.payload ->> 'id'
      AND e.block IS DISTINCT FROM e.payload ->> 'target_url'
      AND e.block IS DISTINCT FROM e.payload ->> 'usage_key' THEN e.block END,
    CASE WHEN x.name = 'edx.completion.block_completion.changed' THEN e.payload ->> 'block_id' END
  ) AS component_ref,
  CASE
    WHEN x.name = 'edx.completion.block_completion.changed' THEN e.payload ->> 'block_id'
    WHEN x.is_server AND x.server_path LIKE '%/handler/publish_completion%'
      THEN split_part(split_part(x.server_path, '/xblock/', 2), '/', 1)
  END AS completion_ref,
  CASE WHEN x.name = 'edx.completion.block_completion.changed'
    OR x.server_path LIKE '%/handler/publish_completion%'
    THEN coalesce(e.payload -> 'completion', e.payload -> 'POST' -> 'completion' -> -1,
      e.payload -> 'POST' -> 'completion') END AS completion_value,
  CASE
    WHEN x.name IN ('play_video', 'edx.video.played') THEN 'play'
    WHEN x.name IN ('pause_video', 'edx.video.paused') THEN 'pause'
    WHEN x.name IN ('stop_video', 'edx.video.stopped') THEN 'stop'
    WHEN x.name IN ('seek_video', 'edx.video.position.changed') THEN 'seek'
  END AS viewing,
  CASE WHEN x.is_video THEN e.payload ->> 'id' END AS video_ref,
  CASE WHEN x.is_video THEN e.payload -> 'currentTime' END AS current_time_s,
  CASE WHEN x.is_video THEN e.payload -> 'old_time' END AS old_time_s,
  CASE WHEN x.is_video THEN e.payload -> 'new_time' END AS new_time_s,
  CASE WHEN x.is_video THEN e.payload -> 'duration' END AS duration_s
FROM events e
LEFT JOIN file_courses fc ON fc.file_id = e.file_id AND fc.raw_course_id = e.course_id
LEFT JOIN learner_names n ON e.user_id IS NULL AND n.username = e.username
CROSS JOIN LATERAL (
  SELECT (coalesce(e.event_source = 'server', false)
    OR (e.event_source IS NULL AND e.event_type LIKE '/%')) AS is_server
) s
CROSS JOIN LATERAL (
  SELECT
    coalesce(e.event_name, e.event_type) AS name,
    s.is_server,
    CASE WHEN s.is_server THEN CASE WHEN e.event_type LIKE '/%' THEN e.event_type ELSE e.path END END
      AS server_path,
    stats_is_video_event(coalesce(e.event_name, e.event_type)) AS is_video
) x;

CREATE TEMP TABLE course_events ON COMMIT DROP AS
SELECT * FROM course_event_source WHERE false;

-- A full run reads every event of the course; an incremental one those of its fresh files.
INSERT INTO course_events
SELECT * FROM course_event_source
WHERE current_setting('stats.full') = 'on'
  AND raw_course_id = ANY (string_to_array(current_setting('stats.course_ids'), ' '));

INSERT INTO course_events
SELECT * FROM course_event_source
WHERE current_setting('stats.full') = 'off'
  AND (file_id, raw_course_id) IN (
    SELECT file_id, raw_course_id FROM file_courses
    WHERE course_id = current_setting('stats.course') AND processed_at IS NULL);
ANALYZE course_events;
