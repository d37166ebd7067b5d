import { createHash, hash } from 'node:crypto';
import type { Queryable, Sql, TransactionSql } from '@course-stats/db';
import { eventRow } from './copy-format.ts';
import { decompressed } from './decompress.ts';
import { CopyRefused, EventWriter, type EventRow } from './event-writer.ts';
import { EXCERPT_BYTES, LineSplitter, MAX_LINE_BYTES } from './line-splitter.ts';
import type { LogFile } from './log-files.ts';
import type { SkipReason } from './normalize.ts';
import { parseLine, type LineResult } from './parse-line.ts';

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
  /** Called as stored (compressed) bytes are read. */
  onProgress?: (bytesRead: number, linesRead: number) => void;
}

// Files load one at a time across processes, so that file ids grow in load order and two loaders
// never race on the same content.
const LOAD_LOCK = 7_245_100_002;

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
    const { sha256, outcome } = await sql
      .begin((tx) => loadInTransaction(tx, file, courseFilter, options, 'direct'))
      .catch((error: unknown) => {
        if (!(error instanceof CopyRefused)) throw error;
        return sql.begin((tx) => loadInTransaction(tx, file, courseFilter, options, 'staging'));
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

async function loadInTransaction(
  tx: TransactionSql,
  file: LogFile,
  courseFilter: string[] | null,
  options: LoadFileOptions,
  mode: 'direct' | 'staging',
): Promise<{ sha256: Buffer; outcome: FileOutcome }> {
  await tx`SELECT pg_advisory_xact_lock(${LOAD_LOCK})`;
  // Losing the last commits in a server crash is safe here: the files are then loaded again.
  await tx`SET LOCAL synchronous_commit = off`;
  const [next] = await tx<{ id: string }[]>`
    SELECT nextval(pg_get_serial_sequence('log_files', 'id')) AS id`;
  const fileId = Number(next!.id);
  const writer = new EventWriter(tx, fileId, mode);
  const outcome = emptyOutcome(file, 'loaded');
  const account = lineAccountant(outcome, writer, fileId);

  const content = createHash('sha256');
  const splitter = new LineSplitter((line, lineNo, lineBytes) => {
    outcome.lines.read++;
    account(
      line,
      lineNo,
      lineBytes,
      lineBytes > MAX_LINE_BYTES ? tooLong(lineBytes) : parseLine(line, options.courses),
    );
  });
  let bytesRead = 0;
  let bytes = 0;
  const { gzip, chunks } = await decompressed(await file.open(), (n) => {
    bytesRead += n;
  });
  try {
    for await (const chunk of chunks) {
      content.update(chunk);
      bytes += chunk.length;
      splitter.push(chunk);
      options.onProgress?.(bytesRead, outcome.lines.read);
      if (writer.batchIsFull) await writer.flush();
    }
    splitter.end();
    await writer.finish(); // before any other statement: a COPY may still be running
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

/** What becomes of each parsed line: a row to write, a skip counted, or a rejected line kept. */
function lineAccountant(outcome: FileOutcome, writer: EventWriter, fileId: number) {
  return (line: Buffer, lineNo: number, lineBytes: number, parsed: LineResult) => {
    const event = parsed.outcome === 'event' ? eventToWrite(parsed, fileId, lineNo) : parsed;
    if ('row' in event) {
      writer.addEvent(event);
    } else if (event.outcome === 'skipped') {
      countSkipped(outcome, event.reason);
    } else {
      outcome.lines.rejected++;
      const reason = event.reason.replaceAll('\0', '\uFFFD').slice(0, 300);
      writer.addRejected({ lineNo, reason, lineBytes, excerpt: line.subarray(0, EXCERPT_BYTES) });
    }
  };
}

/** The COPY row of an event, or a rejection when its payload is too deep to write out. */
function eventToWrite(
  parsed: LineResult & { outcome: 'event' },
  fileId: number,
  lineNo: number,
): EventRow | Extract<LineResult, { outcome: 'rejected' }> {
  const lineHash = hash('sha256', parsed.json!, 'buffer').subarray(0, 16);
  try {
    return {
      row: eventRow(parsed.event, fileId, lineNo, lineHash),
      courseId: parsed.event.courseId,
    };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { outcome: 'rejected', reason: 'payload nested too deeply to store' };
  }
}

function tooLong(lineBytes: number): LineResult {
  return { outcome: 'rejected', reason: `line longer than ${MAX_LINE_BYTES} bytes (${lineBytes})` };
}

function countSkipped(outcome: FileOutcome, reason: SkipReason, n = 1): void {
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
