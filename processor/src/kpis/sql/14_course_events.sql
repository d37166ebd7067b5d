-- The events one run works on for one course (setting stats.course), read once from `events`,
-- with their own place (kpis.md §4) and the few fields the later rules read (§1, §3, §7, §8);
-- every name, URL and block reference looked up in 11-13. Rows of files not yet processed for
-- the course are `fresh`; 16_scope_history.sql later adds the older events of the learners
-- whose history is extended. Enrollment events belong to payload.user_id.
--
-- The place rules apply in order: 1 sequence navigation, 2 jumps, 3 page requests, 4 component
-- events, 5 page URL, 6 other course pages; page_close is always neutral. place_type says what
-- the event found: unit | page | unresolved | neutral, or seq_last / chapter_last (a courseware
-- URL without a unit: the learner's last unit there, resolved by 20_container_places.sql).
-- place is a unit's block_no, a page kind (stats_page_place), or that sequential or chapter.

-- course_event_source: every event of the course's registered files (a view: the scope layers
-- read it too). A lookup's key is NULL for the events it does not concern: no payload is read
-- for them.
CREATE OR REPLACE TEMP VIEW course_event_source AS
SELECT
  e.course_id AS raw_course_id, e.user_id, e.username, e.time, e.file_id, e.line_no,
  fc.processed_at IS NULL AS fresh,
  CASE WHEN k.is_enrollment
    THEN coalesce(stats_integer(e.payload -> 'user_id')::bigint, e.user_id, n.learner)
    ELSE coalesce(e.user_id, n.learner) END AS learner,
  NOT (k.is_passive OR stats_is_passive(e.event_type)
       OR coalesce(e.event_source = 'task', false)) AS is_activity,
  k.is_page_close,
  k.enrollment,
  coalesce(server.is_instructor, false) AS is_instructor,
  e.host,
  r.place_type, r.place,
  coalesce(CASE WHEN component.randomized THEN component.block_no END, server.randomized_block)
    AS randomized_block,
  k.viewing,
  CASE WHEN v.by_id AND component.kind = 'component' THEN component.block_no END AS video_block,
  CASE WHEN v.by_id THEN component.video_id END AS video_id,
  CASE WHEN k.is_video THEN stats_number(e.payload -> 'currentTime') END AS current_time_s,
  CASE WHEN k.is_video THEN stats_number(e.payload -> 'old_time') END AS old_time_s,
  CASE WHEN k.is_video THEN stats_number(e.payload -> 'new_time') END AS new_time_s,
  CASE WHEN k.is_video THEN stats_number(e.payload -> 'duration') END AS duration_s,
  CASE WHEN k.is_completion THEN completion.block_no ELSE server.completion_block END
    AS completion_block,
  CASE WHEN k.is_completion OR server.publishes_completion
    THEN stats_number(coalesce(e.payload -> 'completion',
      e.payload -> 'POST' -> 'completion' -> -1, e.payload -> 'POST' -> 'completion'))
  END AS completion_value
FROM events e
JOIN file_courses fc ON fc.file_id = e.file_id AND fc.raw_course_id = e.course_id
JOIN run_event_names k ON k.name = coalesce(e.event_name, e.event_type)
LEFT JOIN learner_names n ON n.username = CASE WHEN e.user_id IS NULL THEN e.username END
LEFT JOIN run_locations server ON server.url = stats_server_path(e.event_source, e.event_type, e.path)
LEFT JOIN run_locations page
  ON page.url = CASE WHEN NOT stats_is_server(e.event_source, e.event_type) THEN e.page END
LEFT JOIN run_locations jump
  ON jump.url = CASE WHEN k.is_jump THEN coalesce(e.payload ->> 'target_url', '') END
LEFT JOIN run_block_references nav
  ON nav.ref = CASE WHEN k.is_navigation THEN e.payload ->> 'id' END
LEFT JOIN run_block_references component ON component.ref = coalesce(
  CASE WHEN k.is_video THEN e.payload ->> 'id' END,
  CASE WHEN e.block IS NOT NULL AND e.block IS DISTINCT FROM e.payload ->> 'id'
    AND e.block IS DISTINCT FROM e.payload ->> 'target_url'
    AND e.block IS DISTINCT FROM e.payload ->> 'usage_key' THEN e.block END,
  CASE WHEN k.is_completion THEN e.payload ->> 'block_id' END)
LEFT JOIN run_block_references completion
  ON completion.ref = CASE WHEN k.is_completion THEN e.payload ->> 'block_id' END
-- a video event names its video by payload id (then `component` is that video)
CROSS JOIN LATERAL (
  SELECT k.is_video AND e.payload ->> 'id' IS NOT NULL AS by_id
) v
CROSS JOIN LATERAL (
  SELECT CASE WHEN k.is_navigation THEN
    stats_integer(e.payload -> k.tab_field) + k.tab_offset END AS nav_position
) t
-- the unit a navigation leads to, by its order in the course (run_units_by_order: 10_structure_lookup.sql)
CROSS JOIN LATERAL (
  SELECT (SELECT units FROM run_units_by_order)[CASE
    WHEN t.nav_position BETWEEN 1 AND nav.units_in_sequential
      THEN nav.first_unit_order + t.nav_position - 1
    WHEN k.nav_step = 1 AND t.nav_position = nav.units_in_sequential + 1
      THEN nav.first_unit_order + nav.units_in_sequential
    WHEN k.nav_step = -1 AND t.nav_position = 0 THEN nav.first_unit_order - 1 END] AS unit_no
) nav_target
CROSS JOIN LATERAL (
  SELECT
    CASE
      WHEN k.is_page_close THEN 'neutral'
      WHEN nav.ref IS NOT NULL THEN
        CASE WHEN nav_target.unit_no IS NOT NULL THEN 'unit' ELSE 'unresolved' END
      WHEN k.is_jump THEN coalesce(jump.place_type, 'neutral')
      WHEN server.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last')
        AND server.kind <> 'component' THEN server.place_type
      WHEN component.ref IS NOT NULL THEN CASE
        WHEN component.kind IN ('unit', 'component', 'container') THEN 'unit' ELSE 'unresolved' END
      WHEN server.kind = 'component' THEN server.place_type
      WHEN page.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last') THEN page.place_type
      WHEN server.place_type = 'page' THEN 'page'
      WHEN page.place_type = 'page' THEN 'page'
      ELSE 'neutral'
    END AS place_type,
    CASE
      WHEN k.is_page_close THEN NULL
      WHEN nav.ref IS NOT NULL THEN nav_target.unit_no
      WHEN k.is_jump THEN jump.place
      WHEN server.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last')
        AND server.kind <> 'component' THEN server.place
      WHEN component.ref IS NOT NULL THEN CASE
        WHEN component.kind = 'unit' THEN component.block_no
        WHEN component.kind IN ('component', 'container') THEN component.unit_no END
      WHEN server.kind = 'component' THEN server.place
      WHEN page.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last') THEN page.place
      WHEN server.place_type = 'page' THEN server.place
      WHEN page.place_type = 'page' THEN page.place
    END AS place
) r;

-- A full run reads every event of the course (in parallel workers when PostgreSQL plans them:
-- CREATE TABLE AS may, INSERT may not); an incremental one those of its fresh files.
CREATE TEMP TABLE course_events ON COMMIT DROP AS
SELECT * FROM (
  -- (OFFSET 0: the test of stats.full stays above the parallel plan, which an incremental run
  -- then never starts)
  SELECT * FROM course_event_source
  WHERE raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
  OFFSET 0
) e
WHERE (SELECT current_setting('stats.full')) = 'on'
UNION ALL
SELECT * FROM course_event_source
WHERE (SELECT current_setting('stats.full')) = 'off' AND fresh
  AND raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
  -- (an array, so that the files' events are found through the index on file_id)
  AND file_id = ANY ((
    SELECT array_agg(file_id) FROM file_courses
    WHERE course_id = (SELECT current_setting('stats.course')) AND processed_at IS NULL)::bigint[]);
-- (the columns later statements filter and join on; a small sample: estimates, not exact counts)
SET LOCAL default_statistics_target = 10;
ANALYZE course_events (learner, time, file_id, line_no, fresh, is_activity, place_type, place);
RESET default_statistics_target;
