import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** A pool or a transaction: what a query function needs to run its statement. */
export type Queryable = Sql | TransactionSql;

/** A postgres.js pool with the options every part of the project uses. */
export function connect(url: string, options: postgres.Options<Record<string, never>> = {}): Sql {
  return postgres(url, {
    onnotice: () => {},
    connect_timeout: 10,
    ...options,
  });
}
