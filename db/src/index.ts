export { connect, type Sql, type TransactionSql, type Queryable } from './connect.ts';
export { migrate, readMigrations, migrationsFolder, MigrationError } from './migrate.ts';
export type { Migration, MigrateResult } from './migrate.ts';
export { courseList, type CourseListRow } from './queries/course-list.ts';
export { overview } from './queries/overview.ts';
export { units, type UnitsParams } from './queries/units.ts';
export { pages } from './queries/pages.ts';
export { visitsDaily, type VisitsDailyParams } from './queries/visits-daily.ts';
export { videos, videoTimeline, type VideoTimelineParams } from './queries/videos.ts';
export {
  learners,
  learnerDetail,
  matrix,
  type LearnersParams,
  type LearnerDetailParams,
  type MatrixParams,
} from './queries/learners.ts';
export { courseStructure } from './queries/course-structure.ts';
export { courseSummaries } from './queries/course-summaries.ts';
export { courseDataVersion } from './queries/data-version.ts';
export { LEARNER_SORT_COLUMNS } from './queries/types.ts';
export type * from './queries/types.ts';
