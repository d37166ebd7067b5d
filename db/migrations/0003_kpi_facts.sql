-- What `process` computes from events and structures (kpis.md §3-10), in the layers of
-- docs/architecture.md: learners → learner_events (places, sessions, credits, visits) →
-- facts per learner × unit / page kind / video / day → the read models of db/src/queries.
-- Course ids here are canonical (`course-v1:...`): events of a legacy `Org/Course/Run` id
-- count for the same course.

-- Learner identity (kpis.md §3). A learner is its user id; a username never seen with an id
-- is a learner of its own with a negative key. learner_names maps every username to its
-- learner: the user id of the latest event carrying both, else the username's own key.
CREATE SEQUENCE username_learner_keys;
CREATE TABLE learner_names (
  username text PRIMARY KEY,
  learner bigint NOT NULL,
  -- time of the latest event that carried both username and user id (NULL: never seen with one)
  mapped_at timestamptz
);
CREATE INDEX learner_names_learner ON learner_names (learner);
-- One row per learner: the username to show (latest seen with that key).
CREATE TABLE learners (
  learner bigint PRIMARY KEY,
  user_id bigint,
  username text,
  username_at timestamptz
);

-- The courses each loaded file holds events of (raw_course_id as logged, course_id canonical),
-- and when `process` took them into account for that course (NULL: not yet).
CREATE TABLE file_courses (
  file_id bigint NOT NULL REFERENCES log_files (id) ON DELETE CASCADE,
  raw_course_id text NOT NULL,
  course_id text NOT NULL,
  events bigint NOT NULL,
  processed_at timestamptz,
  PRIMARY KEY (file_id, raw_course_id)
);
CREATE INDEX file_courses_pending ON file_courses (course_id) WHERE processed_at IS NULL;

-- Learners whose whole history in a course must be recomputed by the next run, because the
-- username → learner mapping changed (a username first seen alone, later with a user id).
CREATE TABLE pending_learners (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  PRIMARY KEY (course_id, learner)
);

-- Events that carry a username but no user id, found by username when a learner is recomputed.
CREATE INDEX events_course_username_time ON events (course_id, username, time)
  WHERE user_id IS NULL;

-- Per course: when it was last processed, with which settings and structure, and a data
-- version that grows with every run that changed it (the API keys its caches on it).
CREATE TABLE course_processing (
  course_id text PRIMARY KEY,
  time_zone text NOT NULL,
  settings_sha256 bytea NOT NULL,
  structure_changed_at timestamptz,
  last_processed timestamptz NOT NULL,
  data_version bigint NOT NULL DEFAULT 1,
  -- set when learner_events was lost (see there): the next run recomputes the course in full
  full_pending boolean NOT NULL DEFAULT false
);

-- Layer 1-2: every activity event of a learner with its place, session and credit (kpis.md
-- §4-6). own_place is the event's own unit usage key or page kind (NULL: neutral or
-- unresolved); place is the current place the credit goes to (NULL: unplaced); visit marks an
-- arrival at a unit. Kept so that a run can extend a learner's history from the start of the
-- session that new events touch instead of from the beginning. UNLOGGED: it is as large as the
-- events and can always be computed again; a crash empties it, which `process` detects through
-- process_sentinel (emptied too) and answers by recomputing every course in full.
CREATE UNLOGGED TABLE learner_events (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  time timestamptz NOT NULL,
  file_id bigint NOT NULL,
  line_no integer NOT NULL,
  session_start timestamptz NOT NULL,
  day date NOT NULL,
  own_place text,
  place text,
  place_is_unit boolean NOT NULL,
  credit_s double precision NOT NULL,
  visit boolean NOT NULL
);
CREATE INDEX learner_events_learner_time ON learner_events (course_id, learner, time);

-- One row while learner_events is intact (see there).
CREATE UNLOGGED TABLE process_sentinel (intact boolean PRIMARY KEY);

-- Layer 3: video viewings (kpis.md §8), before the duration rule, which is applied when read
-- (a later event can raise a video's duration). day: local day of the viewing's start.
CREATE TABLE video_viewings (
  course_id text NOT NULL,
  video_key text NOT NULL,
  learner bigint NOT NULL,
  session_start timestamptz NOT NULL,
  start_time timestamptz NOT NULL,
  day date NOT NULL,
  start_pos double precision NOT NULL,
  end_pos double precision NOT NULL
);
CREATE INDEX video_viewings_learner ON video_viewings (course_id, learner, session_start);
CREATE INDEX video_viewings_video_day ON video_viewings (course_id, video_key, day);

-- The largest duration and position any event reported for a video (kpis.md §2 fallbacks).
CREATE TABLE video_event_extents (
  course_id text NOT NULL,
  video_key text NOT NULL,
  max_duration double precision,
  max_position double precision,
  PRIMARY KEY (course_id, video_key)
);

-- Layer 4 facts. unit_day and page_day: time and visits per learner, unit or page kind
-- ('home', 'progress', 'discussion', 'other', 'unplaced') and local day.
CREATE TABLE unit_day (
  course_id text NOT NULL,
  unit_key text NOT NULL,
  learner bigint NOT NULL,
  day date NOT NULL,
  time_s double precision NOT NULL,
  visits integer NOT NULL,
  PRIMARY KEY (course_id, unit_key, day, learner)
);
CREATE INDEX unit_day_learner ON unit_day (course_id, learner, day);
CREATE TABLE page_day (
  course_id text NOT NULL,
  page_kind text NOT NULL,
  learner bigint NOT NULL,
  day date NOT NULL,
  time_s double precision NOT NULL,
  PRIMARY KEY (course_id, learner, day, page_kind)
);
-- learner_day: one row per learner and day with activity: time, sessions started, visits,
-- first and last activity event of the day.
CREATE TABLE learner_day (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  day date NOT NULL,
  time_s double precision NOT NULL,
  sessions integer NOT NULL,
  visits integer NOT NULL,
  first_time timestamptz NOT NULL,
  last_time timestamptz NOT NULL,
  PRIMARY KEY (course_id, learner, day)
);
CREATE INDEX learner_day_day ON learner_day (course_id, day);

-- Completion of a component by a learner, once, dated by its first occurrence (kpis.md §7).
CREATE TABLE completions (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  block_key text NOT NULL,
  first_time timestamptz NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (course_id, learner, block_key)
);
-- Components inside a randomising container that a learner had an event on (they count for
-- that learner's completion only then).
CREATE TABLE learner_randomized_blocks (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  block_key text NOT NULL,
  PRIMARY KEY (course_id, learner, block_key)
);

-- Enrollment changes (kpis.md §9); the learner is payload.user_id.
CREATE TABLE enrollment_changes (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  time timestamptz NOT NULL,
  file_id bigint NOT NULL,
  line_no integer NOT NULL,
  day date NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (course_id, learner, time, file_id, line_no)
);

-- Signs that a user is course staff (kpis.md §3), gathered from every event ever loaded:
-- instructor-dashboard requests, and the distinct hosts of a learner's server events (the
-- Studio rule depends on a setting, so it is applied when the exclusions are rebuilt).
CREATE TABLE staff_signals (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  signal text NOT NULL,
  PRIMARY KEY (course_id, learner, signal)
);
-- Learners left out of a course's numbers, rebuilt by every run from staff_signals and the
-- settings. Read models leave these learners out.
CREATE TABLE excluded_learners (
  course_id text NOT NULL,
  learner bigint NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (course_id, learner)
);
