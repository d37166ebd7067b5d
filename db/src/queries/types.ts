// The shapes the read models answer with: exactly the JSON of the API (docs/ and
// interfaces.md §2), so the API and `report` can send them as they are and the frontend can
// import them as types. Numbers are JSON numbers, dates `YYYY-MM-DD`, timestamps ISO 8601 strings
// (`2024-11-05T10:00:00.000Z`, as Date.toISOString writes them).

/** A course and an inclusive range of local days (`YYYY-MM-DD`). */
export interface CourseRange {
  /** Canonical course id (`course-v1:...`). */
  courseId: string;
  from: string;
  to: string;
}

/** Component types that never count for completion (the STATS_COMPLETION_EXCLUDED_TYPES setting). */
export interface CompletionSettings {
  completionExcludedTypes: readonly string[];
}

export interface OverviewDay {
  date: string;
  active_learners: number;
  time_s: number;
  visits: number;
  video_watch_s: number;
}

export interface Overview {
  active_learners: number;
  enrolled_learners: number;
  time_s: number;
  visits: number;
  sessions: number;
  video_views: number;
  video_watch_s: number;
  /** One entry per day of the range, in date order, zeros included. */
  series: OverviewDay[];
}

/** The level the units list is answered at. */
export type UnitGroup = 'unit' | 'sequential' | 'chapter';

/** The numbers of a unit, or of a sequential or chapter summed over its active units. */
export interface UnitNumbers {
  time_s: number;
  visits: number;
  /** Distinct learners with at least one visit in the range. */
  visitors: number;
  /** Learners whose time in the range (summed over the range, and over the units of a group) is above 0. */
  learners_with_time: number;
  /** Mean and population SD of those learners' times; null when there are none. */
  mean_time_s: number | null;
  sd_time_s: number | null;
  /** Learners who completed it by `to` (a group: every one of its units that has countable components). */
  completed_learners: number;
  /** Active leaf components (every type, discussion included); of a group: the total of its units. */
  components: number;
}

export interface UnitRow extends UnitNumbers {
  id: string;
  label: string | null;
  name: string | null;
  chapter_id: string | null;
  sequential_id: string | null;
}

/**
 * A sequential (`chapter_id` present) or a chapter (no `chapter_id` key) in the units list with
 * `group=sequential|chapter`: the same numbers one level up, over its active units.
 */
export interface UnitGroupRow extends UnitNumbers {
  id: string;
  label: string | null;
  name: string | null;
  chapter_id?: string | null;
}

/** Seconds outside units, per page kind, and credit with no place. */
export interface Pages {
  home: number;
  progress: number;
  discussion: number;
  other: number;
  unplaced: number;
}

export interface VisitsDailyRow {
  date: string;
  id: string;
  visits: number;
}

export interface VideoRow {
  id: string;
  /** The label of the video's unit. */
  label: string | null;
  name: string | null;
  /** Effective duration (structure, else events' duration, else largest position); null when unknown. */
  duration: number | null;
  views: number;
  viewers: number;
  watch_s: number;
  completed_viewers: number;
  mean_coverage: number | null;
}

export interface TimelineSecond {
  s: number;
  viewers: number;
  views: number;
  repeats: number;
}

export interface VideoTimeline {
  duration: number | null;
  /** s = 0 … ceil(duration) − 1; empty when the duration is unknown. */
  seconds: TimelineSecond[];
}

export interface LearnerRow {
  /** Null for a learner known by username only (negative learner key). */
  user_id: number | null;
  username: string | null;
  time_s: number;
  sessions: number;
  visits: number;
  units_visited: number;
  units_completed: number;
  videos_completed: number;
  /** First and last activity up to `to` (whole history), ISO 8601; null when none. */
  first_active: string | null;
  last_active: string | null;
  active_days: number;
  at_risk: boolean;
}

/** The columns the learners list can be sorted by. */
export const LEARNER_SORT_COLUMNS = [
  'user_id',
  'username',
  'time_s',
  'sessions',
  'visits',
  'units_visited',
  'units_completed',
  'videos_completed',
  'first_active',
  'last_active',
  'active_days',
  'at_risk',
] as const satisfies readonly (keyof LearnerRow)[];
export type LearnerSort = (typeof LEARNER_SORT_COLUMNS)[number];
export type SortOrder = 'asc' | 'desc';

export interface LearnersPage {
  /** Learners matching `q`, over all pages. */
  total: number;
  rows: LearnerRow[];
}

export interface LearnerUnit {
  id: string;
  time_s: number;
  visits: number;
  /** The unit's countable components (for this learner) completed by `to`. */
  completed_components: number;
}

export interface LearnerVideo {
  id: string;
  watch_s: number;
  /** Coverage at `to` (0 when never watched); null when the video's duration is unknown. */
  coverage: number | null;
}

export interface LearnerDetail extends LearnerRow {
  units: LearnerUnit[];
  videos: LearnerVideo[];
}

export type MatrixMetric = 'time' | 'visits' | 'completion';
export type MatrixGroup = 'unit' | 'sequential' | 'chapter';

export interface MatrixRow {
  username: string | null;
  /** One number per column, in the order of `columns`. */
  values: number[];
}

export interface Matrix {
  /** Ids of the active units (or sequentials, chapters) in course order. */
  columns: string[];
  total: number;
  rows: MatrixRow[];
}

export interface StructureComponent {
  id: string;
  type: string;
  name: string | null;
  /** Videos only: the effective duration (null when unknown). */
  duration?: number | null;
}

export interface StructureUnit {
  id: string;
  label: string | null;
  name: string | null;
  components: StructureComponent[];
}

export interface StructureSequential {
  id: string;
  label: string | null;
  name: string | null;
  units: StructureUnit[];
}

export interface StructureChapter {
  id: string;
  label: string | null;
  name: string | null;
  sequentials: StructureSequential[];
}

export interface CourseStructure {
  course_id: string;
  name: string | null;
  chapters: StructureChapter[];
}

export interface CourseSummary {
  course_id: string;
  /** The stored structure's course name; null without a structure. */
  name: string | null;
  /** Distinct non-excluded learners with activity. */
  learners: number;
  first_event: string | null;
  last_event: string | null;
  /** The local days (STATS_TIME_ZONE) of the first and last activity: the whole run's range. */
  first_day: string | null;
  last_day: string | null;
  last_processed: string | null;
  /** Grows with every processing run that changed the course; 0 when never processed. */
  data_version: number;
}

/**
 * A row of `GET /api/v1/courses`: a course the caller may see, its summary with the name, dates
 * and image course-discovery or the LMS give (else the stored structure's name).
 */
export interface CourseListItem extends Omit<CourseSummary, 'data_version'> {
  start: string | null;
  end: string | null;
  image: string | null;
}
