-- Rollups for the read models (db/src/queries), kept by the processor's last layer
-- (processor/src/kpis/sql/60_rollups.sql) in the transaction of each course's run, so that the
-- API answers the ranges the dashboard asks most without aggregating facts per request.
-- They hold the whole history of a course (every fact up to its last day): a read model uses
-- them only when the range asked covers that history (rollup_state.first_day/last_day), and
-- computes from the facts otherwise. Excluded learners are left out when they are built.

-- One row per course whose rollups match its facts. Any write to a fact table, to the
-- exclusions or to the structure deletes the row (the triggers below), so a read model never
-- answers from rollups older than the facts; the processor's last layer writes it again.
CREATE TABLE rollup_state (
  course_id text PRIMARY KEY,
  -- the first and last local day of any fact of a non-excluded learner (activity, units,
  -- valid viewings, completions); NULL when there is none
  first_day date,
  last_day date,
  -- the last day of an enrollment change of a non-excluded learner (NULL: none)
  enrollment_last_day date,
  -- the component types that did not count for completion in rollup_learners and
  -- rollup_groups (sorted)
  completion_excluded_types text[] NOT NULL,
  -- overview over the whole history: as overview() computes them for such a range
  active_learners bigint NOT NULL,
  enrolled_learners bigint NOT NULL,
  -- the learners list's length (rollup_learners)
  listed_learners bigint NOT NULL,
  time_s double precision NOT NULL,
  visits bigint NOT NULL,
  sessions bigint NOT NULL,
  video_views bigint NOT NULL,
  video_watch_s double precision NOT NULL
);

-- Per course and local day with activity or valid viewings: the overview's daily series.
CREATE TABLE rollup_days (
  course_id text NOT NULL,
  day date NOT NULL,
  active_learners bigint NOT NULL,
  time_s double precision NOT NULL,
  visits bigint NOT NULL,
  video_watch_s double precision NOT NULL,
  PRIMARY KEY (course_id, day)
);

-- Per active unit, sequential and chapter (level 'unit', 'sequential', 'chapter'), the row of
-- units() over the whole history: time, visits, visitors, learners with time, mean and SD of a
-- learner's time, learners who completed it, components, with the structure's label, name,
-- parents and course order.
CREATE TABLE rollup_groups (
  course_id text NOT NULL,
  level text NOT NULL,
  group_key text NOT NULL,
  course_order integer,
  label text,
  name text,
  chapter_key text,
  sequential_key text,
  time_s double precision NOT NULL,
  visits bigint NOT NULL,
  visitors bigint NOT NULL,
  learners_with_time bigint NOT NULL,
  mean_time_s double precision,
  sd_time_s double precision,
  completed_learners bigint NOT NULL,
  components bigint NOT NULL,
  PRIMARY KEY (course_id, level, group_key)
);

-- Per active video, the row of videos() over the whole history: views, viewers, watch time,
-- completed viewers and mean coverage, with its unit's label, name, duration and course order.
CREATE TABLE rollup_videos (
  course_id text NOT NULL,
  video_key text NOT NULL,
  course_order integer,
  label text,
  name text,
  duration double precision,
  views bigint NOT NULL,
  viewers bigint NOT NULL,
  watch_s double precision NOT NULL,
  completed_viewers bigint NOT NULL,
  mean_coverage double precision,
  PRIMARY KEY (course_id, video_key)
);

-- Per learner of the learners list (enrolled at the end, or active once): the row of the list
-- for a range that covers the whole history. `completable`: units the learner can complete
-- (with a fixed countable component, or only through randomized ones they saw); `last_day`:
-- their last day with activity (the at-risk rule compares it with `to`).
CREATE TABLE rollup_learners (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  -- as the list shows them (learners; a change of username sets the course's rollups aside)
  user_id bigint,
  username text,
  enrolled boolean NOT NULL,
  time_s double precision NOT NULL,
  sessions bigint NOT NULL,
  visits bigint NOT NULL,
  active_days bigint NOT NULL,
  first_active timestamptz,
  last_active timestamptz,
  last_day date,
  units_visited bigint NOT NULL,
  units_completed bigint NOT NULL,
  videos_completed bigint NOT NULL,
  completable bigint NOT NULL,
  PRIMARY KEY (course_id, learner)
);
-- The learners list's default order (time, descending), so that its first pages are read in order.
CREATE INDEX rollup_learners_time
  ON rollup_learners (course_id, time_s DESC NULLS LAST, username, learner);
CREATE INDEX rollup_learners_learner ON rollup_learners (learner);

-- What the course-level rollups above are summed from, kept per learner so that a run
-- recomputes only the learners it rebuilt facts for (and, for videos, every viewer of a video
-- whose duration changed). Excluded learners are kept here and left out when summed. UNLOGGED,
-- like the processor's per-event rows: they can always be computed again, and a crash empties
-- them together with rollup_courses, so the next run recomputes them.
-- Per learner and active unit with time, visits, completion or a randomized component seen:
-- time and visits over the whole history (and their first and last day), the day the learner
-- completed the unit (NULL: not completed), and whether the unit is completable for them only
-- through randomized components they saw.
CREATE UNLOGGED TABLE rollup_learner_units (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  -- the unit's unit_order in course_blocks (a structure change recomputes the course in full)
  unit_order integer NOT NULL,
  time_s double precision NOT NULL,
  visits bigint NOT NULL,
  first_day date,
  last_day date,
  done_day date,
  random_only boolean NOT NULL,
  PRIMARY KEY (course_id, learner, unit_order)
);
-- Per learner and video (active or not) with valid viewings: views, watch time, first and last
-- day of a viewing, coverage by the end (NULL when the duration is unknown).
CREATE UNLOGGED TABLE rollup_learner_videos (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  video_key text NOT NULL,
  views bigint NOT NULL,
  watch_s double precision NOT NULL,
  first_day date NOT NULL,
  last_day date NOT NULL,
  coverage double precision,
  PRIMARY KEY (course_id, learner, video_key)
);
-- The courses whose per-learner rollups exist (a run without its row recomputes every learner).
CREATE UNLOGGED TABLE rollup_courses (course_id text PRIMARY KEY);
-- The video durations rollup_learner_videos was computed with (video_durations then).
CREATE UNLOGGED TABLE rollup_video_durations (
  course_id text NOT NULL,
  video_key text NOT NULL,
  duration double precision,
  known_duration double precision,
  PRIMARY KEY (course_id, video_key)
);

-- Inside `process` (stats.course set) a write invalidates that course's rollups; elsewhere (a
-- hand-made fix, a test) every course's. A statement-level trigger costs nothing per row.
CREATE FUNCTION rollup_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('stats.course', true), '') <> '' THEN
    DELETE FROM rollup_state WHERE course_id = current_setting('stats.course', true);
  ELSE
    DELETE FROM rollup_state;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON learner_day
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_day
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON video_viewings
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON video_event_extents FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON completions
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON learner_randomized_blocks FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON enrollment_changes FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();
CREATE TRIGGER rollup_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON excluded_learners FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate();

-- The structure is written outside `process`: only the courses whose blocks changed.
CREATE FUNCTION rollup_invalidate_blocks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    DELETE FROM rollup_state WHERE course_id IN (SELECT course_id FROM new_blocks);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM rollup_state WHERE course_id IN (SELECT course_id FROM old_blocks);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER rollup_invalidate_insert AFTER INSERT ON course_blocks
  REFERENCING NEW TABLE AS new_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate_blocks();
CREATE TRIGGER rollup_invalidate_update AFTER UPDATE ON course_blocks
  REFERENCING NEW TABLE AS new_blocks OLD TABLE AS old_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate_blocks();
CREATE TRIGGER rollup_invalidate_delete AFTER DELETE ON course_blocks
  REFERENCING OLD TABLE AS old_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION rollup_invalidate_blocks();

-- A learner's username changes when new events carry another one: the courses whose learners
-- list shows that learner are set aside until their next run.
CREATE FUNCTION rollup_invalidate_username() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM rollup_state
  WHERE course_id IN (SELECT course_id FROM rollup_learners WHERE learner = NEW.learner);
  RETURN NULL;
END $$;
CREATE TRIGGER rollup_invalidate_username AFTER UPDATE OF username ON learners
  FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username)
  EXECUTE FUNCTION rollup_invalidate_username();
