export { connect, type Sql, type TransactionSql, type Queryable } from './connect.ts';
export { migrate, readMigrations, migrationsFolder, MigrationError } from './migrate.ts';
export type { Migration, MigrateResult } from './migrate.ts';
export { courseList, type CourseListRow } from './queries/course-list.ts';
