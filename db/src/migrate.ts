import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './connect.ts';

export const migrationsFolder = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  sha256: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
const MIGRATE_LOCK = 7_245_100_001;

export async function readMigrations(folder = migrationsFolder): Promise<Migration[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = MIGRATION_FILE.exec(name);
    if (!match) throw new MigrationError(`migration file name ${name} is not NNNN_name.sql`);
    const sql = await readFile(`${folder}/${name}`, 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`two migration files have the number ${match[1]}`);
    }
    migrations.push({ version, name, sql, sha256: sha256Hex(sql) });
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in schema_migrations, each in its own transaction
 * under an advisory lock, so two processes never apply one twice. An applied file whose content
 * changed, or a recorded migration this code does not have, is an error: the schema would no
 * longer be what the files say.
 */
export async function migrate(sql: Sql, folder = migrationsFolder): Promise<MigrateResult> {
  const migrations = await readMigrations(folder);
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`;
    await tx`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        sha256 text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
  });
  const before = await recordedMigrations(sql);
  checkRecorded(before, migrations);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`;
      const [done] = await tx`SELECT 1 FROM schema_migrations WHERE version = ${migration.version}`;
      if (done) return false;
      await tx.unsafe(migration.sql);
      await tx`
        INSERT INTO schema_migrations (version, name, sha256)
        VALUES (${migration.version}, ${migration.name}, ${migration.sha256})`;
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}

type RecordedMigration = { version: number; name: string; sha256: string };

function recordedMigrations(sql: Sql): Promise<RecordedMigration[]> {
  return sql<
    RecordedMigration[]
  >`SELECT version, name, sha256 FROM schema_migrations ORDER BY version`;
}

function checkRecorded(recorded: RecordedMigration[], migrations: Migration[]): void {
  for (const row of recorded) {
    const file = migrations.find((m) => m.version === row.version);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.name}, which this version does not know: upgrade the code`,
      );
    }
    if (file.sha256 !== row.sha256) {
      throw new MigrationError(
        `migration ${file.name} was edited after it was applied; restore it and add a new migration instead`,
      );
    }
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
