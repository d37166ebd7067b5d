import type { TransactionSql } from '@course-stats/db';
import { EVENT_COLUMNS } from './copy-format.ts';

export interface RejectedLine {
  lineNo: number;
  reason: string;
  lineBytes: number;
  excerpt: Buffer;
}

/** A stored event as the writer receives it: its COPY row, course and line hash. */
export interface EventRow {
  row: string;
  courseId: string;
  lineHash: Buffer;
}

interface Batch {
  events: EventRow[];
  rejected: RejectedLine[];
  bytes: number;
}

const emptyBatch = (): Batch => ({ events: [], rejected: [], bytes: 0 });

const COLUMNS = EVENT_COLUMNS.join(', ');
// Batches are bounded in bytes as well as rows, so memory stays flat whatever the lines' length.
const BATCH_ROWS = 10_000;
const BATCH_BYTES = 4 * 1024 * 1024;
const ROWS_PER_CHUNK = 500;

/** The COPY of a batch failed: in `direct` mode, a line of it is already stored. */
export class CopyRefused extends Error {}

/**
 * Writes one file's events inside its transaction. In `direct` mode batches are COPYed straight
 * into `events`, the fast path for the usual file whose lines are all new; a line already stored
 * makes the unique index refuse the COPY, and the caller then loads the file again in `staging`
 * mode, where batches go through a temporary table into `events` with ON CONFLICT DO NOTHING,
 * which counts those lines as duplicates. One batch is written while the next one fills, so
 * parsing and the database work at the same time.
 */
export class EventWriter {
  private batch = emptyBatch();
  private inflight: Promise<void> = Promise.resolve();
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
    this.batch.events.push(event);
    this.batch.bytes += event.row.length;
  }

  addRejected(line: RejectedLine): void {
    this.batch.rejected.push(line);
    this.batch.bytes += line.excerpt.length;
  }

  get batchIsFull(): boolean {
    const { events, rejected, bytes } = this.batch;
    return events.length + rejected.length >= BATCH_ROWS || bytes >= BATCH_BYTES;
  }

  /** Starts writing the current batch; resolves once the batch before it is written. */
  async flush(): Promise<void> {
    const previous = this.inflight;
    const batch = this.batch;
    this.batch = emptyBatch();
    this.inflight = previous.then(() => this.write(batch));
    this.inflight.catch(() => {}); // awaited by the next flush or by finish()
    await previous;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.inflight;
  }

  private async write({ events, rejected }: Batch): Promise<void> {
    if (events.length > 0) {
      this.staged += events.length;
      if (this.mode === 'direct') await this.copyIntoEvents(events);
      else await this.insertThroughStaging(events);
    }
    if (rejected.length > 0) await this.writeRejected(rejected);
  }

  private async copyIntoEvents(events: EventRow[]): Promise<void> {
    await copyRows(this.tx, 'events', events);
    for (const { courseId } of events) this.countStored(courseId, 1);
  }

  private async insertThroughStaging(events: EventRow[]): Promise<void> {
    if (!this.hasStaging) {
      await this.tx`CREATE TEMPORARY TABLE events_staging (LIKE events) ON COMMIT DROP`;
      this.hasStaging = true;
    }
    await copyRows(this.tx, 'events_staging', events);
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
 * COPYs rows into a table. postgres.js 3.4 never settles a COPY stream that the server rejects
 * after its end (porsager/postgres#1173), which would hang the load with its transaction open. The
 * next statement on the same connection does settle (it fails in the aborted transaction), so one
 * is sent as soon as the COPY is ended and raced against the stream.
 */
async function copyRows(tx: TransactionSql, table: string, events: EventRow[]): Promise<void> {
  const copy = await tx.unsafe(`COPY ${table} (${COLUMNS}) FROM STDIN`).writable();
  const failed = new Promise<never>((_, reject) => copy.once('error', reject));
  failed.catch(() => {}); // raced below; a write that fails also rejects on its own
  for (const text of chunks(events)) {
    // Waiting for each write lets the COPY end at once: postgres.js rejects a query sent before.
    await new Promise<void>((resolve, reject) =>
      copy.write(text, (error) => (error ? reject(error) : resolve())),
    );
  }
  const copied = Promise.race([new Promise<void>((resolve) => copy.end(resolve)), failed]);
  await new Promise(setImmediate); // the stream's end runs on the next tick and sends CopyDone
  const refused = tx`SELECT 1`.then(
    () => copied,
    () => {
      throw new CopyRefused(`PostgreSQL refused the COPY into ${table}; the server's log says why`);
    },
  );
  await Promise.race([copied, refused]);
}

function* chunks(events: EventRow[]): Generator<string> {
  for (let i = 0; i < events.length; i += ROWS_PER_CHUNK) {
    let text = '';
    for (const event of events.slice(i, i + ROWS_PER_CHUNK)) text += event.row;
    yield text;
  }
}
