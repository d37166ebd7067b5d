-- Deletes what the scoped learners had stored from their cut on: the sessions that start at or
-- after the cut (session_places, event_credits, video_viewings), completions first seen then,
-- and the daily facts of every local day from the cut's day on (rebuilt from session_places by
-- 40_facts.sql). A cut is a session's start: every stored session ends before it or starts after.
CREATE TEMP TABLE scope_days ON COMMIT DROP AS
SELECT learner, cut, (cut AT TIME ZONE (SELECT current_setting('stats.time_zone')))::date AS cut_day
FROM scope;
ANALYZE scope_days;

DELETE FROM session_places t USING scope s
WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
  AND t.session_start >= s.cut;
DELETE FROM event_credits t USING scope s
WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner AND t.time >= s.cut;
-- What is deleted from the facts the per-learner rollups read is remembered: 60_rollups.sql
-- recomputes those learner × unit (unit or component key) and learner × video pairs.
CREATE TEMP TABLE cleared_blocks (learner bigint, block_key text) ON COMMIT DROP;
CREATE TEMP TABLE cleared_videos (learner bigint, video_key text) ON COMMIT DROP;
WITH cleared AS (
  DELETE FROM video_viewings t USING scope s
  WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
    AND t.session_start >= s.cut
  RETURNING t.learner, t.video_key
)
INSERT INTO cleared_videos SELECT DISTINCT learner, video_key FROM cleared;
WITH cleared AS (
  DELETE FROM completions t USING scope s
  WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
    AND t.first_time >= s.cut
  RETURNING t.learner, t.block_key
)
INSERT INTO cleared_blocks SELECT DISTINCT learner, block_key FROM cleared;
WITH cleared AS (
  DELETE FROM unit_day t USING scope_days s
  WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
    AND t.day >= s.cut_day
  RETURNING t.learner, t.unit_key
)
INSERT INTO cleared_blocks SELECT DISTINCT learner, unit_key FROM cleared;
DELETE FROM page_day t USING scope_days s
WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
  AND t.day >= s.cut_day;
DELETE FROM learner_day t USING scope_days s
WHERE t.course_id = (SELECT current_setting('stats.course')) AND t.learner = s.learner
  AND t.day >= s.cut_day;

-- scoped_session_places: the scoped learners' session rows from their cut's day on, as the
-- next layers store them (a view, read when queried): the rows 40_facts.sql sums into daily
-- facts. A full run reads the whole course in one scan; an incremental one each learner's rows
-- through the (course, learner, day) index (OFFSET 0 keeps that a lookup per learner, which the
-- planner would otherwise turn into a scan of the whole course, not seeing how few rows follow
-- each cut).
CREATE OR REPLACE TEMP VIEW scoped_session_places AS
SELECT sp.*
FROM session_places sp
WHERE (SELECT current_setting('stats.full')) = 'on' AND sp.course_id = (SELECT current_setting('stats.course'))
UNION ALL
SELECT sp.*
FROM scope_days s
CROSS JOIN LATERAL (
  SELECT * FROM session_places p
  WHERE p.course_id = (SELECT current_setting('stats.course')) AND p.learner = s.learner
    AND p.day >= s.cut_day
  OFFSET 0
) sp
WHERE (SELECT current_setting('stats.full')) = 'off';
