-- Layer 1, attributed events: every activity event of the scoped learners from their cut on,
-- with its own place (kpis.md §4): a unit usage key or a page kind. The rules apply in order:
-- 1 sequence navigation, 2 jumps, 3 page requests, 4 component events, 5 page URL, 6 other
-- course pages; page_close is always neutral. place_type says what the event found:
-- unit | page | unresolved | neutral, or seq_last / chapter_last (a courseware URL without a
-- unit: the learner's last unit there, resolved by the next statement).

-- Every distinct URL or path once, parsed and looked up in the structure.
CREATE TEMP TABLE locations ON COMMIT DROP AS
SELECT u.url, l.kind,
  CASE
    WHEN l.kind IN ('unit_key', 'component') THEN CASE
      WHEN b.kind = 'unit' THEN 'unit'
      WHEN b.kind IN ('component', 'container') THEN 'unit'
      WHEN b.kind IN ('sequential', 'chapter') AND l.kind = 'unit_key' AND fu.unit_key IS NOT NULL
        THEN 'unit'
      ELSE 'unresolved' END
    WHEN l.kind = 'courseware' THEN CASE WHEN up.unit_key IS NOT NULL THEN 'unit' ELSE 'unresolved' END
    WHEN l.kind = 'seq_last' THEN CASE WHEN b.kind = 'sequential' THEN 'seq_last' ELSE 'unresolved' END
    WHEN l.kind = 'chapter_last' THEN CASE WHEN b.kind = 'chapter' THEN 'chapter_last' ELSE 'unresolved' END
    WHEN l.kind = 'page' THEN 'page'
    ELSE 'neutral'
  END AS place_type,
  CASE
    WHEN l.kind IN ('unit_key', 'component') THEN CASE
      WHEN b.kind = 'unit' THEN b.usage_key
      WHEN b.kind IN ('component', 'container') THEN b.unit_key
      WHEN b.kind IN ('sequential', 'chapter') AND l.kind = 'unit_key' THEN fu.unit_key END
    WHEN l.kind = 'courseware' THEN up.unit_key
    WHEN l.kind IN ('seq_last', 'chapter_last') THEN b.usage_key
    WHEN l.kind = 'page' THEN l.key
  END AS place_key,
  CASE WHEN l.kind = 'component' AND b.kind = 'component' AND b.randomized THEN b.usage_key END
    AS randomized_key
FROM (
  SELECT server_path AS url FROM course_events WHERE server_path IS NOT NULL
  UNION SELECT page FROM course_events WHERE page IS NOT NULL
  UNION SELECT jump_url FROM course_events WHERE jump_url IS NOT NULL
) u
CROSS JOIN LATERAL stats_location(u.url, current_setting('stats.course'),
  nullif(current_setting('stats.legacy_course'), '')) l
LEFT JOIN block_lookup b ON b.block_id = stats_block_id(l.key) AND l.kind <> 'page'
LEFT JOIN first_units fu ON fu.container_key = b.usage_key
LEFT JOIN unit_positions up ON l.kind = 'courseware' AND up.sequential_key = b.usage_key
  AND b.kind = 'sequential' AND up.position = l.unit_position
WHERE l.kind IS NOT NULL;
CREATE UNIQUE INDEX ON locations (url);
ANALYZE locations;

CREATE TEMP TABLE attributed ON COMMIT DROP AS
SELECT e.learner, e.time, e.file_id, e.line_no, e.is_page_close, e.viewing,
  stats_block_id(e.video_ref) AS video_id, video.usage_key AS video_key,
  stats_number(e.current_time_s) AS current_time_s, stats_number(e.old_time_s) AS old_time_s,
  stats_number(e.new_time_s) AS new_time_s,
  completion.usage_key AS completion_key, stats_number(e.completion_value) AS completion_value,
  coalesce(CASE WHEN component.randomized THEN component.usage_key END, server.randomized_key)
    AS randomized_key,
  r.place_type, r.place_key
FROM course_events e
JOIN scope s ON s.learner = e.learner AND e.time >= s.cut
LEFT JOIN locations server ON e.is_server AND server.url = e.server_path
LEFT JOIN locations page ON NOT e.is_server AND page.url = e.page
LEFT JOIN locations jump ON jump.url = e.jump_url
LEFT JOIN block_lookup nav ON nav.block_id = stats_block_id(e.nav_ref) AND nav.kind = 'sequential'
LEFT JOIN unit_positions nav_first ON nav_first.sequential_key = nav.usage_key
  AND nav_first.position = 1
LEFT JOIN unit_positions nav_target ON nav_target.unit_order = CASE
  WHEN e.nav_position BETWEEN 1 AND nav_first.units_in_sequential
    THEN nav_first.unit_order + e.nav_position - 1
  WHEN e.nav_step = 1 AND e.nav_position = nav_first.units_in_sequential + 1
    THEN nav_first.unit_order + nav_first.units_in_sequential
  WHEN e.nav_step = -1 AND e.nav_position = 0 THEN nav_first.unit_order - 1 END
LEFT JOIN block_lookup component ON component.block_id = stats_block_id(e.component_ref)
LEFT JOIN block_lookup video ON video.block_id = stats_block_id(e.video_ref)
  AND video.kind = 'component'
LEFT JOIN block_lookup completion ON completion.block_id = stats_block_id(e.completion_ref)
CROSS JOIN LATERAL (
  SELECT
    CASE
      WHEN e.is_page_close THEN 'neutral'
      WHEN e.nav_ref IS NOT NULL THEN CASE WHEN nav_target.unit_key IS NOT NULL THEN 'unit' ELSE 'unresolved' END
      WHEN e.jump_url IS NOT NULL THEN coalesce(jump.place_type, 'neutral')
      WHEN server.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last')
        AND server.kind <> 'component' THEN server.place_type
      WHEN e.component_ref IS NOT NULL THEN CASE
        WHEN component.kind IN ('unit', 'component', 'container') THEN 'unit' ELSE 'unresolved' END
      WHEN server.kind = 'component' THEN server.place_type
      WHEN page.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last') THEN page.place_type
      WHEN server.place_type = 'page' THEN 'page'
      WHEN page.place_type = 'page' THEN 'page'
      ELSE 'neutral'
    END AS place_type,
    CASE
      WHEN e.is_page_close THEN NULL
      WHEN e.nav_ref IS NOT NULL THEN nav_target.unit_key
      WHEN e.jump_url IS NOT NULL THEN jump.place_key
      WHEN server.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last')
        AND server.kind <> 'component' THEN server.place_key
      WHEN e.component_ref IS NOT NULL THEN CASE
        WHEN component.kind = 'unit' THEN component.usage_key
        WHEN component.kind IN ('component', 'container') THEN component.unit_key END
      WHEN server.kind = 'component' THEN server.place_key
      WHEN page.place_type IN ('unit', 'unresolved', 'seq_last', 'chapter_last') THEN page.place_key
      WHEN server.place_type = 'page' THEN server.place_key
      WHEN page.place_type = 'page' THEN page.place_key
    END AS place_key
) r
WHERE e.is_activity;

-- Courseware URLs without a unit: the learner's last unit in that sequential (or chapter)
-- before the event, over the whole history, else its first unit. Set-based: the events placed
-- in a unit mark their sequential and chapter, and each pending event takes the last mark of
-- its container before it (a running count makes groups that start at a mark).
CREATE TEMP TABLE pending_containers ON COMMIT DROP AS
SELECT DISTINCT learner, place_key AS container
FROM attributed WHERE place_type IN ('seq_last', 'chapter_last');
ANALYZE pending_containers;

WITH marks AS (
  SELECT a.learner, a.time, a.file_id, a.line_no, c.container, a.place_key AS unit_key
  FROM attributed a
  JOIN unit_positions u ON u.unit_key = a.place_key
  CROSS JOIN LATERAL (VALUES (u.sequential_key), (u.chapter_key)) c (container)
  JOIN pending_containers p ON p.learner = a.learner AND p.container = c.container
  WHERE a.place_type = 'unit'
  UNION ALL
  SELECT learner, time, file_id, line_no, place_key, NULL
  FROM attributed WHERE place_type IN ('seq_last', 'chapter_last')
  UNION ALL
  (SELECT DISTINCT ON (le.learner, c.container) le.learner, le.time, le.file_id, le.line_no,
    c.container, le.own_place
  FROM learner_events le
  JOIN scope s USING (learner)
  JOIN course_blocks b ON b.course_id = le.course_id AND b.usage_key = le.own_place
  CROSS JOIN LATERAL (VALUES (b.sequential_key), (b.chapter_key)) c (container)
  JOIN pending_containers p ON p.learner = le.learner AND p.container = c.container
  WHERE le.course_id = current_setting('stats.course') AND le.time < s.cut
    AND le.learner IN (SELECT learner FROM pending_containers)
  ORDER BY le.learner, c.container, le.time DESC, le.file_id DESC, le.line_no DESC)
), grouped AS (
  SELECT m.*, count(unit_key) OVER w AS grp
  FROM marks m
  WINDOW w AS (PARTITION BY learner, container ORDER BY time, file_id, line_no, unit_key NULLS LAST)
), resolved AS (
  SELECT g.*, first_value(unit_key) OVER (
    PARTITION BY learner, container, grp ORDER BY time, file_id, line_no, unit_key NULLS LAST
  ) AS last_unit
  FROM grouped g
)
UPDATE attributed a
SET place_type = 'unit', place_key = coalesce(r.last_unit, fu.unit_key)
FROM resolved r
LEFT JOIN first_units fu ON fu.container_key = r.container
WHERE r.unit_key IS NULL AND a.learner = r.learner AND a.time = r.time
  AND a.file_id = r.file_id AND a.line_no = r.line_no
  AND a.place_type IN ('seq_last', 'chapter_last');

UPDATE attributed SET place_type = 'unresolved', place_key = NULL
WHERE place_type = 'unit' AND place_key IS NULL;
