-- Completion facts (kpis.md §7): a component is completed by a learner at the first completion
-- event for it whose value is not a number below 1; once per (learner, component). Also the
-- components inside randomising containers each learner had an event on (kpis.md §2).
INSERT INTO completions (course_id, learner, block_key, first_time, day)
SELECT DISTINCT ON (learner, completion_key) current_setting('stats.course'), learner,
  completion_key, time, (time AT TIME ZONE current_setting('stats.time_zone'))::date
FROM attributed
WHERE completion_key IS NOT NULL AND (completion_value IS NULL OR completion_value >= 1)
ORDER BY learner, completion_key, time, file_id, line_no
ON CONFLICT (course_id, learner, block_key) DO UPDATE
SET first_time = excluded.first_time, day = excluded.day
WHERE completions.first_time > excluded.first_time;

INSERT INTO learner_randomized_blocks (course_id, learner, block_key)
SELECT DISTINCT current_setting('stats.course'), learner, randomized_key
FROM attributed
WHERE randomized_key IS NOT NULL
ON CONFLICT DO NOTHING;
