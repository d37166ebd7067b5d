-- Layer 4, the daily facts of the scoped learners, rebuilt for every local day from their cut's
-- day on out of session_places (kpis.md §5, §6, §9, §10): unit_day (time credited to a unit and
-- arrivals at it), page_day (time on page kinds and unplaced time), learner_day (activity,
-- time, visits and the sessions that start that day), read from scoped_session_places
-- (17_clear.sql) once, summed per learner, day and place first.
CREATE TEMP TABLE place_day ON COMMIT DROP AS
SELECT sp.learner, sp.day, sp.place, sum(sp.time_s) AS time_s, sum(sp.visits) AS visits,
  count(*) FILTER (WHERE sp.starts_session) AS sessions, min(sp.first_time) AS first_time,
  max(sp.last_time) AS last_time
FROM scoped_session_places sp
GROUP BY sp.learner, sp.day, sp.place;

INSERT INTO unit_day (course_id, unit_key, learner, day, time_s, visits)
SELECT (SELECT current_setting('stats.course')), b.usage_key, f.learner, f.day, f.time_s, f.visits
FROM place_day f
JOIN course_blocks b ON b.block_no = f.place
WHERE f.place > 0;

INSERT INTO page_day (course_id, page_kind, learner, day, time_s)
SELECT (SELECT current_setting('stats.course')), coalesce(stats_place_page_kind(f.place), 'unplaced'),
  f.learner, f.day, f.time_s
FROM place_day f
WHERE NOT f.place > 0 OR f.place IS NULL;

INSERT INTO learner_day (course_id, learner, day, time_s, sessions, visits, first_time, last_time)
SELECT (SELECT current_setting('stats.course')), f.learner, f.day, sum(f.time_s), sum(f.sessions),
  sum(f.visits), min(f.first_time), max(f.last_time)
FROM place_day f
GROUP BY f.learner, f.day;
