-- Layer 6, the rollups of the read models (db/migrations/0006_read_rollups.sql): the course's
-- numbers over its whole history, after every other layer (exclusions included), so that the API
-- answers a range covering that history by reading a few rows per day, unit, video or learner
-- (kpis.md §5-10; docs/kpis.md "Rollups"). Each number is computed as the read model in
-- db/src/queries computes it from the facts for such a range; excluded learners are left out.
-- 1. Per learner: rollup_learner_units and rollup_learner_videos are recomputed for the
--    learners whose facts this run rebuilt (scope_days; every learner in a full run or when the
--    course has none yet), and
--    rollup_learner_videos also for every viewer of a video whose duration changed (the
--    duration decides which viewings count and the coverage).
-- 2. Per course: rollup_days, rollup_groups, rollup_videos, rollup_learners and rollup_state are
--    summed again from those and from learner_day and enrollment_changes.
-- Completion counts the components whose type is not in stats.completion_excluded_types
-- (space-separated, process passes STATS_COMPLETION_EXCLUDED_TYPES; unset: `discussion`, its
-- default); a run with another set than the last recomputes every learner's unit rollups.
-- rollup_state, written last, marks the rollups current (any later write to the facts deletes
-- it).
CREATE TEMP TABLE rollup_types ON COMMIT DROP AS
SELECT coalesce(array_agg(DISTINCT t ORDER BY t), '{}') AS types
FROM unnest(string_to_array(coalesce(
  nullif((SELECT current_setting('stats.completion_excluded_types', true)), ''), 'discussion'), ' ')) t;

-- Every learner's per-learner rollups are recomputed in a full run, when the course has none
-- yet (its first run since migration 0006, or after a crash emptied those UNLOGGED tables), and
-- when they were computed with other completion types.
CREATE TEMP TABLE rollup_mode ON COMMIT DROP AS
SELECT (SELECT current_setting('stats.full')) = 'on' OR NOT EXISTS (
  SELECT FROM rollup_courses WHERE course_id = (SELECT current_setting('stats.course'))
    AND completion_excluded_types = (SELECT types FROM rollup_types)) AS every_learner;

-- The learners whose per-learner rollups are recomputed: those this run rebuilt facts for, or
-- every learner with activity (learner_day: each fact the per-learner rollups read, a unit's
-- time, a viewing, a completion, a randomized component seen, comes from an activity event).
-- (UNION ALL: the two are never both read.)
CREATE TEMP TABLE rollup_dirty ON COMMIT DROP AS
SELECT learner FROM scope_days WHERE NOT (SELECT every_learner FROM rollup_mode)
UNION ALL
SELECT DISTINCT learner FROM learner_day
WHERE course_id = (SELECT current_setting('stats.course')) AND (SELECT every_learner FROM rollup_mode);
CREATE UNIQUE INDEX ON rollup_dirty (learner);
ANALYZE rollup_dirty;

-- Videos whose duration (or the duration the "end > duration + 1" rule reads) changed.
CREATE TEMP TABLE rollup_durations ON COMMIT DROP AS
SELECT video_key, duration, known_duration
FROM video_durations WHERE course_id = (SELECT current_setting('stats.course'));
ANALYZE rollup_durations;
CREATE TEMP TABLE rollup_changed_videos ON COMMIT DROP AS
SELECT video_key
FROM rollup_durations d
FULL JOIN (
  SELECT video_key, duration, known_duration FROM rollup_video_durations
  WHERE course_id = (SELECT current_setting('stats.course'))
) o USING (video_key)
WHERE NOT (SELECT every_learner FROM rollup_mode)
  AND (d.duration, d.known_duration) IS DISTINCT FROM (o.duration, o.known_duration);
-- The first day whose rollup_days row is summed again: every day when every learner is
-- recomputed, a video's duration changed or the excluded learners did (rollup_excluded), else
-- the first day whose facts this run rebuilt (the earliest cut's day).
CREATE TEMP TABLE rollup_from_day ON COMMIT DROP AS
SELECT CASE
  WHEN (SELECT every_learner FROM rollup_mode) OR EXISTS (SELECT FROM rollup_changed_videos)
    OR EXISTS (
      SELECT FROM (
        SELECT learner FROM excluded_learners
        WHERE course_id = (SELECT current_setting('stats.course'))
      ) n
      FULL JOIN (
        SELECT learner FROM rollup_excluded
        WHERE course_id = (SELECT current_setting('stats.course'))
      ) o USING (learner)
      WHERE n.learner IS NULL OR o.learner IS NULL)
  THEN '-infinity'::date
  ELSE coalesce((SELECT min(cut_day) FROM scope_days), 'infinity')
END AS day;
DELETE FROM rollup_excluded WHERE course_id = (SELECT current_setting('stats.course'));
INSERT INTO rollup_excluded (course_id, learner)
SELECT course_id, learner FROM excluded_learners
WHERE course_id = (SELECT current_setting('stats.course'));

DELETE FROM rollup_video_durations WHERE course_id = (SELECT current_setting('stats.course'));
INSERT INTO rollup_video_durations (course_id, video_key, duration, known_duration)
SELECT (SELECT current_setting('stats.course')), video_key, duration, known_duration FROM rollup_durations;

-- The learner × unit and learner × video pairs whose per-learner rollups an incremental run
-- recomputes: those whose facts it deleted (17_clear.sql: cleared_blocks, cleared_videos) or
-- wrote (the rebuilt learners' facts from their cut on; a component's completion and randomized
-- component count for its unit). A rebuilt learner's other units and videos keep their rows.
CREATE TEMP TABLE rollup_unit_pairs ON COMMIT DROP AS
SELECT DISTINCT p.learner, u.unit_order
FROM (
  SELECT learner, block_key FROM cleared_blocks
  UNION ALL
  SELECT f.learner, f.unit_key FROM unit_day f
  JOIN scope_days s ON s.learner = f.learner AND f.day >= s.cut_day
  WHERE f.course_id = (SELECT current_setting('stats.course'))
  UNION ALL
  SELECT f.learner, f.block_key FROM completions f
  JOIN scope_days s ON s.learner = f.learner AND f.first_time >= s.cut
  WHERE f.course_id = (SELECT current_setting('stats.course'))
  UNION ALL
  SELECT f.learner, f.block_key FROM learner_randomized_blocks f
  JOIN scope_days s ON s.learner = f.learner
  WHERE f.course_id = (SELECT current_setting('stats.course'))
) p
JOIN course_blocks b
  ON b.course_id = (SELECT current_setting('stats.course')) AND b.usage_key = p.block_key
JOIN course_blocks u
  ON u.course_id = b.course_id AND u.kind = 'unit' AND u.active
  AND u.usage_key = CASE WHEN b.kind = 'unit' THEN b.usage_key ELSE b.unit_key END
WHERE NOT (SELECT every_learner FROM rollup_mode);
CREATE TEMP TABLE rollup_video_pairs ON COMMIT DROP AS
SELECT DISTINCT learner, video_key
FROM (
  SELECT learner, video_key FROM cleared_videos
  UNION ALL
  SELECT f.learner, f.video_key FROM video_viewings f
  JOIN scope_days s ON s.learner = f.learner AND f.session_start >= s.cut
  WHERE f.course_id = (SELECT current_setting('stats.course'))
) p
WHERE NOT (SELECT every_learner FROM rollup_mode);
ANALYZE rollup_unit_pairs;
ANALYZE rollup_video_pairs;

DELETE FROM rollup_learner_units t
WHERE t.course_id = (SELECT current_setting('stats.course')) AND ((SELECT every_learner FROM rollup_mode)
  OR (t.learner, t.unit_order) IN (SELECT learner, unit_order FROM rollup_unit_pairs));
DELETE FROM rollup_learner_videos t
WHERE t.course_id = (SELECT current_setting('stats.course')) AND ((SELECT every_learner FROM rollup_mode)
  OR (t.learner, t.video_key) IN (SELECT learner, video_key FROM rollup_video_pairs)
  OR t.video_key IN (SELECT video_key FROM rollup_changed_videos));

-- Per learner and video: views, watch time, days and coverage (kpis.md §8) as coverageCtes
-- computes it: the union of the learner's valid viewings over the duration, at most 1.
INSERT INTO rollup_learner_videos (course_id, learner, video_key, views, watch_s, first_day,
  last_day, coverage)
WITH viewings AS (
  -- valid_video_viewings (db/migrations/0004_read_views.sql), with the durations read above:
  -- the pairs recomputed (through the learner index), and the other viewers of changed videos
  SELECT f.learner, f.video_key, f.day, f.start_pos, f.end_pos, f.end_pos - f.start_pos AS length_s
  FROM (
    SELECT v.* FROM video_viewings v
    WHERE v.course_id = (SELECT current_setting('stats.course'))
      AND v.learner IN (SELECT learner FROM rollup_dirty)
      AND ((SELECT every_learner FROM rollup_mode)
        OR (v.learner, v.video_key) IN (SELECT learner, video_key FROM rollup_video_pairs))
    UNION ALL
    SELECT v.* FROM video_viewings v
    WHERE v.course_id = (SELECT current_setting('stats.course'))
      AND v.video_key IN (SELECT video_key FROM rollup_changed_videos)
      AND (v.learner, v.video_key) NOT IN (SELECT learner, video_key FROM rollup_video_pairs)
  ) f
  LEFT JOIN rollup_durations d ON d.video_key = f.video_key
  WHERE d.known_duration IS NULL OR f.end_pos <= d.known_duration + 1
), flagged AS (
  SELECT f.learner, f.video_key, f.start_pos, f.end_pos,
         CASE WHEN f.start_pos <= max(f.end_pos) OVER (
                PARTITION BY f.learner, f.video_key ORDER BY f.start_pos, f.end_pos
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
              THEN 0 ELSE 1 END AS starts_island
  FROM viewings f
), islands AS (
  SELECT learner, video_key, min(start_pos) AS lo, max(end_pos) AS hi
  FROM (
    -- the default frame (RANGE) gives equal viewings the same island
    SELECT learner, video_key, start_pos, end_pos,
           sum(starts_island) OVER (
             PARTITION BY learner, video_key ORDER BY start_pos, end_pos) AS island
    FROM flagged
  ) i
  GROUP BY learner, video_key, island
), covered AS (
  SELECT learner, video_key, sum(hi - lo) AS covered FROM islands GROUP BY learner, video_key
), numbers AS (
  SELECT learner, video_key, count(*) AS views, sum(length_s) AS watch_s, min(day) AS first_day,
         max(day) AS last_day
  FROM viewings GROUP BY learner, video_key
)
SELECT (SELECT current_setting('stats.course')), n.learner, n.video_key, n.views, n.watch_s, n.first_day,
       n.last_day,
       -- least() ignores NULL: an unknown duration must give NULL, not 1
       CASE WHEN d.duration > 0 THEN least(1, c.covered / d.duration) END
FROM numbers n
JOIN covered c ON c.learner = n.learner AND c.video_key = n.video_key
LEFT JOIN rollup_durations d ON d.video_key = n.video_key;

-- Completion (kpis.md §2, §7) as completionCtes computes it.
CREATE TEMP TABLE rollup_countable ON COMMIT DROP AS
SELECT u.unit_order, c.usage_key, c.randomized
FROM course_blocks c
JOIN course_blocks u
  ON u.course_id = c.course_id AND u.usage_key = c.unit_key AND u.kind = 'unit' AND u.active
WHERE c.course_id = (SELECT current_setting('stats.course')) AND c.kind = 'component' AND c.active
  AND NOT EXISTS (SELECT FROM rollup_types t WHERE c.block_type = ANY (t.types));
ANALYZE rollup_countable;

CREATE TEMP TABLE rollup_unit_fixed ON COMMIT DROP AS
SELECT unit_order, count(*) FILTER (WHERE NOT randomized) AS n
FROM rollup_countable GROUP BY unit_order;
ANALYZE rollup_unit_fixed;

-- Per learner and active unit (by unit_order): time and visits, the day of completion (the day
-- of the last countable component needed), and whether only randomized components the learner
-- saw make it completable for them.
INSERT INTO rollup_learner_units (course_id, learner, unit_order, time_s, visits, first_day,
  last_day, done_day, random_only)
WITH learner_random AS (
  SELECT f.learner, c.unit_order, count(*) AS n
  FROM learner_randomized_blocks f
  JOIN rollup_countable c ON c.usage_key = f.block_key AND c.randomized
  WHERE f.course_id = (SELECT current_setting('stats.course'))
    AND f.learner IN (SELECT learner FROM rollup_dirty)
    AND ((SELECT every_learner FROM rollup_mode)
      OR (f.learner, c.unit_order) IN (SELECT learner, unit_order FROM rollup_unit_pairs))
  GROUP BY f.learner, c.unit_order
), learner_done AS (
  SELECT f.learner, c.unit_order, count(*) AS n, max(f.day) AS day
  FROM completions f
  JOIN rollup_countable c ON c.usage_key = f.block_key
  WHERE f.course_id = (SELECT current_setting('stats.course'))
    AND f.learner IN (SELECT learner FROM rollup_dirty)
    AND ((SELECT every_learner FROM rollup_mode)
      OR (f.learner, c.unit_order) IN (SELECT learner, unit_order FROM rollup_unit_pairs))
    AND (NOT c.randomized OR EXISTS (
      SELECT FROM learner_randomized_blocks r
      WHERE r.course_id = f.course_id AND r.learner = f.learner AND r.block_key = c.usage_key))
  GROUP BY f.learner, c.unit_order
)
SELECT (SELECT current_setting('stats.course')), learner, unit_order, coalesce(sum(time_s), 0),
       coalesce(sum(visits), 0), min(day), max(day), max(done_day), bool_or(random_only)
FROM (
  SELECT f.learner, u.unit_order, f.time_s, f.visits, f.day, NULL::date AS done_day,
         false AS random_only
  FROM unit_day f
  JOIN course_blocks u
    ON u.course_id = f.course_id AND u.usage_key = f.unit_key AND u.kind = 'unit' AND u.active
  WHERE f.course_id = (SELECT current_setting('stats.course'))
    AND f.learner IN (SELECT learner FROM rollup_dirty)
    AND ((SELECT every_learner FROM rollup_mode)
      OR (f.learner, u.unit_order) IN (SELECT learner, unit_order FROM rollup_unit_pairs))
  UNION ALL
  SELECT d.learner, d.unit_order, NULL, NULL, NULL, d.day, false
  FROM learner_done d
  JOIN rollup_unit_fixed u ON u.unit_order = d.unit_order
  LEFT JOIN learner_random r ON r.learner = d.learner AND r.unit_order = d.unit_order
  WHERE d.n = u.n + coalesce(r.n, 0)
  UNION ALL
  SELECT r.learner, r.unit_order, NULL, NULL, NULL, NULL, true
  FROM learner_random r JOIN rollup_unit_fixed x ON x.unit_order = r.unit_order AND x.n = 0
) k
GROUP BY learner, unit_order;

-- From here on, per course and without excluded learners.
DELETE FROM rollup_state WHERE course_id = (SELECT current_setting('stats.course'));
DELETE FROM rollup_days WHERE course_id = (SELECT current_setting('stats.course'))
  AND day >= (SELECT day FROM rollup_from_day);
DELETE FROM rollup_groups WHERE course_id = (SELECT current_setting('stats.course'));
DELETE FROM rollup_videos WHERE course_id = (SELECT current_setting('stats.course'));
DELETE FROM rollup_learners WHERE course_id = (SELECT current_setting('stats.course'));

CREATE TEMP TABLE rollup_units ON COMMIT DROP AS
SELECT f.* FROM rollup_learner_units f
WHERE f.course_id = (SELECT current_setting('stats.course')) AND NOT EXISTS (
  SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner);
CREATE TEMP TABLE rollup_viewers ON COMMIT DROP AS
SELECT f.* FROM rollup_learner_videos f
WHERE f.course_id = (SELECT current_setting('stats.course')) AND NOT EXISTS (
  SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner);

-- The active units with their group at each level, the group by its block_no (an integer: the
-- sums below group by it).
CREATE TEMP TABLE rollup_levels ON COMMIT DROP AS
SELECT l.level, u.usage_key AS unit_key, u.unit_order, g.block_no AS group_no
FROM course_blocks u
CROSS JOIN (VALUES ('unit'), ('sequential'), ('chapter')) l (level)
JOIN course_blocks g ON g.course_id = u.course_id AND g.usage_key = CASE l.level
  WHEN 'unit' THEN u.usage_key WHEN 'sequential' THEN u.sequential_key ELSE u.chapter_key END
WHERE u.course_id = (SELECT current_setting('stats.course')) AND u.kind = 'unit' AND u.active;
ANALYZE rollup_levels;

-- Per group, as units() computes it: per-learner sums first (distinct counts, mean and SD are
-- of learners); a learner completed a group when they completed every unit of it they can
-- complete (units with a fixed countable component, and those only through randomized
-- components they saw).
INSERT INTO rollup_groups (course_id, level, group_key, course_order, label, name, chapter_key,
  sequential_key, time_s, visits, visitors, learners_with_time, mean_time_s, sd_time_s,
  completed_learners, components)
WITH per_learner AS (
  -- a unit's rows are already one per learner
  SELECT l.group_no, f.learner, f.time_s, f.visits,
         (f.done_day IS NOT NULL)::int AS done, f.random_only::int AS random_only
  FROM rollup_units f
  JOIN rollup_levels l ON l.unit_order = f.unit_order AND l.level = 'unit'
  UNION ALL
  SELECT l.group_no, f.learner, sum(f.time_s), sum(f.visits),
         count(*) FILTER (WHERE f.done_day IS NOT NULL),
         count(*) FILTER (WHERE f.random_only)
  FROM rollup_units f
  JOIN rollup_levels l ON l.unit_order = f.unit_order AND l.level <> 'unit'
  GROUP BY l.group_no, f.learner
), group_fixed AS (
  SELECT l.group_no, count(*) AS n
  FROM rollup_levels l JOIN rollup_unit_fixed x ON x.unit_order = l.unit_order AND x.n > 0
  GROUP BY l.group_no
), numbers AS (
  SELECT p.group_no, sum(p.time_s) AS time_s, sum(p.visits) AS visits,
         count(*) FILTER (WHERE p.visits > 0) AS visitors,
         count(*) FILTER (WHERE p.time_s > 0) AS learners_with_time,
         avg(p.time_s) FILTER (WHERE p.time_s > 0) AS mean_time_s,
         stddev_pop(p.time_s) FILTER (WHERE p.time_s > 0) AS sd_time_s,
         count(*) FILTER (WHERE p.done > 0 AND p.done = coalesce(x.n, 0) + p.random_only)
           AS completed_learners
  FROM per_learner p
  LEFT JOIN group_fixed x ON x.group_no = p.group_no
  GROUP BY p.group_no
), components AS (
  SELECT l.group_no, count(*) AS n
  FROM course_blocks c JOIN rollup_levels l ON l.unit_key = c.unit_key
  WHERE c.course_id = (SELECT current_setting('stats.course')) AND c.kind = 'component' AND c.active
  GROUP BY l.group_no
)
SELECT (SELECT current_setting('stats.course')), v.level, g.usage_key, g.course_order, g.label, g.name,
       g.chapter_key, g.sequential_key, coalesce(n.time_s, 0), coalesce(n.visits, 0),
       coalesce(n.visitors, 0), coalesce(n.learners_with_time, 0), n.mean_time_s, n.sd_time_s,
       coalesce(n.completed_learners, 0), coalesce(c.n, 0)
FROM course_blocks g
JOIN (VALUES ('unit'), ('sequential'), ('chapter')) v (level) ON v.level = g.kind
LEFT JOIN numbers n ON n.group_no = g.block_no
LEFT JOIN components c ON c.group_no = g.block_no
WHERE g.course_id = (SELECT current_setting('stats.course')) AND g.active;

-- Per active video, as videos() computes it (viewers' coverage by the end).
INSERT INTO rollup_videos (course_id, video_key, course_order, label, name, duration, views,
  viewers, watch_s, completed_viewers, mean_coverage)
WITH numbers AS (
  SELECT video_key, sum(views) AS views, count(*) AS viewers, sum(watch_s) AS watch_s,
         count(*) FILTER (WHERE coverage >= 0.9) AS completed_viewers,
         avg(coverage) AS mean_coverage
  FROM rollup_viewers
  GROUP BY video_key
)
SELECT (SELECT current_setting('stats.course')), v.usage_key, v.course_order, u.label, v.name, d.duration,
       coalesce(n.views, 0), coalesce(n.viewers, 0), coalesce(n.watch_s, 0),
       coalesce(n.completed_viewers, 0), n.mean_coverage
FROM course_blocks v
LEFT JOIN course_blocks u ON u.course_id = v.course_id AND u.usage_key = v.unit_key
LEFT JOIN rollup_durations d ON d.video_key = v.usage_key
LEFT JOIN numbers n ON n.video_key = v.usage_key
WHERE v.course_id = (SELECT current_setting('stats.course')) AND v.kind = 'component'
  AND v.block_type = 'video' AND v.active;

-- Per day, as overview() computes its series (from rollup_from_day on).
INSERT INTO rollup_days (course_id, day, active_learners, time_s, visits, video_watch_s)
SELECT (SELECT current_setting('stats.course')), day, coalesce(sum(active_learners), 0),
       coalesce(sum(time_s), 0), coalesce(sum(visits), 0), coalesce(sum(video_watch_s), 0)
FROM (
  -- one row per learner and day: count(*) is count(DISTINCT learner)
  SELECT f.day, count(*) AS active_learners, sum(f.time_s) AS time_s,
         sum(f.visits) AS visits, NULL::float8 AS video_watch_s
  FROM learner_day f
  WHERE f.course_id = (SELECT current_setting('stats.course'))
    AND f.day >= (SELECT day FROM rollup_from_day) AND NOT EXISTS (
    SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner)
  GROUP BY f.day
  UNION ALL
  -- valid viewings, as in rollup_learner_videos
  SELECT f.day, NULL, NULL, NULL, sum(f.end_pos - f.start_pos)
  FROM video_viewings f
  LEFT JOIN rollup_durations d ON d.video_key = f.video_key
  WHERE f.course_id = (SELECT current_setting('stats.course'))
    AND f.day >= (SELECT day FROM rollup_from_day)
    AND (d.known_duration IS NULL OR f.end_pos <= d.known_duration + 1) AND NOT EXISTS (
    SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner)
  GROUP BY f.day
) d
GROUP BY day;

-- Per learner of the learners list, as learners() computes the row for such a range.
CREATE TEMP TABLE rollup_activity ON COMMIT DROP AS
SELECT f.learner, sum(f.time_s) AS time_s, sum(f.sessions) AS sessions, sum(f.visits) AS visits,
  count(*) AS active_days, min(f.first_time) AS first_active, max(f.last_time) AS last_active,
  min(f.day) AS first_day, max(f.day) AS last_day
FROM learner_day f
WHERE f.course_id = (SELECT current_setting('stats.course')) AND NOT EXISTS (
  SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner)
GROUP BY f.learner;

CREATE TEMP TABLE rollup_enrollment ON COMMIT DROP AS
SELECT DISTINCT ON (f.learner) f.learner, f.active
FROM enrollment_changes f
WHERE f.course_id = (SELECT current_setting('stats.course')) AND NOT EXISTS (
  SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner)
ORDER BY f.learner, f.time DESC, f.file_id DESC, f.line_no DESC;

INSERT INTO rollup_learners (course_id, learner, user_id, username, enrolled, time_s, sessions,
  visits, active_days,
  first_active, last_active, last_day, units_visited, units_completed, videos_completed,
  completable)
WITH per_unit AS (
  SELECT learner, count(*) FILTER (WHERE visits > 0) AS visited,
         count(*) FILTER (WHERE done_day IS NOT NULL) AS completed,
         count(*) FILTER (WHERE random_only) AS random_only
  FROM rollup_units GROUP BY learner
), videos_done AS (
  SELECT c.learner, count(*) AS n
  FROM rollup_viewers c
  JOIN course_blocks v
    ON v.course_id = c.course_id AND v.usage_key = c.video_key
    AND v.kind = 'component' AND v.block_type = 'video' AND v.active
  WHERE c.coverage >= 0.9
  GROUP BY c.learner
)
SELECT (SELECT current_setting('stats.course')), s.learner,
       CASE WHEN s.learner < 0 THEN NULL ELSE coalesce(l.user_id, s.learner) END, l.username,
       coalesce(e.active, a.learner IS NOT NULL),
       coalesce(a.time_s, 0), coalesce(a.sessions, 0), coalesce(a.visits, 0),
       coalesce(a.active_days, 0), a.first_active, a.last_active, a.last_day,
       coalesce(u.visited, 0), coalesce(u.completed, 0), coalesce(d.n, 0),
       (SELECT count(*) FROM rollup_unit_fixed x WHERE x.n > 0) + coalesce(u.random_only, 0)
FROM (SELECT learner FROM rollup_activity UNION SELECT learner FROM rollup_enrollment) s
LEFT JOIN rollup_activity a ON a.learner = s.learner
LEFT JOIN rollup_enrollment e ON e.learner = s.learner
LEFT JOIN per_unit u ON u.learner = s.learner
LEFT JOIN videos_done d ON d.learner = s.learner
LEFT JOIN learners l ON l.learner = s.learner
WHERE coalesce(e.active, false) OR a.learner IS NOT NULL;

INSERT INTO rollup_state (course_id, first_day, last_day, enrollment_last_day,
  completion_excluded_types, active_learners, enrolled_learners, listed_learners, time_s, visits,
  sessions, video_views, video_watch_s)
WITH activity AS (
  SELECT min(first_day) AS first_day, max(last_day) AS last_day, count(*) AS learners,
    coalesce(sum(time_s), 0) AS time_s, coalesce(sum(visits), 0) AS visits,
    coalesce(sum(sessions), 0) AS sessions
  FROM rollup_activity
), viewers AS (
  SELECT min(first_day) AS first_day, max(last_day) AS last_day,
    coalesce(sum(views), 0) AS views, coalesce(sum(watch_s), 0) AS watch_s
  FROM rollup_viewers
), units AS (
  SELECT min(least(first_day, done_day)) AS first_day, max(greatest(last_day, done_day)) AS last_day
  FROM rollup_units
), listed AS (
  SELECT count(*) FILTER (WHERE enrolled) AS enrolled, count(*) AS learners
  FROM rollup_learners WHERE course_id = (SELECT current_setting('stats.course'))
)
SELECT (SELECT current_setting('stats.course')),
  least(a.first_day, v.first_day, u.first_day),
  greatest(a.last_day, v.last_day, u.last_day),
  (SELECT max(f.day) FROM enrollment_changes f
   WHERE f.course_id = (SELECT current_setting('stats.course')) AND NOT EXISTS (
     SELECT FROM excluded_learners x WHERE x.course_id = f.course_id AND x.learner = f.learner)),
  (SELECT types FROM rollup_types),
  a.learners, l.enrolled, l.learners, a.time_s, a.visits, a.sessions, v.views, v.watch_s
FROM activity a, viewers v, units u, listed l;

INSERT INTO rollup_courses (course_id, completion_excluded_types)
VALUES ((SELECT current_setting('stats.course')), (SELECT types FROM rollup_types))
ON CONFLICT (course_id) DO UPDATE SET completion_excluded_types = excluded.completion_excluded_types;

DROP TABLE rollup_types, rollup_mode, rollup_dirty, rollup_durations, rollup_changed_videos,
  rollup_from_day, rollup_unit_pairs, rollup_video_pairs,
  rollup_countable, rollup_unit_fixed, rollup_units, rollup_viewers, rollup_levels,
  rollup_activity, rollup_enrollment;
