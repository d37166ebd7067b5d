-- Layer 4, the daily facts of the scoped learners, rebuilt for every local day from their cut's
-- day on out of learner_events (kpis.md §5, §6, §9, §10): unit_day (time credited to a unit and
-- arrivals at it), page_day (time on page kinds and unplaced time), learner_day (activity,
-- time, visits and the sessions that start that day), read from scoped_learner_events
-- (13_clear.sql).
INSERT INTO unit_day (course_id, unit_key, learner, day, time_s, visits)
SELECT current_setting('stats.course'), le.place, le.learner, le.day, sum(le.credit_s),
  count(*) FILTER (WHERE le.visit)
FROM scoped_learner_events le
WHERE le.place_is_unit
GROUP BY le.place, le.learner, le.day;

INSERT INTO page_day (course_id, page_kind, learner, day, time_s)
SELECT current_setting('stats.course'), coalesce(le.place, 'unplaced'), le.learner, le.day,
  sum(le.credit_s)
FROM scoped_learner_events le
WHERE NOT le.place_is_unit
GROUP BY coalesce(le.place, 'unplaced'), le.learner, le.day;

INSERT INTO learner_day (course_id, learner, day, time_s, sessions, visits, first_time, last_time)
SELECT current_setting('stats.course'), le.learner, le.day, sum(le.credit_s),
  count(DISTINCT le.session_start) FILTER (
    WHERE (le.session_start AT TIME ZONE current_setting('stats.time_zone'))::date = le.day),
  count(*) FILTER (WHERE le.visit), min(le.time), max(le.time)
FROM scoped_learner_events le
GROUP BY le.learner, le.day;
