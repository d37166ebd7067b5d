import { createHash } from 'node:crypto';
import type { Queryable, Sql, TransactionSql } from '@course-stats/db';
import { SegmentPool } from './copy-format.ts';
import { decompressed } from './decompress.ts';
import { CopyRefused, EventWriter } from './event-writer.ts';
import { FileParser, type ParsedBatch } from './file-parser.ts';
import type { LogFile } from './log-files.ts';
import type { SkipReason } from './normalize.ts';

export interface LineCounts {
  read: number;
  stored: number;
  skipped: number;
  rejected: number;
}

export interface FileOutcome {
  location: string;
  status: 'loaded' | 'already_loaded' | 'failed';
  lines: LineCounts;
  skippedByReason: Partial<Record<SkipReason, number>>;
  storedByCourse: Map<string, number>;
  error?: string;
}

export interface LoadFileOptions {
  /** `load --course`: keep only these courses; undefined keeps every course. */
  courses?: ReadonlySet<string>;
  /**
   * The load of the file before this one: this file is read and parsed meanwhile, and written
   * once that load is over (load.ts overlaps files so).
   */
  after?: Promise<unknown>;
  /** Called once the file's content is read and parsed, while the last batches are written. */
  onParsed?: () => void;
  /** Called as stored (compressed) bytes are read. */
  onProgress?: (bytesRead: number, linesRead: number) => void;
}

// Files are written one at a time across processes, so that two loaders never race on the same
// content. The lock is taken before a file's first write, not before it is parsed.
const LOAD_LOCK = 7_245_100_002;

// Row buffers go back here once written, for the next batches of every file.
const segments = new SegmentPool();

class AlreadyLoaded extends Error {
  constructor(readonly sha256: Buffer) {
    super('already loaded');
  }
}

/**
 * Loads one file in one transaction: every line is accounted for, or, when anything fails (a
 * truncated gzip, the database going away, the process being killed), none of its events stay.
 */
export async function loadFile(
  sql: Sql,
  file: LogFile,
  options: LoadFileOptions = {},
): Promise<FileOutcome> {
  const courseFilter = options.courses ? [...options.courses].sort() : null;
  try {
    const known = await knownContent(sql, file);
    if (known && (await isLoaded(sql, known, courseFilter)))
      return emptyOutcome(file, 'already_loaded');
    // Taken before any transaction, so that file ids follow the order in which files start, and
    // the staging attempt keeps the id of the direct one.
    const [next] = await sql<{ id: string }[]>`
      SELECT nextval(pg_get_serial_sequence('log_files', 'id')) AS id`;
    const load = { file, fileId: Number(next!.id), courseFilter, options };
    const { sha256, outcome } = await sql
      .begin((tx) => loadInTransaction(tx, load, 'direct'))
      .catch((error: unknown) => {
        if (!(error instanceof CopyRefused)) throw error;
        return sql.begin((tx) => loadInTransaction(tx, load, 'staging'));
      });
    await rememberLocation(sql, file, sha256);
    return outcome;
  } catch (error) {
    if (!(error instanceof AlreadyLoaded)) {
      return { ...emptyOutcome(file, 'failed'), error: (error as Error).message };
    }
    await rememberLocation(sql, file, error.sha256);
    return emptyOutcome(file, 'already_loaded');
  }
}

/** One file's load: the same in both attempts, direct and staging. */
interface FileLoad {
  file: LogFile;
  fileId: number;
  courseFilter: string[] | null;
  options: LoadFileOptions;
}

async function loadInTransaction(
  tx: TransactionSql,
  { file, fileId, courseFilter, options }: FileLoad,
  mode: 'direct' | 'staging',
): Promise<{ sha256: Buffer; outcome: FileOutcome }> {
  // Losing the last commits in a server crash is safe here: the files are then loaded again.
  await tx`SET LOCAL synchronous_commit = off`;
  let turn: Promise<unknown> | undefined;
  const ourTurn = () =>
    (turn ??= Promise.resolve(options.after).then(
      () => tx`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`,
    ));
  const writer = new EventWriter(tx, fileId, mode, {
    before: ourTurn,
    written: (batch) => segments.give(batch.copy),
  });
  const outcome = emptyOutcome(file, 'loaded');

  const content = createHash('sha256');
  let bytesRead = 0;
  let bytes = 0;
  const { gzip, chunks } = await decompressed(await file.open(), (n) => {
    bytesRead += n;
  });
  const batches: ParsedBatch[] = [];
  const parser = new FileParser(fileId, options.courses, (b) => batches.push(b), segments);
  try {
    for await (const chunk of chunks) {
      content.update(chunk);
      bytes += chunk.length;
      parser.push(chunk);
      for (const batch of batches.splice(0)) await writer.write(batch);
      options.onProgress?.(bytesRead, parser.linesRead);
    }
    const summary = parser.end();
    options.onParsed?.();
    for (const batch of batches.splice(0)) await writer.write(batch);
    await writer.finish(); // before any other statement: a COPY may still be running
    await ourTurn();
    outcome.lines.read = summary.read;
    outcome.lines.rejected = summary.rejected;
    for (const [reason, n] of Object.entries(summary.skippedByReason)) {
      countSkipped(outcome, reason as SkipReason, n);
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const sha256 = content.digest();
  if (await isLoaded(tx, sha256, courseFilter)) throw new AlreadyLoaded(sha256);
  outcome.lines.stored = writer.stored;
  countSkipped(outcome, 'duplicate', writer.staged - writer.stored);
  outcome.storedByCourse = writer.storedByCourse;
  const [earlier] = await tx`SELECT 1 FROM log_files WHERE sha256 = ${sha256}`;
  // A content loaded before for other courses keeps the rejected lines of its first load.
  if (earlier) await tx`DELETE FROM rejected_lines WHERE file_id = ${fileId}`;
  const { lines } = outcome;
  await tx`
    INSERT INTO log_files (id, sha256, course_filter, source, compressed, bytes, lines_read,
                           lines_stored, lines_skipped, lines_rejected, skipped_by_reason)
    VALUES (${fileId}, ${sha256}, ${courseFilter}, ${file.location}, ${gzip}, ${bytes},
            ${lines.read}, ${lines.stored}, ${lines.skipped}, ${lines.rejected},
            ${tx.json(outcome.skippedByReason)})`;
  return { sha256, outcome };
}

function countSkipped(outcome: FileOutcome, reason: SkipReason, n: number): void {
  if (n === 0) return;
  outcome.lines.skipped += n;
  outcome.skippedByReason[reason] = (outcome.skippedByReason[reason] ?? 0) + n;
}

function emptyOutcome(file: LogFile, status: FileOutcome['status']): FileOutcome {
  return {
    location: file.location,
    status,
    lines: { read: 0, stored: 0, skipped: 0, rejected: 0 },
    skippedByReason: {},
    storedByCourse: new Map(),
  };
}

/** Whether this content was loaded for every course the filter asks for (null = all courses). */
async function isLoaded(
  sql: Queryable,
  sha256: Buffer,
  courseFilter: string[] | null,
): Promise<boolean> {
  const [row] = await sql`
    SELECT 1 FROM log_files
    WHERE sha256 = ${sha256}
      AND (course_filter IS NULL OR (${courseFilter}::text[] IS NOT NULL AND course_filter @> ${courseFilter}::text[]))
    LIMIT 1`;
  return row !== undefined;
}

/** The content hash of a file seen before at the same location, size and version. */
async function knownContent(sql: Sql, file: LogFile): Promise<Buffer | undefined> {
  const [row] = await sql<{ sha256: Buffer }[]>`
    SELECT sha256 FROM log_file_locations
    WHERE location = ${file.location} AND size = ${file.size} AND version = ${file.version}`;
  return row?.sha256;
}

async function rememberLocation(sql: Sql, file: LogFile, sha256: Buffer): Promise<void> {
  await sql`
    INSERT INTO log_file_locations (location, size, version, sha256)
    VALUES (${file.location}, ${file.size}, ${file.version}, ${sha256})
    ON CONFLICT (location) DO UPDATE
      SET size = excluded.size, version = excluded.version, sha256 = excluded.sha256, seen_at = now()`;
}
