import type { TransactionSql } from '@course-stats/db';
import { EVENT_COLUMNS } from './copy-format.ts';

export interface RejectedLine {
  lineNo: number;
  reason: string;
  lineBytes: number;
  excerpt: Buffer;
}

/** A stored event as the writer receives it: its COPY row and its course. */
export interface EventRow {
  row: string;
  courseId: string;
}

/**
 * A batch holds its rows already encoded in one buffer, outside the JavaScript heap: thousands of
 * long strings kept alive until written would cost the garbage collector more than the parsing.
 */
class Batch {
  private buffer = Buffer.alloc(0);
  bytes = 0;
  rows = 0;
  readonly rowsByCourse = new Map<string, number>();
  readonly rejected: RejectedLine[] = [];
  rejectedBytes = 0;

  addRow({ row, courseId }: EventRow): void {
    const needed = this.bytes + row.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (needed > this.buffer.length) {
      const size = Math.max(needed, this.buffer.length * 2, 65_536);
      this.buffer = Buffer.concat([this.buffer.subarray(0, this.bytes)], size);
    }
    this.bytes += this.buffer.write(row, this.bytes);
    this.rows++;
    this.rowsByCourse.set(courseId, (this.rowsByCourse.get(courseId) ?? 0) + 1);
  }

  addRejected(line: RejectedLine): void {
    this.rejected.push(line);
    this.rejectedBytes += line.excerpt.length;
  }

  get isFull(): boolean {
    return (
      this.rows + this.rejected.length >= BATCH_ROWS ||
      this.bytes + this.rejectedBytes >= BATCH_BYTES
    );
  }

  get content(): Buffer {
    return this.buffer.subarray(0, this.bytes);
  }
}

const COLUMNS = EVENT_COLUMNS.join(', ');
// Batches are bounded in bytes as well as rows, so memory stays flat whatever the lines' length.
const BATCH_ROWS = 10_000;
const BATCH_BYTES = 2 * 1024 * 1024;
const COPY_CHUNK_BYTES = 256 * 1024;
const WRITE_QUEUE = 3;
const UNIQUE_VIOLATION = '23505';

/** PostgreSQL refused the COPY of a batch: in `direct` mode, a line of it is already stored. */
export class CopyRefused extends Error {}

/**
 * Writes one file's events inside its transaction. In `direct` mode batches are COPYed straight
 * into `events`, the fast path for the usual file whose lines are all new; a line already stored
 * makes the unique index refuse the COPY, and the caller then loads the file again in `staging`
 * mode, where batches go through a temporary table into `events` with ON CONFLICT DO NOTHING,
 * which counts those lines as duplicates. Batches are written one after the other while the
 * next ones fill, so parsing and the database work at the same time.
 */
export class EventWriter {
  private batch = new Batch();
  private inflight: Promise<void> = Promise.resolve();
  private readonly queued: Promise<void>[] = [];
  private aborted = false;
  private hasStaging = false;
  stored = 0;
  staged = 0;
  readonly storedByCourse = new Map<string, number>();

  constructor(
    private readonly tx: TransactionSql,
    private readonly fileId: number,
    private readonly mode: 'direct' | 'staging',
  ) {}

  addEvent(event: EventRow): void {
    this.batch.addRow(event);
  }

  addRejected(line: RejectedLine): void {
    this.batch.addRejected(line);
  }

  get batchIsFull(): boolean {
    return this.batch.isFull;
  }

  /**
   * Queues the current batch for writing; resolves once at most WRITE_QUEUE batches are waiting,
   * so parsing runs ahead of the database by a bounded amount.
   */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = new Batch();
    this.inflight = this.inflight.then(() => this.write(batch));
    this.inflight.catch(() => {}); // awaited below, by a later flush or by finish()
    this.queued.push(this.inflight);
    if (this.queued.length > WRITE_QUEUE) await this.queued.shift();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inflight;
  }

  /**
   * After a failure: drops the batches not yet written and waits for the one being written, so
   * that nothing reaches the connection after the transaction is rolled back.
   */
  async abort(): Promise<void> {
    this.aborted = true;
    await this.inflight.catch(() => {});
  }

  private async write(batch: Batch): Promise<void> {
    if (this.aborted) return;
    if (batch.rows > 0) {
      this.staged += batch.rows;
      if (this.mode === 'direct') await this.copyIntoEvents(batch);
      else await this.insertThroughStaging(batch);
    }
    if (batch.rejected.length > 0) await this.writeRejected(batch.rejected);
  }

  private async copyIntoEvents(batch: Batch): Promise<void> {
    await copyRows(this.tx, 'events', batch.content);
    for (const [course, n] of batch.rowsByCourse) this.countStored(course, n);
  }

  private async insertThroughStaging(batch: Batch): Promise<void> {
    if (!this.hasStaging) {
      await this.tx`CREATE TEMPORARY TABLE events_staging (LIKE events) ON COMMIT DROP`;
      this.hasStaging = true;
    }
    await copyRows(this.tx, 'events_staging', batch.content);
    const inserted = await this.tx.unsafe<{ course_id: string; n: number }[]>(`
      WITH inserted AS (
        INSERT INTO events (${COLUMNS})
        SELECT ${COLUMNS} FROM events_staging
        ON CONFLICT DO NOTHING
        RETURNING course_id
      )
      SELECT course_id, count(*)::int AS n FROM inserted GROUP BY course_id`);
    await this.tx`TRUNCATE events_staging`;
    for (const { course_id, n } of inserted) this.countStored(course_id, n);
  }

  private countStored(course: string, n: number): void {
    this.stored += n;
    this.storedByCourse.set(course, (this.storedByCourse.get(course) ?? 0) + n);
  }

  private async writeRejected(lines: RejectedLine[]): Promise<void> {
    await this.tx`
      INSERT INTO rejected_lines (file_id, line_no, reason, line_bytes, excerpt)
      SELECT ${this.fileId}, line_no, reason, line_bytes, decode(excerpt, 'hex')
      FROM unnest(
        ${lines.map((l) => l.lineNo)}::int[],
        ${lines.map((l) => l.reason)}::text[],
        ${lines.map((l) => l.lineBytes)}::int[],
        ${lines.map((l) => l.excerpt.toString('hex'))}::text[]
      ) AS r(line_no, reason, line_bytes, excerpt)`;
  }
}

/**
 * COPYs rows into a table; a line already stored becomes CopyRefused. postgres.js 3.4.9 alone
 * never settles a COPY stream that the server refuses (porsager/postgres#1173; the install patches
 * it, scripts/patch-postgres.js). So that a refusal can never hang the load where the patch is
 * missing, the next statement on the same connection, which does settle (it fails in the aborted
 * transaction), is sent as soon as the COPY ends and raced against the stream.
 */
async function copyRows(tx: TransactionSql, table: string, rows: Buffer): Promise<void> {
  const copy = await tx.unsafe(`COPY ${table} (${COLUMNS}) FROM STDIN`).writable();
  const failed = new Promise<never>((_, reject) => copy.once('error', reject));
  failed.catch(() => {}); // raced below; a write that fails also rejects on its own
  for (let start = 0; start < rows.length; start += COPY_CHUNK_BYTES) {
    const chunk = rows.subarray(start, start + COPY_CHUNK_BYTES);
    // Waiting for each write lets the COPY end at once: postgres.js rejects a query sent before.
    await new Promise<void>((resolve, reject) =>
      copy.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
  }
  const ended = new Promise<void>((resolve, reject) =>
    copy.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const copied = Promise.race([ended, failed]);
  await new Promise(setImmediate); // the stream's end runs on the next tick and sends CopyDone
  const refused = tx`SELECT 1`.then(
    () => copied,
    () => {
      throw new CopyRefused(`PostgreSQL refused the COPY into ${table}; the server's log says why`);
    },
  );
  await Promise.race([copied, refused]).catch((error: { code?: string; message: string }) => {
    if (error.code !== UNIQUE_VIOLATION) throw error;
    throw new CopyRefused(`a line of the COPY into ${table} is already stored: ${error.message}`);
  });
}
