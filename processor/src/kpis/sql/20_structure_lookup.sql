-- The course structure (kpis.md §2) in the shapes the place rules look things up in: blocks by
-- block id (how every id form is matched, active blocks first), units by position in their
-- sequential and by course order, and the first unit of each sequential and chapter.
CREATE TEMP TABLE block_lookup ON COMMIT DROP AS
SELECT DISTINCT ON (block_id) block_id, usage_key, kind, block_type, unit_key, sequential_key,
  chapter_key, randomized
FROM course_blocks
WHERE course_id = current_setting('stats.course')
ORDER BY block_id, active DESC, kind = 'container', usage_key;
CREATE UNIQUE INDEX ON block_lookup (block_id);
ANALYZE block_lookup;

CREATE TEMP TABLE unit_positions ON COMMIT DROP AS
SELECT usage_key AS unit_key, sequential_key, chapter_key, unit_order,
  row_number() OVER (PARTITION BY sequential_key ORDER BY unit_order)::integer AS position,
  count(*) OVER (PARTITION BY sequential_key)::integer AS units_in_sequential
FROM course_blocks
WHERE course_id = current_setting('stats.course') AND kind = 'unit' AND active
  AND unit_order IS NOT NULL;
CREATE UNIQUE INDEX ON unit_positions (unit_order);
ANALYZE unit_positions;

CREATE TEMP TABLE first_units ON COMMIT DROP AS
SELECT DISTINCT ON (container_key) container_key, unit_key
FROM (
  SELECT sequential_key AS container_key, unit_key, unit_order FROM unit_positions
  UNION ALL
  SELECT chapter_key, unit_key, unit_order FROM unit_positions
) u
ORDER BY container_key, unit_order;
