-- Layer 2, sessions and credits (kpis.md §5-6), stored in session_places. Per learner in time
-- order: a session starts at the first event and after a gap longer than stats.session_gap_s;
-- the current place is the last own place of the session (neutral and unresolved events
-- inherit it); each event earns the gap to the next event of its session, the last event of a
-- session stats.last_credit_s (0 for page_close), credited to the current place on the local
-- day of the event; an event placed in a unit is a visit when the previous own place of the
-- session was different or absent.
-- session_events (a view: each event with its session, place, credit and visit) needs one sort:
-- every window has the same order. The last own place before an event is the running maximum
-- of `mark` over the events before it (an event's number in the learner's order in the high 32
-- bits, its own place in the low ones); it is a current place when that event is not before the
-- session's first. Settings are read once, as subqueries.
CREATE OR REPLACE TEMP VIEW session_events AS
WITH numbered AS (
  SELECT a.learner, a.time, a.file_id, a.line_no, a.is_page_close,
    CASE WHEN a.place_type IN ('unit', 'page') THEN a.place END AS own_place,
    a.place_type = 'unit' AS is_unit,
    row_number() OVER w AS n,
    lag(a.time) OVER w AS prev_time,
    lead(a.time) OVER w AS next_time
  FROM attributed a
  WINDOW w AS (PARTITION BY a.learner ORDER BY a.time, a.file_id, a.line_no)
), marked AS (
  SELECT o.*,
    o.prev_time IS NULL OR o.time - o.prev_time > gap.value AS starts_session,
    o.next_time IS NOT NULL AND o.next_time - o.time <= gap.value AS next_in_session,
    (o.n << 32) | (o.own_place::bigint + 2147483648) AS mark
  FROM numbered o
  CROSS JOIN (SELECT make_interval(secs => (SELECT current_setting('stats.session_gap_s'))::float8) AS value) gap
), running AS (
  -- what the learner's earlier events say (one frame for all: everything before this event)
  SELECT m.*,
    max(CASE WHEN m.starts_session THEN m.time END) OVER before AS previous_session_start,
    max(CASE WHEN m.starts_session THEN m.n END) OVER before AS previous_session_n,
    max(m.mark) OVER before AS previous_mark
  FROM marked m
  WINDOW before AS (PARTITION BY m.learner ORDER BY m.time, m.file_id, m.line_no
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), sessions AS (
  SELECT r.*,
    CASE WHEN r.starts_session THEN r.time ELSE r.previous_session_start END AS session_start,
    CASE WHEN r.starts_session THEN r.n ELSE r.previous_session_n END AS session_n,
    coalesce(r.mark, r.previous_mark) AS last_mark
  FROM running r
), places AS (
  SELECT r.*,
    CASE WHEN r.last_mark >> 32 >= r.session_n
      THEN ((r.last_mark & 4294967295) - 2147483648)::integer END AS place,
    CASE WHEN r.previous_mark >> 32 >= r.session_n
      THEN ((r.previous_mark & 4294967295) - 2147483648)::integer END AS previous_place
  FROM sessions r
)
SELECT p.learner, p.time, p.file_id, p.line_no, p.session_start,
  (p.time AT TIME ZONE (SELECT current_setting('stats.time_zone')))::date AS day,
  p.own_place, p.place, p.starts_session,
  p.is_unit AND p.previous_place IS DISTINCT FROM p.own_place AS visit,
  CASE
    WHEN p.next_in_session THEN date_part('epoch', p.next_time - p.time)
    WHEN p.is_page_close THEN 0
    ELSE (SELECT current_setting('stats.last_credit_s')::float8)
  END AS credit_s
FROM places p;

-- What is kept: the credits and visits of each session, local day and place.
INSERT INTO session_places (course_id, learner, session_start, day, place, time_s, visits,
  starts_session, first_time, last_time, last_event)
SELECT (SELECT current_setting('stats.course')), learner, session_start, day, place,
  sum(credit_s), count(*) FILTER (WHERE visit), bool_or(starts_session), min(time), max(time),
  max(ARRAY[round(date_part('epoch', time) * 1000000)::bigint, file_id, line_no])
FROM session_events
GROUP BY learner, session_start, day, place;

-- Every event's own numbers, only when asked to keep them (stats.keep_event_credits).
INSERT INTO event_credits (course_id, learner, time, file_id, line_no, session_start, day,
  own_place, place, credit_s, visit)
SELECT (SELECT current_setting('stats.course')), learner, time, file_id, line_no, session_start, day,
  own_place, place, credit_s, visit
FROM session_events
WHERE (SELECT current_setting('stats.keep_event_credits')) = 'on';
