-- The excluded learners (excluded_learners) when rollup_days was last summed: while they stay the
-- same, a run sums again only the days from its learners' cut on (processor/src/kpis/sql/
-- 60_rollups.sql). UNLOGGED like the per-learner rollups: a crash empties it together with
-- rollup_courses, and every day is summed again.
CREATE UNLOGGED TABLE rollup_excluded (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  PRIMARY KEY (course_id, learner)
);

-- The completion types (STATS_COMPLETION_EXCLUDED_TYPES, sorted) the per-learner unit rollups
-- were computed with: a run with other types recomputes every learner's.
ALTER TABLE rollup_courses ADD COLUMN completion_excluded_types text[];
