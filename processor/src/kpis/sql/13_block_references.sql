-- Every block reference of the course's files (file_courses.refs: payload id and block_id,
-- `block`), read once (stats_block_id: every id form logs use) and looked up in the structure.
-- video_id numbers the distinct block ids, so that viewings can tell videos apart that the
-- structure does not know; a sequential's first unit and number of units serve navigation.
-- A run table (see 11_locations.sql).
CREATE UNLOGGED TABLE run_block_references AS
SELECT r.ref, b.block_no, b.kind, b.unit_no, b.randomized,
  CASE WHEN r.block_id IS NOT NULL THEN dense_rank() OVER (ORDER BY r.block_id) END AS video_id,
  first.unit_order AS first_unit_order, first.units_in_sequential
FROM (
  SELECT ref, stats_block_id(ref) AS block_id
  FROM (
    SELECT DISTINCT unnest(refs) AS ref FROM file_courses
    WHERE raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
  ) d
) r
LEFT JOIN block_lookup b ON b.block_id = r.block_id
LEFT JOIN unit_positions first ON b.kind = 'sequential' AND first.sequential_no = b.block_no
  AND first.position = 1;
CREATE UNIQUE INDEX ON run_block_references (ref);
ANALYZE run_block_references;
