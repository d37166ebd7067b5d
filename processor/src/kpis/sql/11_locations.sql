-- Every distinct URL and server path of the course's files (file_courses.urls), parsed once
-- (kpis.md §4 rules 3, 5, 6) and looked up in the structure: what an event at that URL says
-- about the learner's place. place_type: unit | page | unresolved | neutral, or seq_last /
-- chapter_last (a courseware URL without a unit: the learner's last unit in that sequential or
-- chapter, resolved in 20_container_places.sql). place: a unit's block_no, a page kind
-- (stats_page_place) or the sequential / chapter of seq_last / chapter_last.
-- A run table (run_*: an ordinary UNLOGGED table that the run creates and drops before it
-- commits; runs take turns): PostgreSQL reads temporary tables only in the leader of a parallel
-- query, and 14_course_events.sql joins every event to this one in parallel workers.
CREATE UNLOGGED TABLE run_locations AS
SELECT u.url, l.kind,
  CASE
    WHEN l.kind IN ('unit_key', 'component') THEN CASE
      WHEN b.kind = 'unit' THEN 'unit'
      WHEN b.kind IN ('component', 'container') THEN 'unit'
      WHEN b.kind IN ('sequential', 'chapter') AND l.kind = 'unit_key' AND fu.unit_no IS NOT NULL
        THEN 'unit'
      ELSE 'unresolved' END
    WHEN l.kind = 'courseware' THEN CASE WHEN up.unit_no IS NOT NULL THEN 'unit' ELSE 'unresolved' END
    WHEN l.kind = 'seq_last' THEN CASE WHEN b.kind = 'sequential' THEN 'seq_last' ELSE 'unresolved' END
    WHEN l.kind = 'chapter_last' THEN CASE WHEN b.kind = 'chapter' THEN 'chapter_last' ELSE 'unresolved' END
    WHEN l.kind = 'page' THEN 'page'
    ELSE 'neutral'
  END AS place_type,
  CASE
    WHEN l.kind IN ('unit_key', 'component') THEN CASE
      WHEN b.kind = 'unit' THEN b.block_no
      WHEN b.kind IN ('component', 'container') THEN b.unit_no
      WHEN b.kind IN ('sequential', 'chapter') AND l.kind = 'unit_key' THEN fu.unit_no END
    WHEN l.kind = 'courseware' THEN up.unit_no
    WHEN l.kind IN ('seq_last', 'chapter_last') THEN b.block_no
    WHEN l.kind = 'page' THEN stats_page_place(l.key)
  END AS place,
  CASE WHEN l.kind = 'component' AND b.kind = 'component' AND b.randomized THEN b.block_no END
    AS randomized_block,
  -- a request to a component's publish_completion handler reports its completion (kpis.md §7)
  u.url LIKE '%/handler/publish_completion%' AS publishes_completion,
  completion.block_no AS completion_block,
  -- a request to the course's instructor dashboard: its user is course staff (kpis.md §3)
  u.instructor AS is_instructor
FROM (
  SELECT d.url,
    coalesce(starts_with(d.url, '/courses/' || (SELECT current_setting('stats.course')) || '/instructor')
      OR starts_with(d.url,
        '/courses/' || nullif((SELECT current_setting('stats.legacy_course')), '') || '/instructor'),
      false) AS instructor
  FROM (
    SELECT DISTINCT unnest(urls) AS url FROM file_courses
    WHERE raw_course_id = ANY ((SELECT string_to_array(current_setting('stats.course_ids'), ' '))::text[])
  ) d
) u
CROSS JOIN LATERAL stats_location(u.url, (SELECT current_setting('stats.course')),
  nullif((SELECT current_setting('stats.legacy_course')), '')) l
LEFT JOIN block_lookup b ON b.block_id = stats_block_id(l.key) AND l.kind <> 'page'
LEFT JOIN first_units fu ON fu.container_no = b.block_no
LEFT JOIN unit_positions up ON l.kind = 'courseware' AND up.sequential_no = b.block_no
  AND b.kind = 'sequential' AND up.position = l.unit_position
LEFT JOIN block_lookup completion ON u.url LIKE '%/handler/publish_completion%'
  AND completion.block_id = stats_block_id(split_part(split_part(u.url, '/xblock/', 2), '/', 1))
WHERE l.kind IS NOT NULL OR u.url LIKE '%/handler/publish_completion%' OR u.instructor;
CREATE UNIQUE INDEX ON run_locations (url);
ANALYZE run_locations;
