-- Helpers of the KPI layers: reading ids, numbers and URLs the way kpis.md §1-4 describe.
-- Recreated by every run (CREATE OR REPLACE), so that fixing one never needs a migration.
-- All are plain SQL expressions Postgres can inline into the queries that use them.

-- `Org/Course/Run` (legacy) → `course-v1:Org+Course+Run`; any other id unchanged.
CREATE OR REPLACE FUNCTION stats_canonical_course(id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN id ~ '^[^/:+]+/[^/+]+/[^/+]+$' THEN 'course-v1:' || replace(id, '/', '+') ELSE id END
$$;

-- The block id a reference names, in every form logs use: a usage key
-- (`block-v1:...+type@video+block@<id>`), the legacy `i4x://Org/Course/video/<id>` and
-- `i4x-Org-Course-video-<id>`, the `i4x:;_;_...` form of handler URLs, or a bare id; NULL for
-- anything else (a URL, a sentence).
CREATE OR REPLACE FUNCTION stats_block_id(ref text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN ref LIKE 'block-v1:%' THEN nullif(substring(split_part(ref, '+block@', 2) FROM '^[^+/?#&]*'), '')
    WHEN ref LIKE 'i4x://%' THEN substring(ref FROM '^i4x://[^/]+/[^/]+/[^/]+/([^/@?#]+)')
    -- how the legacy LMS writes a key inside a handler URL: '/' as ';_', ';' as ';;'
    WHEN ref LIKE 'i4x:;_;_%' THEN substring(replace(replace(ref, ';_', '/'), ';;', ';')
      FROM '^i4x://[^/]+/[^/]+/[^/]+/([^/@?#]+)')
    WHEN ref LIKE 'i4x-%' THEN substring(ref FROM '^i4x-[^-]+-[^-]+-[a-z_]+-(.+)$')
    WHEN length(ref) <= 200 AND ref ~ '^[A-Za-z0-9_.-]+$' THEN ref
  END
$$;

-- A number from a JSON value that is a number or a string holding one; NULL otherwise.
CREATE OR REPLACE FUNCTION stats_number(value jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value) = 'number' THEN value::text::double precision
    WHEN jsonb_typeof(value) = 'string'
      AND value #>> '{}' ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'
      THEN (value #>> '{}')::double precision
  END
$$;

-- A whole number (positions, tabs) from a JSON number or string; NULL otherwise.
CREATE OR REPLACE FUNCTION stats_integer(value jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(value #>> '{}') <= 12 AND value #>> '{}' ~ '^-?[0-9]+(\.0*)?$'
      AND length(split_part(ltrim(value #>> '{}', '-'), '.', 1)) <= 9
    THEN floor((value #>> '{}')::numeric)::integer END
$$;

-- Server events the learner did not cause (kpis.md §3): enrollment, grades, certificates.
-- (LIKE rather than a regular expression: this runs for every event.)
CREATE OR REPLACE FUNCTION stats_is_passive(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT starts_with(name, 'edx.') AND (name LIKE 'edx.course.enrollment.%'
    OR name LIKE 'edx.grades.%' OR name LIKE 'edx.course.grade.%'
    OR name LIKE 'edx.certificate.%')
$$;

-- Events that name a video by payload.id (kpis.md §4 rule 4): every *_video, edx.video.*,
-- transcript and caption event.
CREATE OR REPLACE FUNCTION stats_is_video_event(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT name LIKE '%\_video' OR name LIKE 'edx.video.%' OR name LIKE '%transcript%'
    OR name LIKE '%caption%' OR name LIKE '%\_cc\_menu'
$$;

-- A page kind as session_places stores a place (units are their block_no, above 0), and back.
CREATE OR REPLACE FUNCTION stats_page_place(kind text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE kind WHEN 'home' THEN -1 WHEN 'progress' THEN -2 WHEN 'discussion' THEN -3
    WHEN 'other' THEN -4 END
$$;

CREATE OR REPLACE FUNCTION stats_place_page_kind(place integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE place WHEN -1 THEN 'home' WHEN -2 THEN 'progress' WHEN -3 THEN 'discussion'
    WHEN -4 THEN 'other' END
$$;

-- Whether an event was logged by the server (its event_type is then usually the request path).
CREATE OR REPLACE FUNCTION stats_is_server(event_source text, event_type text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(event_source = 'server', false) OR (event_source IS NULL AND event_type LIKE '/%')
$$;

-- The request path of a server event; NULL for browser events.
CREATE OR REPLACE FUNCTION stats_server_path(event_source text, event_type text, path text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN stats_is_server(event_source, event_type) THEN
    CASE WHEN event_type LIKE '/%' THEN event_type ELSE path END END
$$;

-- The target of an outline or link jump (kpis.md §4 rule 2): '' when the event has none;
-- NULL for other events.
CREATE OR REPLACE FUNCTION stats_jump_url(name text, payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN name IN ('edx.ui.lms.outline.selected', 'edx.ui.lms.link_clicked',
    'edx.ui.lms.jump_nav.selected') THEN coalesce(payload ->> 'target_url', '') END
$$;

-- The page kind of a course URL from the path segments after the course id (kpis.md §4 rule
-- 6): home, progress, discussion, other; 'none' for API calls, event posts and handler calls.
-- (Segments, not regular expressions: Postgres caches only 32 compiled patterns a session.)
CREATE OR REPLACE FUNCTION stats_page_kind(segments text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN 'handler' = ANY (segments) OR 'handler_noauth' = ANY (segments) THEN 'none'
    ELSE CASE coalesce(segments[1], '')
      WHEN 'api' THEN 'none' WHEN 'event' THEN 'none' WHEN 'xblock' THEN 'none'
      WHEN '' THEN 'home' WHEN 'course' THEN 'home' WHEN 'info' THEN 'home'
      WHEN 'home' THEN 'home' WHEN 'outline' THEN 'home'
      WHEN 'progress' THEN 'progress'
      WHEN 'discussion' THEN 'discussion' WHEN 'discussions' THEN 'discussion'
      WHEN 'forum' THEN 'discussion'
      ELSE 'other' END
  END
$$;

-- The path of a URL (no scheme, host, query or fragment); a path stays as it is.
CREATE OR REPLACE FUNCTION stats_url_path(url text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT split_part(split_part(
    CASE WHEN NOT starts_with(url, '/') AND strpos(url, '://') > 0 THEN
      CASE WHEN strpos(substr(url, strpos(url, '://') + 3), '/') > 0
        THEN substr(substr(url, strpos(url, '://') + 3), strpos(substr(url, strpos(url, '://') + 3), '/'))
        ELSE '' END
    ELSE url END, '?', 1), '#', 1)
$$;

-- What a URL or server path says about where a learner is (kpis.md §4 rules 3 and 6), for a
-- course known by its canonical and legacy ids:
--   kind 'unit_key'     key = a usage key naming the place (jump_to, /xblock/<key>, MFE unit)
--   kind 'seq_last'     key = a sequential: the learner's last unit there, else its first
--   kind 'chapter_last' key = a chapter: the same one level up
--   kind 'courseware'   key = sequential id, key2 = chapter id, unit_position = 1-based position
--   kind 'component'    key = a component whose handler the path calls
--   kind 'page'         key = page kind
--   kind 'none'         a course URL that is never a place (API, /event)
--   NULL                not a URL of this course
DROP FUNCTION IF EXISTS stats_location(text, text, text);
-- (PL/pgSQL on purpose: inlined as SQL, its nested expressions grow too large to plan. It runs
-- once per distinct URL.)
CREATE OR REPLACE FUNCTION stats_location(url text, canonical text, legacy text,
  OUT kind text, OUT key text, OUT key2 text, OUT unit_position integer)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  path text := stats_url_path(url);
  s text[];
BEGIN
  IF starts_with(path, '/xblock/') THEN
    s := string_to_array(btrim(path, '/'), '/');
  ELSIF starts_with(path || '/', '/courses/' || canonical || '/') THEN
    s := string_to_array(btrim(substr(path, length(canonical) + 10), '/'), '/');
  ELSIF legacy IS NOT NULL AND starts_with(path || '/', '/courses/' || legacy || '/') THEN
    s := string_to_array(btrim(substr(path, length(legacy) + 10), '/'), '/');
  ELSIF starts_with(path, '/course/') OR starts_with(path, '/learning/course/') THEN
    -- The Learning MFE: /course/<course>/<sequential>[/<unit>] or /course/<course>/<page>.
    s := string_to_array(btrim(
      substr(path, CASE WHEN starts_with(path, '/learning/') THEN 18 ELSE 9 END), '/'), '/');
    IF s[1] IS DISTINCT FROM canonical THEN RETURN; END IF;
    IF s[2] LIKE 'block-v1:%' AND s[3] LIKE 'block-v1:%' THEN
      kind := 'unit_key'; key := s[3];
    ELSIF s[2] LIKE 'block-v1:%' THEN
      kind := 'seq_last'; key := s[2];
    ELSE
      key := stats_page_kind(s[2:]);
      kind := CASE WHEN key = 'none' THEN 'none' ELSE 'page' END;
    END IF;
    RETURN;
  ELSE
    RETURN;
  END IF;

  IF s[1] = 'xblock' THEN
    IF s[3] IN ('handler', 'handler_noauth') THEN kind := 'component'; key := s[2];
    ELSIF s[3] IS NULL AND s[2] IS NOT NULL THEN kind := 'unit_key'; key := s[2];
    ELSE kind := 'none';
    END IF;
  ELSIF s[1] = 'jump_to' AND s[2] IS NOT NULL THEN
    -- a legacy key (i4x://Org/Course/type/name) holds slashes of its own
    kind := 'unit_key'; key := array_to_string(s[2:], '/');
  ELSIF s[1] = 'courseware' THEN
    IF s[4] ~ '^[0-9]{1,9}$' THEN
      kind := 'courseware'; key := s[3]; key2 := s[2]; unit_position := s[4]::integer;
    ELSIF s[3] IS NOT NULL AND s[4] IS NULL THEN kind := 'seq_last'; key := s[3];
    ELSIF s[2] IS NOT NULL AND s[3] IS NULL THEN kind := 'chapter_last'; key := s[2];
    ELSIF s[2] IS NULL THEN kind := 'page'; key := 'home';
    ELSE kind := 'none';
    END IF;
  ELSE
    key := stats_page_kind(s);
    kind := CASE WHEN key = 'none' THEN 'none' ELSE 'page' END;
    IF kind = 'none' THEN key := NULL; END IF;
  END IF;
END
$$;
