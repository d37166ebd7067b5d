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
  WHERE e.raw_course_id = ANY (string_to_array(current_setting('stats.course_ids'), ' '))
    AND e.user_id = sc.learner AND e.time >= sc.cut
  OFFSET 0
) s
WHERE NOT s.fresh;

INSERT INTO course_events
SELECT s.*
FROM scope sc
JOIN learner_names n ON n.learner = sc.learner
JOIN course_event_source s
  ON s.raw_course_id = ANY (string_to_array(current_setting('stats.course_ids'), ' '))
  AND s.user_id IS NULL AND s.username = n.username AND s.time >= sc.cut
WHERE NOT s.fresh;
ANALYZE course_events;
