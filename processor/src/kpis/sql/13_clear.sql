-- Deletes what the scoped learners had stored from their cut on: per-event rows and viewings
-- of the sessions that start at or after the cut, completions first seen then, and the daily
-- facts of every local day from the cut's day on (rebuilt from learner_events by facts.sql).
CREATE TEMP TABLE scope_days ON COMMIT DROP AS
SELECT learner, cut, (cut AT TIME ZONE current_setting('stats.time_zone'))::date AS cut_day
FROM scope;

DELETE FROM learner_events t USING scope s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner AND t.time >= s.cut;
DELETE FROM video_viewings t USING scope s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner
  AND t.session_start >= s.cut;
DELETE FROM completions t USING scope s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner
  AND t.first_time >= s.cut;
DELETE FROM unit_day t USING scope_days s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner
  AND t.day >= s.cut_day;
DELETE FROM page_day t USING scope_days s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner
  AND t.day >= s.cut_day;
DELETE FROM learner_day t USING scope_days s
WHERE t.course_id = current_setting('stats.course') AND t.learner = s.learner
  AND t.day >= s.cut_day;

-- scoped_learner_events: the scoped learners' per-event rows from their cut's day on, as the
-- next layers store them (a view, read when queried). A full run reads the whole course in one
-- scan. An incremental run reads each learner's rows through the (course, learner, time) index
-- from 48 hours before the cut (a local day starts later than that in any time zone); OFFSET 0
-- keeps that a lookup per learner, which the planner would otherwise turn into a scan of the
-- whole course, not seeing how few rows follow each cut.
CREATE OR REPLACE TEMP VIEW scoped_learner_events AS
SELECT le.*
FROM learner_events le
WHERE current_setting('stats.full') = 'on' AND le.course_id = current_setting('stats.course')
UNION ALL
SELECT le.*
FROM scope_days s
CROSS JOIN LATERAL (
  SELECT * FROM learner_events e
  WHERE e.course_id = current_setting('stats.course') AND e.learner = s.learner
    AND e.time >= s.cut - interval '48 hours'
  OFFSET 0
) le
WHERE current_setting('stats.full') = 'off' AND le.day >= s.cut_day;
