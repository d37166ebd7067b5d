import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TransactionSql } from '@course-stats/db';
import { EVENT_COLUMNS } from './copy-format.ts';
import type { ParsedBatch, RejectedLine } from './file-parser.ts';

const COLUMNS = EVENT_COLUMNS.join(', ');
const WRITE_QUEUE = 4;
const UNIQUE_VIOLATION = '23505';
// How long a failed write waits for the stream's error, which names the server's reason.
const STREAM_ERROR_WAIT_MS = 1000;

export interface WriterHooks {
  before?: () => Promise<unknown>;
  written?: (batch: ParsedBatch) => void;
}

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
  private inflight: Promise<void> = Promise.resolve();
  private readonly queued: Promise<void>[] = [];
  private aborted = false;
  private hasStaging = false;
  stored = 0;
  staged = 0;
  readonly storedByCourse = new Map<string, number>();

  /**
   * `hooks.before` is awaited before each write (it waits for the file's turn to write);
   * `hooks.written` receives each batch once written, to use its buffers again.
   */
  constructor(
    private readonly tx: TransactionSql,
    private readonly fileId: number,
    private readonly mode: 'direct' | 'staging',
    private readonly hooks: WriterHooks = {},
  ) {}

  /**
   * Queues a batch for writing; resolves once at most WRITE_QUEUE batches are waiting, so parsing
   * runs ahead of the database by a bounded amount.
   */
  async write(batch: ParsedBatch): Promise<void> {
    this.inflight = this.inflight.then(() => this.writeNow(batch));
    this.inflight.catch(() => {}); // awaited below, by a later write or by finish()
    this.queued.push(this.inflight);
    if (this.queued.length > WRITE_QUEUE) await this.queued.shift();
  }

  /** Resolves when every batch is written. */
  async finish(): Promise<void> {
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

  private async writeNow(batch: ParsedBatch): Promise<void> {
    await this.hooks.before?.();
    if (this.aborted) return;
    if (batch.rows > 0) {
      this.staged += batch.rows;
      if (this.mode === 'direct') await this.copyIntoEvents(batch);
      else await this.insertThroughStaging(batch);
    }
    if (batch.rejected.length > 0) await this.writeRejected(batch.rejected);
    this.hooks.written?.(batch);
  }

  private async copyIntoEvents(batch: ParsedBatch): Promise<void> {
    await copyRows(this.tx, 'events', batch.copy);
    for (const [course, n] of batch.rowsByCourse) this.countStored(course, n);
  }

  private async insertThroughStaging(batch: ParsedBatch): Promise<void> {
    if (!this.hasStaging) {
      await this.tx`CREATE TEMPORARY TABLE events_staging (LIKE events) ON COMMIT DROP`;
      this.hasStaging = true;
    }
    await copyRows(this.tx, 'events_staging', batch.copy);
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
async function copyRows(tx: TransactionSql, table: string, rows: Buffer[]): Promise<void> {
  const copy = await tx.unsafe(`COPY ${table} (${COLUMNS}) FROM STDIN (FORMAT binary)`).writable();
  const failed = new Promise<never>((_, reject) => copy.once('error', reject));
  failed.catch(() => {}); // raced below; a write that fails also rejects on its own
  try {
    for (const chunk of rows) await writeChunk(copy, chunk, failed);
    const ended = new Promise<void>((resolve, reject) =>
      copy.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const copied = Promise.race([ended, failed]);
    copied.catch(() => {}); // raced below: a refusal may arrive while this waits for the next tick
    await new Promise(setImmediate); // the stream's end runs on the next tick and sends CopyDone
    const refused = tx`SELECT 1`.then(
      () => copied,
      () => {
        throw new CopyRefused(
          `PostgreSQL refused the COPY into ${table}; the server's log says why`,
        );
      },
    );
    await Promise.race([copied, refused]);
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    throw new CopyRefused(
      `a line of the COPY into ${table} is already stored: ${(error as Error).message}`,
    );
  }
}

/**
 * Writes a chunk of a COPY and waits for it, so that the COPY can end at once (postgres.js rejects
 * a query sent before). When the server refuses the COPY part-way, postgres.js destroys the
 * stream: the write then fails with the server's reason, which the stream's error carries.
 */
async function writeChunk(copy: Writable, chunk: Buffer, failed: Promise<never>): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) =>
      copy.write(chunk, (error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    await Promise.race([failed, sleep(STREAM_ERROR_WAIT_MS)]);
    throw error;
  }
}
