-- Layer 4, the daily facts of the scoped learners, rebuilt for every local day from their cut's
-- day on out of learner_events (kpis.md §5, §6, §9, §10): unit_day (time credited to a unit and
-- arrivals at it), page_day (time on page kinds and unplaced time), learner_day (activity,
-- time, visits and the sessions that start that day).
CREATE TEMP TABLE day_events ON COMMIT DROP AS
SELECT le.*
FROM learner_events le
JOIN scope_days s ON s.learner = le.learner
WHERE le.course_id = current_setting('stats.course') AND le.day >= s.cut_day;

INSERT INTO unit_day (course_id, unit_key, learner, day, time_s, visits)
SELECT current_setting('stats.course'), place, learner, day, sum(credit_s), count(*) FILTER (WHERE visit)
FROM day_events
WHERE place_is_unit
GROUP BY place, learner, day;

INSERT INTO page_day (course_id, page_kind, learner, day, time_s)
SELECT current_setting('stats.course'), coalesce(place, 'unplaced'), learner, day, sum(credit_s)
FROM day_events
WHERE NOT place_is_unit
GROUP BY coalesce(place, 'unplaced'), learner, day;

INSERT INTO learner_day (course_id, learner, day, time_s, sessions, visits, first_time, last_time)
SELECT current_setting('stats.course'), learner, day, sum(credit_s),
  count(DISTINCT session_start) FILTER (
    WHERE (session_start AT TIME ZONE current_setting('stats.time_zone'))::date = day),
  count(*) FILTER (WHERE visit), min(time), max(time)
FROM day_events
GROUP BY learner, day;
