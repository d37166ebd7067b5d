-- The already processed events of the scoped learners from their cut on (incremental runs
-- only): the rest of the sessions that fresh events continue, recomputed with them. Events
-- with a user id, then those with only a username that belongs to the learner. OFFSET 0 keeps
-- the first a lookup per learner in the (course, user, time) index, which the planner would
-- otherwise turn into a scan of every event, not seeing how few follow each cut.
INSERT INTO course_events
SELECT s.*
FROM scope sc
CROSS JOIN LATERAL (
  SELECT * FROM course_event_source e
  WHERE e.raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
    AND e.user_id = sc.learner AND e.time >= sc.cut AND NOT e.fresh
  OFFSET 0
) s;

INSERT INTO course_events
SELECT s.*
FROM scope sc
JOIN learner_names n ON n.learner = sc.learner
JOIN course_event_source s
  ON s.raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
  AND s.user_id IS NULL AND s.username = n.username AND s.time >= sc.cut
WHERE NOT s.fresh;
-- (the columns later statements filter and join on; a small sample: estimates, not exact counts)
SET LOCAL default_statistics_target = 10;
ANALYZE course_events (learner, time, file_id, line_no, fresh, is_activity, place_type, place);
RESET default_statistics_target;
