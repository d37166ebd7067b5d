import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { generateCourse } from '../src/generate/index.ts';
import { loadSources } from '../src/ingest/load.ts';

// kpis.md §1: a load that dies half-way because the database went away leaves none of that
// file's events, and the next run loads it whole.

describe('the database going away mid-file', () => {
  let db: TestDatabase;
  let folder: string;
  let file: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    folder = await mkdtemp(path.join(os.tmpdir(), 'database-gone-'));
    await generateCourse(folder, { learners: 1500, days: 1, seed: 3 });
    const [name] = (await readdir(folder)).filter((n) => n.startsWith('tracking.log'));
    file = path.join(folder, name!);
  });
  afterAll(async () => {
    await db.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('fails the file, keeps nothing of it, and loads it whole on the next run', async () => {
    const loading = loadSources(db.sql, [file]);
    const killed = await terminateTheLoaderDuringCopy(db);
    const failed = await loading;
    expect(killed).toBe(true);
    expect(failed.files).toEqual({ loaded: 0, already_loaded: 0, failed: 1 });
    expect(failed.outcomes[0]!.error).toMatch(/terminat|CONNECTION|ECONNRESET|closed/i);
    expect(await tableCounts(db)).toEqual({ events: 0, log_files: 0, rejected: 0, locations: 0 });

    const again = await loadSources(db.sql, [file]);
    expect(again.files).toEqual({ loaded: 1, already_loaded: 0, failed: 0 });
    const { stored, skipped, rejected } = again.lines;
    expect(stored).toBeGreaterThan(20_000);
    const counts = await tableCounts(db);
    expect(counts).toEqual({ events: stored, log_files: 1, rejected, locations: 1 });
    const [row] = await db.sql`SELECT lines_read::int AS read FROM log_files`;
    expect(row!.read).toBe(stored + skipped + rejected);
  });
});

/** Ends the loader's server process while its COPY runs, as a database restart would. */
async function terminateTheLoaderDuringCopy(db: TestDatabase): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ended = await db.sql`
      SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'COPY events%'`;
    if (ended.some((r) => r.ended)) return true;
    await sleep(5);
  }
  return false;
}

async function tableCounts(db: TestDatabase) {
  const [counts] = await db.sql`
    SELECT (SELECT count(*)::int FROM events) AS events,
           (SELECT count(*)::int FROM log_files) AS log_files,
           (SELECT count(*)::int FROM rejected_lines) AS rejected,
           (SELECT count(*)::int FROM log_file_locations) AS locations`;
  return counts;
}
