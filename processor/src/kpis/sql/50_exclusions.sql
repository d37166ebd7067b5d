-- Who is left out of the course's numbers (kpis.md §3), rebuilt from all staff signals ever
-- gathered and the current settings: instructor-dashboard requests, events from the Studio host
-- (stats.studio_host; empty = any host starting with `studio.`), and usernames in
-- stats.exclude_usernames (space-separated).
DELETE FROM excluded_learners WHERE course_id = (SELECT current_setting('stats.course'));
INSERT INTO excluded_learners (course_id, learner, reason)
SELECT (SELECT current_setting('stats.course')), learner, min(reason)
FROM (
  SELECT learner, 'instructor dashboard' AS reason FROM staff_signals
  WHERE course_id = (SELECT current_setting('stats.course')) AND signal = 'instructor'
  UNION ALL
  SELECT learner, 'studio' FROM staff_signals
  WHERE course_id = (SELECT current_setting('stats.course')) AND CASE
    WHEN (SELECT current_setting('stats.studio_host')) = '' THEN signal LIKE 'host:studio.%'
    ELSE signal = 'host:' || (SELECT current_setting('stats.studio_host')) END
  UNION ALL
  SELECT n.learner, 'exclusion list' FROM learner_names n
  WHERE n.username = ANY (string_to_array((SELECT current_setting('stats.exclude_usernames')), ' '))
) x
GROUP BY learner;
