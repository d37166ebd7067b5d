import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../db/src/index.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { BATCH_ROWS } from '../src/ingest/file-parser.ts';
import { loadSources } from '../src/ingest/load.ts';

// `load` reads and parses each file while the one before it writes its last batches and commits,
// and writes one file at a time. These cases check that exactly-once loading holds all the same:
// files of several batches each, copies and shared lines among neighbours, a failing file between
// them, and two loaders at once on the same folder.

const COURSE = 'course-v1:Org+Overlap+2024';

let db: TestDatabase;
let folder: string;

beforeEach(async () => {
  db = await createTestDatabase();
  folder = await mkdtemp(path.join(os.tmpdir(), 'stats-overlap-'));
});

afterEach(async () => {
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

/** Event lines numbered from..to-1, each distinct. */
function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => {
    const n = from + i;
    return JSON.stringify({
      username: `learner${n % 97}`,
      event_type: 'edx.ui.lms.sequence.next_selected',
      event_source: 'browser',
      time: new Date(Date.UTC(2024, 2, 1) + n * 1000).toISOString(),
      event: JSON.stringify({
        current_tab: n % 7,
        id: `block-v1:Org+Overlap+2024+type@x+block@${n}`,
      }),
      context: { course_id: COURSE, user_id: 1000 + (n % 97) },
    });
  });
}

/** Writes a rotated, gzipped log of one day (the day orders the files). */
async function writeDay(day: number, content: string[]): Promise<string> {
  const file = path.join(folder, `tracking.log-202403${String(day).padStart(2, '0')}-1.gz`);
  await writeFile(file, gzipSync(`${content.join('\n')}\n`));
  return file;
}

async function storedCount(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM events`;
  return row!.n;
}

describe('loading files one after the other, overlapped', () => {
  it('stores every line once and writes the files in order', async () => {
    const a = lines(0, 2 * BATCH_ROWS + 1000); // three batches
    await writeDay(1, a);
    await copyFile(await writeDay(2, a), path.join(folder, 'tracking.log-20240302-2.gz'));
    await writeDay(3, [...lines(1_000_000, 1_015_000), ...a.slice(0, 15_000)]);
    await writeFile(
      path.join(folder, 'tracking.log-20240304-1.gz'),
      gzipSync(lines(2_000_000, 2_010_000).join('\n')).subarray(0, 50_000), // truncated
    );
    await writeDay(5, lines(3_000_000, 3_020_000));

    const summary = await loadSources(db.sql, [folder]);

    expect(summary.outcomes.map((o) => [path.basename(o.location), o.status])).toEqual([
      ['tracking.log-20240301-1.gz', 'loaded'],
      ['tracking.log-20240302-1.gz', 'already_loaded'],
      ['tracking.log-20240302-2.gz', 'already_loaded'],
      ['tracking.log-20240303-1.gz', 'loaded'],
      ['tracking.log-20240304-1.gz', 'failed'],
      ['tracking.log-20240305-1.gz', 'loaded'],
    ]);
    expect(summary.outcomes[3]!.lines).toEqual({
      read: 30_000,
      stored: 15_000,
      skipped: 15_000,
      rejected: 0,
    });
    expect(summary.outcomes[3]!.skippedByReason).toEqual({ duplicate: 15_000 });
    expect(await storedCount()).toBe(a.length + 15_000 + 20_000);

    // File ids follow the order of the folder, and each line is stored from the first file.
    const files = await db.sql<{ source: string; lines_stored: number }[]>`
      SELECT source, lines_stored::int FROM log_files ORDER BY id`;
    expect(files.map((f) => [path.basename(f.source), f.lines_stored])).toEqual([
      ['tracking.log-20240301-1.gz', a.length],
      ['tracking.log-20240303-1.gz', 15_000],
      ['tracking.log-20240305-1.gz', 20_000],
    ]);
    const owners = await db.sql<{ file_id: number; n: number }[]>`
      SELECT file_id::int, count(*)::int AS n FROM events GROUP BY file_id ORDER BY file_id`;
    expect(owners.map((o) => o.n)).toEqual([a.length, 15_000, 20_000]);
  });

  it('two loaders at once on the same folder store every line once', async () => {
    for (let day = 1; day <= 4; day++) {
      await writeDay(day, lines(day * 1_000_000, day * 1_000_000 + 25_000));
    }
    const other = connect(db.url);
    try {
      const [first, second] = await Promise.all([
        loadSources(db.sql, [folder]),
        loadSources(other, [folder]),
      ]);
      for (let i = 0; i < 4; i++) {
        const statuses = [first.outcomes[i]!.status, second.outcomes[i]!.status].sort();
        expect(statuses).toEqual(['already_loaded', 'loaded']);
      }
    } finally {
      await other.end();
    }
    expect(await storedCount()).toBe(4 * 25_000);
    const [files] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM log_files`;
    expect(files!.n).toBe(4);
  });
});
