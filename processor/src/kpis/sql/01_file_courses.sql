-- Registers, for every loaded file not seen before, which courses it holds events of
-- (file_courses). A file is registered once; `process` then works per course on the files
-- whose events of that course it has not taken into account yet.
CREATE TEMP TABLE new_files ON COMMIT DROP AS
SELECT f.id AS file_id
FROM log_files f
WHERE NOT EXISTS (SELECT FROM file_courses fc WHERE fc.file_id = f.id)
  AND f.lines_stored > 0;

-- With each file and course, in the same read of its events: the distinct values they are
-- looked up by (URLs and server paths of pages, requests and jump targets; event names; block
-- references: payload id and block_id, `block`). A run parses and looks up the values of its
-- course from here (11_locations.sql, 12_event_names.sql, 13_block_references.sql) instead of
-- for every event. Files registered before these were kept get them on the next run.
WITH combinations AS (
  -- each combination once first: far fewer rows than events
  SELECT e.file_id, e.course_id, e.page,
    stats_server_path(e.event_source, e.event_type, e.path) AS server_path,
    stats_jump_url(coalesce(e.event_name, e.event_type), e.payload) AS jump_url,
    coalesce(e.event_name, e.event_type) AS name,
    e.payload ->> 'id' AS payload_id, e.payload ->> 'block_id' AS payload_block_id, e.block,
    count(*) AS events
  FROM events e
  -- (file ids as an array: the files' events are then found through the index on file_id)
  WHERE e.file_id = ANY ((
    SELECT array_agg(file_id) FROM (
      SELECT file_id FROM new_files UNION SELECT file_id FROM file_courses WHERE urls IS NULL
    ) f)::bigint[])
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
), lookup_values AS (
  SELECT DISTINCT c.file_id, c.course_id, v.kind, v.value
  FROM combinations c
  CROSS JOIN LATERAL (VALUES ('url', c.page), ('url', c.server_path), ('url', c.jump_url),
    ('name', c.name), ('ref', c.payload_id), ('ref', c.payload_block_id), ('ref', c.block)
  ) v (kind, value)
  WHERE v.value IS NOT NULL
)
INSERT INTO file_courses (file_id, raw_course_id, course_id, events, urls, names, refs)
SELECT f.file_id, f.course_id, stats_canonical_course(f.course_id), f.events,
  coalesce(array_agg(d.value ORDER BY d.value) FILTER (WHERE d.kind = 'url'), '{}'),
  coalesce(array_agg(d.value ORDER BY d.value) FILTER (WHERE d.kind = 'name'), '{}'),
  coalesce(array_agg(d.value ORDER BY d.value) FILTER (WHERE d.kind = 'ref'), '{}')
FROM (
  SELECT file_id, course_id, sum(events) AS events FROM combinations GROUP BY file_id, course_id
) f
LEFT JOIN lookup_values d ON d.file_id = f.file_id AND d.course_id = f.course_id
GROUP BY f.file_id, f.course_id, f.events
ON CONFLICT (file_id, raw_course_id) DO UPDATE
SET urls = excluded.urls, names = excluded.names, refs = excluded.refs;
