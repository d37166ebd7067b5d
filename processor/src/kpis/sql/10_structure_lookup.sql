-- The course structure (kpis.md §2) in the shapes the place rules look things up in, every
-- block by its integer block_no: blocks by block id (how every id form is matched, active
-- blocks first), the sequential and chapter of every unit, units by position in their
-- sequential and by course order, and the first unit of each sequential and chapter.
CREATE TEMP TABLE block_lookup ON COMMIT DROP AS
SELECT DISTINCT ON (b.block_id) b.block_id, b.block_no, b.kind, u.block_no AS unit_no,
  b.randomized
FROM course_blocks b
LEFT JOIN course_blocks u ON u.course_id = b.course_id AND u.usage_key = b.unit_key
WHERE b.course_id = (SELECT current_setting('stats.course'))
ORDER BY b.block_id, b.active DESC, b.kind = 'container', b.usage_key;
CREATE UNIQUE INDEX ON block_lookup (block_id);
ANALYZE block_lookup;

-- Every unit ever stored, active or not, with its sequential and chapter.
CREATE TEMP TABLE unit_containers ON COMMIT DROP AS
SELECT u.block_no AS unit_no, s.block_no AS sequential_no, c.block_no AS chapter_no
FROM course_blocks u
LEFT JOIN course_blocks s ON s.course_id = u.course_id AND s.usage_key = u.sequential_key
LEFT JOIN course_blocks c ON c.course_id = u.course_id AND c.usage_key = u.chapter_key
WHERE u.course_id = (SELECT current_setting('stats.course')) AND u.kind = 'unit';
CREATE UNIQUE INDEX ON unit_containers (unit_no);
ANALYZE unit_containers;

CREATE TEMP TABLE unit_positions ON COMMIT DROP AS
SELECT c.unit_no, c.sequential_no, c.chapter_no, u.unit_order,
  row_number() OVER (PARTITION BY u.sequential_key ORDER BY u.unit_order)::integer AS position,
  count(*) OVER (PARTITION BY u.sequential_key)::integer AS units_in_sequential
FROM course_blocks u
JOIN unit_containers c ON c.unit_no = u.block_no
WHERE u.course_id = (SELECT current_setting('stats.course')) AND u.kind = 'unit' AND u.active
  AND u.unit_order IS NOT NULL;
CREATE UNIQUE INDEX ON unit_positions (unit_order);
ANALYZE unit_positions;

CREATE TEMP TABLE first_units ON COMMIT DROP AS
SELECT DISTINCT ON (container_no) container_no, unit_no
FROM (
  SELECT sequential_no AS container_no, unit_no, unit_order FROM unit_positions
  UNION ALL
  SELECT chapter_no, unit_no, unit_order FROM unit_positions
) u
WHERE container_no IS NOT NULL
ORDER BY container_no, unit_order;

-- The active units as one array indexed by unit_order (the unit after another is its order + 1).
-- (Like the tables of 11-13 that 14_course_events.sql joins every event to, a run table: see
-- 11_locations.sql.)
CREATE UNLOGGED TABLE run_units_by_order AS
SELECT coalesce(array_agg(u.unit_no ORDER BY o.unit_order), '{}') AS units
FROM generate_series(1, (SELECT max(unit_order) FROM unit_positions)) o (unit_order)
LEFT JOIN unit_positions u ON u.unit_order = o.unit_order;
ANALYZE run_units_by_order;
