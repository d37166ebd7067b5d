-- The excluded learners (excluded_learners) when rollup_days was last summed: while they stay the
-- same, a run sums again only the days from its learners' cut on (processor/src/kpis/sql/
-- 60_rollups.sql). UNLOGGED like the per-learner rollups: a crash empties it together with
-- rollup_courses, and every day is summed again.
CREATE UNLOGGED TABLE rollup_excluded (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  PRIMARY KEY (course_id, learner)
);
