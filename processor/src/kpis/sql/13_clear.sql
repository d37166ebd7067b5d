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
