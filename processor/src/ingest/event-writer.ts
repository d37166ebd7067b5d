import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from '@course-stats/db';
import { EVENT_COLUMNS } from './copy-format.ts';

export interface RejectedLine {
  lineNo: number;
  reason: string;
  lineBytes: number;
  excerpt: Buffer;
}

interface Batch {
  rows: string[];
  rejected: RejectedLine[];
}

const COLUMNS = EVENT_COLUMNS.join(', ');
const ROWS_PER_BATCH = 20_000;
const ROWS_PER_CHUNK = 500;

/**
 * Writes one file's events inside its transaction: rows are COPYed into a temporary staging table
 * and moved into `events` with ON CONFLICT DO NOTHING, so a line already stored (from this file or
 * another) is counted as a duplicate instead of failing the load. One batch is written while the
 * next one fills, so parsing and the database work at the same time.
 */
export class EventWriter {
  private batch: Batch = { rows: [], rejected: [] };
  private inflight: Promise<void> = Promise.resolve();
  stored = 0;
  staged = 0;
  readonly storedByCourse = new Map<string, number>();

  private constructor(
    private readonly tx: TransactionSql,
    private readonly fileId: number,
  ) {}

  static async open(tx: TransactionSql, fileId: number): Promise<EventWriter> {
    await tx`CREATE TEMPORARY TABLE events_staging (LIKE events) ON COMMIT DROP`;
    return new EventWriter(tx, fileId);
  }

  addEvent(row: string): void {
    this.batch.rows.push(row);
  }

  addRejected(line: RejectedLine): void {
    this.batch.rejected.push(line);
  }

  get batchIsFull(): boolean {
    return this.batch.rows.length >= ROWS_PER_BATCH || this.batch.rejected.length >= ROWS_PER_BATCH;
  }

  /** Starts writing the current batch; resolves once the batch before it is written. */
  async flush(): Promise<void> {
    const previous = this.inflight;
    const batch = this.batch;
    this.batch = { rows: [], rejected: [] };
    this.inflight = previous.then(() => this.write(batch));
    this.inflight.catch(() => {}); // awaited by the next flush or by finish()
    await previous;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inflight;
  }

  private async write(batch: Batch): Promise<void> {
    if (batch.rows.length > 0) await this.writeEvents(batch.rows);
    if (batch.rejected.length > 0) await this.writeRejected(batch.rejected);
  }

  private async writeEvents(rows: string[]): Promise<void> {
    const copy = await this.tx.unsafe(`COPY events_staging (${COLUMNS}) FROM STDIN`).writable();
    await pipeline(Readable.from(chunks(rows)), copy);
    const inserted = await this.tx.unsafe<{ course_id: string; n: number }[]>(`
      WITH inserted AS (
        INSERT INTO events (${COLUMNS})
        SELECT ${COLUMNS} FROM events_staging
        ON CONFLICT DO NOTHING
        RETURNING course_id
      )
      SELECT course_id, count(*)::int AS n FROM inserted GROUP BY course_id`);
    await this.tx`TRUNCATE events_staging`;
    this.staged += rows.length;
    for (const { course_id, n } of inserted) {
      this.stored += n;
      this.storedByCourse.set(course_id, (this.storedByCourse.get(course_id) ?? 0) + n);
    }
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

function* chunks(rows: string[]): Generator<string> {
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
    yield rows.slice(i, i + ROWS_PER_CHUNK).join('');
  }
}
