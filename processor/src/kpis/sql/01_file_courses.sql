-- Registers, for every loaded file not seen before, which courses it holds events of
-- (file_courses). A file is registered once; `process` then works per course on the files
-- whose events of that course it has not taken into account yet.
CREATE TEMP TABLE new_files ON COMMIT DROP AS
SELECT f.id AS file_id
FROM log_files f
WHERE NOT EXISTS (SELECT FROM file_courses fc WHERE fc.file_id = f.id)
  AND f.lines_stored > 0;

INSERT INTO file_courses (file_id, raw_course_id, course_id, events)
SELECT e.file_id, e.course_id, stats_canonical_course(e.course_id), count(*)
FROM events e
WHERE e.file_id IN (SELECT file_id FROM new_files)
GROUP BY e.file_id, e.course_id;
