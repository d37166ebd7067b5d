import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { loadSources } from '../src/ingest/load.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/tracking-logs');

// Expected outcomes of every real log in the fixtures, loaded one after the other into one
// database in this order (so a line repeated in an earlier file counts as a duplicate). The
// numbers were derived by hand-checked reading of kpis.md §1, cross-checked with an independent
// reader, not taken from this loader's output.
const EXPECTED: [
  string,
  { stored: number; skipped: number; rejected: number },
  Record<string, number>,
][] = [
  ['analytics-pipeline/active_users_tracking.log', { stored: 0, skipped: 0, rejected: 23 }, {}],
  [
    'analytics-pipeline/answer_dist_acceptance_tracking.log',
    { stored: 513, skipped: 180, rejected: 0 },
    { no_course: 173, anonymous: 7 },
  ],
  [
    'analytics-pipeline/enrollment_trends_tracking.log',
    { stored: 15, skipped: 0, rejected: 0 },
    {},
  ],
  [
    'analytics-pipeline/event_export_tracking.log',
    { stored: 14, skipped: 1, rejected: 0 },
    { no_course: 1 },
  ],
  [
    'analytics-pipeline/lms_courseware_link_clicked_acceptance_tracking.log',
    { stored: 0, skipped: 20, rejected: 0 },
    { anonymous: 20 },
  ],
  [
    'analytics-pipeline/location_by_course_tracking.log',
    { stored: 37, skipped: 37, rejected: 0 },
    { no_course: 36, anonymous: 1 },
  ],
  [
    'analytics-pipeline/module_engagement_acceptance_tracking_20150413.log',
    { stored: 33, skipped: 35, rejected: 0 },
    { no_course: 35 },
  ],
  [
    'analytics-pipeline/module_engagement_acceptance_tracking_20150416.log',
    { stored: 113, skipped: 13, rejected: 0 },
    { no_course: 13 },
  ],
  [
    'analytics-pipeline/problem_response_tracking.log',
    { stored: 303, skipped: 543, rejected: 0 },
    { no_course: 540, anonymous: 3 },
  ],
  [
    'analytics-pipeline/student_engagement_acceptance_tracking.log',
    { stored: 37, skipped: 267, rejected: 0 },
    { comment: 22, blank: 56, duplicate: 141, no_course: 48 },
  ],
  [
    'analytics-pipeline/student_forum_activity.log',
    { stored: 13, skipped: 12, rejected: 0 },
    { comment: 11, blank: 1 },
  ],
  [
    'analytics-pipeline/user_activity_tracking.log',
    { stored: 185, skipped: 22, rejected: 0 },
    { duplicate: 4, no_course: 8, anonymous: 10 },
  ],
  [
    'analytics-pipeline/video_timeline.log',
    { stored: 18, skipped: 11, rejected: 0 },
    { blank: 4, comment: 7 },
  ],
  [
    'event-routing-backends/current.log',
    { stored: 77, skipped: 4, rejected: 0 },
    { anonymous: 2, no_course: 2 },
  ],
  ['event-routing-backends/tracking.log', { stored: 10, skipped: 0, rejected: 2 }, {}],
];

describe('loading the real tracking logs of the fixtures', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('accounts for every line of every file exactly', async () => {
    for (const [file, lines, skippedByReason] of EXPECTED) {
      const summary = await loadSources(db.sql, [path.join(FIXTURES, file)]);
      const [outcome] = summary.outcomes;
      expect({ file, status: outcome!.status, lines: outcome!.lines }).toEqual({
        file,
        status: 'loaded',
        lines: { read: lines.stored + lines.skipped + lines.rejected, ...lines },
      });
      expect(outcome!.skippedByReason).toEqual(skippedByReason);
    }
    const [counts] = await db.sql`
      SELECT (SELECT count(*)::int FROM events) AS events,
             (SELECT count(*)::int FROM rejected_lines) AS rejected`;
    expect(counts!.events).toBe(EXPECTED.reduce((sum, [, lines]) => sum + lines.stored, 0));
    expect(counts!.rejected).toBe(25);
  });

  it('loads nothing the second time', async () => {
    const summary = await loadSources(
      db.sql,
      EXPECTED.map(([file]) => path.join(FIXTURES, file)),
    );
    expect(summary.files).toEqual({ loaded: 0, already_loaded: EXPECTED.length, failed: 0 });
    expect(summary.lines).toEqual({ stored: 0, skipped: 0, rejected: 0 });
  });

  it('reads the Tutor prefix and takes the user id from the payload when the context has none', async () => {
    const rows = await db.sql`
      SELECT e.event_type, e.user_id::int AS user_id, e.username, e.time
      FROM events e JOIN log_files f ON f.id = e.file_id
      WHERE f.source LIKE '%event-routing-backends/tracking.log'
      ORDER BY e.time, e.line_no LIMIT 1`;
    expect(rows[0]).toEqual({
      event_type: 'edx.grades.subsection.grade_calculated',
      user_id: 6,
      username: null,
      time: new Date('2023-05-23T13:53:13.460Z'),
    });
  });

  it('keeps the broken Tutor lines as rejected, with their reason and text', async () => {
    const rows = await db.sql`
      SELECT r.line_no, r.reason, convert_from(r.excerpt, 'UTF8') AS excerpt
      FROM rejected_lines r JOIN log_files f ON f.id = r.file_id
      WHERE f.source LIKE '%event-routing-backends/tracking.log' ORDER BY r.line_no`;
    expect(rows.map((r) => r.line_no)).toEqual([3, 11]);
    for (const row of rows) {
      expect(row.reason).toMatch(/^not JSON: /);
      expect(row.excerpt).toMatch(
        /^2023-05-23 \d\d:\d\d:\d\d,\d+ INFO \d+ \[tracking\] .* - {"name": /,
      );
    }
  });

  it('reads the processed shape (name, timestamp, data, context)', async () => {
    const [row] = await db.sql`
      SELECT e.event_type, e.time, e.course_id, e.user_id::int AS user_id, e.username, e.session,
             e.block, e.payload->>'completion' AS completion
      FROM events e JOIN log_files f ON f.id = e.file_id
      WHERE f.source LIKE '%current.log' AND e.event_type = 'edx.completion.block_completion.changed'`;
    expect(row).toEqual({
      event_type: 'edx.completion.block_completion.changed',
      time: new Date('2023-08-22T20:16:25.500Z'),
      course_id: 'course-v1:edX+DemoX+Demo_Course',
      user_id: 3,
      username: 'edx',
      session: '056aca2a1c6b76742b283e73d3424453',
      block: 'block-v1:edX+DemoX+Demo_Course+type@problem+block@7c54b16c8ed34f9f8772015178c7a175',
      completion: '1',
    });
  });

  it('parses a payload that is a JSON string and keeps microseconds', async () => {
    const [row] = await db.sql`
      SELECT e.payload->>'id' AS video, e.payload->>'currentTime' AS position,
             to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS time,
             e.page, e.event_source, e.block
      FROM events e JOIN log_files f ON f.id = e.file_id
      WHERE f.source LIKE '%video_timeline.log' ORDER BY e.line_no LIMIT 1`;
    expect(row).toEqual({
      video: 'i4x-edX-DemoX-video-3cb54a11efae4ccc8a0aade24d14b255',
      position: '0',
      time: '2014-05-02 16:44:35.901775',
      page: 'http://example.m.sandbox.edx.org/courses/edX/DemoX/Demo_Course/courseware/0b00125535c042e2a29385a31151f720/93cbaf77d8ea48a78e473367696415e4/',
      event_source: 'browser',
      block: 'i4x-edX-DemoX-video-3cb54a11efae4ccc8a0aade24d14b255',
    });
  });
});
