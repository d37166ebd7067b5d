// `stats-processor report <course> --from D --to D`: a course's numbers for operators without a
// browser (interfaces.md §1). The numbers come from the read models of db/src/queries, the same
// functions the API answers `overview`, `units` and `videos` with.
import {
  courseSummaries,
  overview,
  units,
  videos,
  type Overview,
  type Queryable,
  type UnitRow,
  type VideoRow,
} from '@course-stats/db';
import { canonicalCourseId } from './structure/index.ts';

export interface ReportOptions {
  from: string;
  to: string;
  /** Component types that never count for completion. */
  completionExcludedTypes: readonly string[];
}

/** The `--json` answer: exactly the API's `overview`, `units` and `videos` answers. */
export interface CourseReport {
  overview: Overview;
  units: UnitRow[];
  videos: VideoRow[];
}

export interface ReportResult {
  json: unknown;
  text: string;
  exitCode?: number;
}

/**
 * The report of a course (a legacy `Org/Course/Run` id is taken as `course-v1:Org+Course+Run`)
 * for an inclusive range of local days, as JSON and as text tables; exit code 1 when the course
 * has neither facts nor a structure.
 */
export async function courseReport(
  sql: Queryable,
  course: string,
  options: ReportOptions,
): Promise<ReportResult> {
  const courseId = canonicalCourseId(course);
  const report = await readReport(sql, courseId, options);
  if (!report) {
    const message = `no such course: ${courseId}`;
    return { json: { error: message }, text: message, exitCode: 1 };
  }
  return { json: report, text: formatReport(courseId, options, report) };
}

/** The three answers for a course, or null when it has neither facts nor a structure. */
export async function readReport(
  sql: Queryable,
  courseId: string,
  { from, to, completionExcludedTypes }: ReportOptions,
): Promise<CourseReport | null> {
  const [known] = await courseSummaries(sql, [courseId]);
  if (!known) return null;
  const range = { courseId, from, to };
  return {
    overview: await overview(sql, range),
    units: await units(sql, { ...range, completionExcludedTypes }),
    videos: await videos(sql, range),
  };
}

/** The report as text: the overview's counters, then a table of units and one of videos. */
export function formatReport(
  courseId: string,
  { from, to }: { from: string; to: string },
  report: CourseReport,
): string {
  const o = report.overview;
  const counters = table(
    [],
    [
      ['active learners', o.active_learners],
      ['enrolled learners', o.enrolled_learners],
      ['time', duration(o.time_s)],
      ['sessions', o.sessions],
      ['visits', o.visits],
      ['video views', o.video_views],
      ['video watch time', duration(o.video_watch_s)],
    ],
    [false, true],
  );
  const unitTable = report.units.length
    ? table(
        [
          'unit',
          'name',
          'time',
          'visits',
          'visitors',
          'with time',
          'mean time',
          'sd time',
          'completed',
          'components',
        ],
        report.units.map((u) => [
          u.label ?? '',
          u.name ?? '',
          duration(u.time_s),
          u.visits,
          u.visitors,
          u.learners_with_time,
          u.mean_time_s === null ? '-' : duration(u.mean_time_s),
          u.sd_time_s === null ? '-' : duration(u.sd_time_s),
          u.completed_learners,
          u.components,
        ]),
        [false, false, true, true, true, true, true, true, true, true],
      )
    : 'no units (no structure stored for this course)';
  const videoTable = report.videos.length
    ? table(
        ['unit', 'video', 'duration', 'views', 'viewers', 'watch time', 'completed', 'coverage'],
        report.videos.map((v) => [
          v.label ?? '',
          v.name ?? '',
          v.duration === null ? '-' : duration(v.duration),
          v.views,
          v.viewers,
          duration(v.watch_s),
          v.completed_viewers,
          v.mean_coverage === null ? '-' : `${Math.round(v.mean_coverage * 100)} %`,
        ]),
        [false, false, true, true, true, true, true, true],
      )
    : 'no videos';
  return [
    `${courseId}, ${from} to ${to}`,
    '',
    counters,
    '',
    'Units',
    unitTable,
    '',
    'Videos',
    videoTable,
  ].join('\n');
}

/** Seconds as `h:mm:ss` (or `m:ss` under an hour), rounded to the second. */
export function duration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Aligned columns separated by two spaces; `right` marks the columns aligned to the right. */
function table(header: string[], rows: unknown[][], right: boolean[]): string {
  const cells = [...(header.length ? [header] : []), ...rows.map((row) => row.map(String))];
  const widths = (cells[0] ?? []).map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
