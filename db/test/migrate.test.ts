import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { migrate, MigrationError, migrationsFolder, readMigrations } from '../src/index.ts';

describe('migrate', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterEach(() => db.drop());

  it('applies every migration once and records it', async () => {
    const files = await readMigrations();
    const first = await migrate(db.sql);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await migrate(db.sql);
    expect(second).toEqual({ applied: [], alreadyApplied: files.length });
    const rows = await db.sql`SELECT name FROM schema_migrations ORDER BY version`;
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
  });

  it('runs concurrent migrations without applying one twice', async () => {
    const results = await Promise.all([migrate(db.sql), migrate(db.sql), migrate(db.sql)]);
    expect(results.flatMap((r) => r.applied)).toHaveLength((await readMigrations()).length);
  });

  it('reports an applied file that was edited', async () => {
    const folder = await copyOfMigrations();
    await migrate(db.sql, folder);
    await writeFile(path.join(folder, '0001_log_files_and_events.sql'), '-- edited\nSELECT 1;\n');
    await expect(migrate(db.sql, folder)).rejects.toThrow(
      new MigrationError(
        'migration 0001_log_files_and_events.sql was edited after it was applied; restore it and add a new migration instead',
      ),
    );
  });

  it('applies a new file in its own transaction and leaves nothing of a failing one', async () => {
    const folder = await copyOfMigrations();
    await migrate(db.sql, folder);
    await writeFile(path.join(folder, '9001_good.sql'), 'CREATE TABLE good_one (x int);');
    await writeFile(
      path.join(folder, '9002_bad.sql'),
      'CREATE TABLE bad_one (x int); SELECT no_such_function();',
    );
    await expect(migrate(db.sql, folder)).rejects.toThrow(/no_such_function/);
    const tables =
      await db.sql`SELECT relname FROM pg_class WHERE relname IN ('good_one', 'bad_one')`;
    expect(tables.map((t) => t.relname)).toEqual(['good_one']);
    const versions = await db.sql`SELECT version FROM schema_migrations WHERE version > 9000`;
    expect(versions.map((v) => v.version)).toEqual([9001]);
  });

  it('refuses a database with a migration this code does not know', async () => {
    await migrate(db.sql);
    await db.sql`INSERT INTO schema_migrations (version, name, sha256) VALUES (9999, '9999_future.sql', 'x')`;
    await expect(migrate(db.sql)).rejects.toThrow(
      /9999_future.sql, which this version does not know/,
    );
  });

  it('refuses badly named files', async () => {
    const folder = await copyOfMigrations();
    await writeFile(path.join(folder, 'add-things.sql'), 'SELECT 1;');
    await expect(migrate(db.sql, folder)).rejects.toThrow(/add-things.sql is not NNNN_name.sql/);
  });
});

async function copyOfMigrations(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
  await cp(migrationsFolder, folder, { recursive: true });
  return folder;
}
