-- Learner identity (kpis.md §3), from the files registered by this run (new_files):
-- a username belongs to the user id of the latest event carrying both; a username never seen
-- with an id is a learner of its own (a negative key). When a username moves to another
-- learner, both learners' histories in every course they appear in are queued in
-- pending_learners for a full recomputation.
-- Every (username, user id or none) of the new files once, at its latest event: one read of them.
CREATE TEMP TABLE new_identities ON COMMIT DROP AS
SELECT DISTINCT ON (e.username, e.user_id) e.username, e.user_id, e.time, e.file_id, e.line_no
FROM events e
WHERE e.file_id = ANY ((SELECT array_agg(file_id) FROM new_files)::bigint[])
  AND e.username IS NOT NULL
ORDER BY e.username, e.user_id, e.time DESC, e.file_id DESC, e.line_no DESC;

CREATE TEMP TABLE new_pairs ON COMMIT DROP AS
SELECT DISTINCT ON (username) username, user_id, time
FROM new_identities
WHERE user_id IS NOT NULL
ORDER BY username, time DESC, file_id DESC, line_no DESC;

CREATE TEMP TABLE moved_usernames ON COMMIT DROP AS
SELECT n.username, n.learner AS old_learner, p.user_id AS new_learner
FROM new_pairs p
JOIN learner_names n ON n.username = p.username
WHERE n.learner <> p.user_id AND (n.mapped_at IS NULL OR n.mapped_at < p.time);

INSERT INTO learner_names (username, learner, mapped_at)
SELECT username, user_id, time FROM new_pairs
ON CONFLICT (username) DO UPDATE SET learner = excluded.learner, mapped_at = excluded.mapped_at
WHERE learner_names.mapped_at IS NULL OR learner_names.mapped_at < excluded.mapped_at;

INSERT INTO learner_names (username, learner)
SELECT u.username, -nextval('username_learner_keys')
FROM (SELECT DISTINCT username FROM new_identities WHERE user_id IS NULL) u
WHERE NOT EXISTS (SELECT FROM learner_names n WHERE n.username = u.username)
ORDER BY u.username;

-- The name to show for a learner: the latest username seen with its user id.
INSERT INTO learners (learner, user_id, username, username_at)
SELECT DISTINCT ON (user_id) user_id, user_id, username, time
FROM new_identities
WHERE user_id IS NOT NULL
ORDER BY user_id, time DESC, file_id DESC, line_no DESC
ON CONFLICT (learner) DO UPDATE SET username = excluded.username, username_at = excluded.username_at
WHERE learners.username_at IS NULL OR learners.username_at < excluded.username_at;

INSERT INTO learners (learner, user_id, username)
SELECT n.learner, NULL, n.username FROM learner_names n WHERE n.learner < 0
ON CONFLICT (learner) DO NOTHING;

INSERT INTO pending_learners (course_id, learner)
SELECT DISTINCT c.course_id, l.learner
FROM moved_usernames m
CROSS JOIN LATERAL (VALUES (m.old_learner), (m.new_learner)) l (learner)
JOIN (
  SELECT DISTINCT course_id FROM file_courses
) c ON EXISTS (
  SELECT FROM session_places sp WHERE sp.course_id = c.course_id AND sp.learner = l.learner
) OR EXISTS (
  SELECT FROM file_courses fc WHERE fc.course_id = c.course_id AND fc.processed_at IS NULL
)
ON CONFLICT DO NOTHING;
