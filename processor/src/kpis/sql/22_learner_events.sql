-- Layer 2, sessions and credits (kpis.md §5-6), stored in learner_events. Per learner in time
-- order: a session starts at the first event and after a gap longer than stats.session_gap_s;
-- the current place is the last own place of the session (neutral and unresolved events
-- inherit it); each event earns the gap to the next event of its session, the last event of a
-- session stats.last_credit_s (0 for page_close), credited to the current place on the local
-- day of the event; an event placed in a unit is a visit when the previous own place of the
-- session was different or absent.
INSERT INTO learner_events (course_id, learner, time, file_id, line_no, session_start, day,
  own_place, place, place_is_unit, credit_s, visit)
WITH ordered AS (
  SELECT a.*,
    CASE WHEN a.place_type IN ('unit', 'page') THEN a.place_key END AS own_place,
    lag(a.time) OVER w AS prev_time,
    lead(a.time) OVER w AS next_time
  FROM attributed a
  WINDOW w AS (PARTITION BY a.learner ORDER BY a.time, a.file_id, a.line_no)
), sessions AS (
  SELECT o.*,
    max(CASE WHEN o.prev_time IS NULL OR o.time - o.prev_time > gap.value THEN o.time END)
      OVER w AS session_start,
    o.next_time IS NOT NULL AND o.next_time - o.time <= gap.value AS next_in_session,
    count(o.own_place) OVER w AS place_group
  FROM ordered o
  CROSS JOIN (SELECT make_interval(secs => current_setting('stats.session_gap_s')::float8) AS value) gap
  WINDOW w AS (PARTITION BY o.learner ORDER BY o.time, o.file_id, o.line_no)
), places AS (
  SELECT s.*,
    first_value(s.own_place) OVER (PARTITION BY s.learner, s.session_start, s.place_group
      ORDER BY s.time, s.file_id, s.line_no) AS place
  FROM sessions s
), visits AS (
  SELECT p.*,
    lag(p.place) OVER (PARTITION BY p.learner, p.session_start
      ORDER BY p.time, p.file_id, p.line_no) AS previous_place
  FROM places p
)
SELECT current_setting('stats.course'), v.learner, v.time, v.file_id, v.line_no, v.session_start,
  (v.time AT TIME ZONE current_setting('stats.time_zone'))::date,
  v.own_place, v.place,
  coalesce(v.place NOT IN ('home', 'progress', 'discussion', 'other'), false),
  CASE
    WHEN v.next_in_session THEN extract(epoch FROM v.next_time - v.time)::float8
    WHEN v.is_page_close THEN 0
    ELSE current_setting('stats.last_credit_s')::float8
  END,
  v.place_type = 'unit' AND v.previous_place IS DISTINCT FROM v.own_place
FROM visits v;
