import { connect, type Sql } from '@course-stats/db';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

export interface Database {
  sql: Sql;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or to the embedded PostgreSQL when it is unset. */
export async function openDatabase(databaseUrl: string | undefined): Promise<Database> {
  const embedded = databaseUrl ? undefined : await startEmbeddedPostgres();
  const sql = connect(databaseUrl ?? embedded!.url);
  return {
    sql,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
