-- Which learners' histories this run extends and from when (kpis.md §5: sessions run over the
-- whole history). A learner with fresh activity at t0 is recomputed from the start of the
-- stored session that t0 continues (the last stored session starting before t0, when t0 falls
-- within it or at most 30 min after its last event), else from t0; a learner queued in
-- pending_learners from the beginning. With a day range (`process --from/--to`:
-- stats.range_start/end), t0 is also a learner's first activity in the range, stored or fresh. Everything stored for these learners from `cut` on is deleted
-- here and computed again by the next layers.
CREATE TEMP TABLE scope ON COMMIT DROP AS
WITH starts AS (
  SELECT learner, min(time) AS t0
  FROM (
    SELECT learner, time FROM course_events WHERE fresh AND is_activity AND learner IS NOT NULL
    UNION ALL
    SELECT learner, '-infinity' FROM pending_learners
    WHERE course_id = (SELECT current_setting('stats.course'))
    UNION ALL
    SELECT learner, time FROM course_event_source
    WHERE (SELECT current_setting('stats.range_start')) <> ''
      AND raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
      AND time >= nullif((SELECT current_setting('stats.range_start')), '')::timestamptz
      AND time < nullif((SELECT current_setting('stats.range_end')), '')::timestamptz
      AND is_activity AND learner IS NOT NULL
  ) s
  GROUP BY learner
)
SELECT s.learner,
  CASE WHEN prev.session_start IS NOT NULL AND (prev.last_time >= s.t0
    OR s.t0 - prev.last_time <= make_interval(secs => (SELECT current_setting('stats.session_gap_s'))::float8))
    THEN prev.session_start ELSE s.t0 END AS cut
FROM starts s
LEFT JOIN LATERAL (
  SELECT sp.session_start, max(sp.last_time) AS last_time
  FROM session_places sp
  WHERE sp.course_id = (SELECT current_setting('stats.course')) AND sp.learner = s.learner
    AND sp.session_start < s.t0
    -- (a full run has just deleted them)
    AND (SELECT current_setting('stats.full')) = 'off'
  GROUP BY sp.session_start
  ORDER BY sp.session_start DESC
  LIMIT 1
) prev ON true;
CREATE UNIQUE INDEX ON scope (learner);
ANALYZE scope;
