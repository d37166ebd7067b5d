-- Layer 1, attributed events: the activity events of the scoped learners from their cut on,
-- each with its own place (14_course_events.sql), read by the next layers through this view.
-- Every activity event in course_events is one: a fresh one made its learner's scope and cut
-- (15_scope.sql), an older one was read from the cut on (16_scope_history.sql).
CREATE OR REPLACE TEMP VIEW attributed AS
SELECT e.*
FROM course_events e
WHERE e.is_activity AND e.learner IS NOT NULL;

-- Courseware URLs without a unit: the learner's last unit in that sequential (or chapter)
-- before the event, over the whole history, else its first unit. Set-based: the events placed
-- in a unit mark their sequential and chapter, and each pending event takes the last mark of
-- its container before it (a running count makes groups that start at a mark). Before the cut,
-- the stored sessions' last event in each unit stands for the unit's marks (the unit the
-- learner was in last is the one whose last event is latest).
CREATE TEMP TABLE pending_containers ON COMMIT DROP AS
SELECT DISTINCT learner, place AS container
FROM attributed WHERE place_type IN ('seq_last', 'chapter_last');
ANALYZE pending_containers;

WITH marks AS (
  SELECT a.learner, a.time, a.file_id, a.line_no, c.container, a.place AS unit_no
  FROM attributed a
  JOIN unit_positions u ON u.unit_no = a.place
  CROSS JOIN LATERAL (VALUES (u.sequential_no), (u.chapter_no)) c (container)
  JOIN pending_containers p ON p.learner = a.learner AND p.container = c.container
  WHERE a.place_type = 'unit'
  UNION ALL
  SELECT learner, time, file_id, line_no, place, NULL
  FROM attributed WHERE place_type IN ('seq_last', 'chapter_last')
  UNION ALL
  (SELECT DISTINCT ON (sp.learner, c.container) sp.learner, sp.last_time,
    sp.last_event[2], sp.last_event[3]::integer, c.container, sp.place
  FROM session_places sp
  JOIN scope s USING (learner)
  JOIN unit_containers u ON u.unit_no = sp.place
  CROSS JOIN LATERAL (VALUES (u.sequential_no), (u.chapter_no)) c (container)
  JOIN pending_containers p ON p.learner = sp.learner AND p.container = c.container
  WHERE sp.course_id = (SELECT current_setting('stats.course')) AND sp.session_start < s.cut
    AND sp.learner IN (SELECT learner FROM pending_containers)
  ORDER BY sp.learner, c.container, sp.last_event DESC)
), grouped AS (
  SELECT m.*, count(unit_no) OVER w AS grp
  FROM marks m
  WINDOW w AS (PARTITION BY learner, container ORDER BY time, file_id, line_no, unit_no NULLS LAST)
), resolved AS (
  SELECT g.*, first_value(unit_no) OVER (
    PARTITION BY learner, container, grp ORDER BY time, file_id, line_no, unit_no NULLS LAST
  ) AS last_unit
  FROM grouped g
)
UPDATE course_events e
SET place_type = 'unit', place = coalesce(r.last_unit, fu.unit_no)
FROM resolved r
LEFT JOIN first_units fu ON fu.container_no = r.container
WHERE r.unit_no IS NULL AND e.learner = r.learner AND e.time = r.time
  AND e.file_id = r.file_id AND e.line_no = r.line_no
  AND e.place_type IN ('seq_last', 'chapter_last') AND e.is_activity;

UPDATE course_events SET place_type = 'unresolved', place = NULL
WHERE place_type = 'unit' AND place IS NULL;
