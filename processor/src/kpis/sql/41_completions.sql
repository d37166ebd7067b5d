-- Completion facts (kpis.md §7): a component is completed by a learner at the first completion
-- event for it whose value is not a number below 1; once per (learner, component). Also the
-- components inside randomising containers each learner had an event on (kpis.md §2).
CREATE TEMP TABLE first_completions ON COMMIT DROP AS
SELECT (SELECT current_setting('stats.course')) AS course_id, c.learner, b.usage_key AS block_key, c.time,
  (c.time AT TIME ZONE (SELECT current_setting('stats.time_zone')))::date AS day
FROM (
  SELECT DISTINCT ON (learner, completion_block) learner, completion_block, time
  FROM attributed
  WHERE completion_block IS NOT NULL AND (completion_value IS NULL OR completion_value >= 1)
  ORDER BY learner, completion_block, time, file_id, line_no
) c
JOIN course_blocks b ON b.block_no = c.completion_block;

-- A full run starts from no completions; an incremental one keeps the earlier of two.
INSERT INTO completions (course_id, learner, block_key, first_time, day)
SELECT * FROM first_completions WHERE (SELECT current_setting('stats.full')) = 'on';

INSERT INTO completions (course_id, learner, block_key, first_time, day)
SELECT * FROM first_completions WHERE (SELECT current_setting('stats.full')) = 'off'
ON CONFLICT (course_id, learner, block_key) DO UPDATE
SET first_time = excluded.first_time, day = excluded.day
WHERE completions.first_time > excluded.first_time;

INSERT INTO learner_randomized_blocks (course_id, learner, block_key)
SELECT (SELECT current_setting('stats.course')), r.learner, b.usage_key
FROM (SELECT DISTINCT learner, randomized_block FROM attributed WHERE randomized_block IS NOT NULL) r
JOIN course_blocks b ON b.block_no = r.randomized_block
ON CONFLICT DO NOTHING;
