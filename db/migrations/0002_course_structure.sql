-- Course structures from the LMS Course Blocks API (kpis.md §2), one row per block ever seen.
-- `structure import` and `structure sync` write them; the KPI SQL reads them to place events.

-- One row per course with a stored structure: where the last answer came from and when.
-- content_sha256 fingerprints the stored blocks; changed_at moves only when it changes, so that
-- `process` recomputes a course in full after its structure really changed, not after every sync.
CREATE TABLE course_structures (
  course_id text PRIMARY KEY,
  root_key text NOT NULL,
  name text,
  start_date timestamptz,
  end_date timestamptz,
  source text NOT NULL,
  content_sha256 bytea NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  changed_at timestamptz NOT NULL DEFAULT now()
);

-- Every block of every answer stored so far. A block missing from a later answer stays, with
-- active = false and its last position and label, so numbers stored for it remain readable.
-- kind: course | chapter | sequential | unit (a child of a sequential) | container (a block with
-- children below a unit: library_content, split_test, conditional, a nested vertical ...) |
-- component (a leaf below a unit). unit_key is the unit a component or container belongs to.
-- Positions are 1-based in the order of `children`; label is `chapter.sequential.vertical`.
-- course_order numbers the active blocks in course order (pre-order); unit_order numbers the
-- active units alone, so "the next unit in the course" is unit_order + 1.
CREATE TABLE course_blocks (
  course_id text NOT NULL REFERENCES course_structures (course_id) ON DELETE CASCADE,
  usage_key text NOT NULL,
  block_id text NOT NULL,
  block_type text NOT NULL,
  kind text NOT NULL
    CHECK (kind IN ('course', 'chapter', 'sequential', 'unit', 'container', 'component')),
  name text,
  parent_key text,
  chapter_key text,
  sequential_key text,
  unit_key text,
  position integer,
  label text,
  course_order integer,
  unit_order integer,
  randomized boolean NOT NULL DEFAULT false,
  duration double precision,
  graded boolean,
  active boolean NOT NULL DEFAULT true,
  PRIMARY KEY (course_id, usage_key)
);
-- Legacy ids (i4x://..., i4x-Org-Course-video-Name, bare ids) are matched on the block id.
CREATE INDEX course_blocks_block_id ON course_blocks (course_id, block_id);
