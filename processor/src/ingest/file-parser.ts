import { BinaryCopyRows, writeEvent, type SegmentPool } from './copy-format.ts';
import { EXCERPT_BYTES, LineSplitter, MAX_LINE_BYTES } from './line-splitter.ts';
import type { SkipReason } from './normalize.ts';
import { parseLine, type LineResult } from './parse-line.ts';

/** A line kept in `rejected_lines`. */
export interface RejectedLine {
  lineNo: number;
  reason: string;
  lineBytes: number;
  excerpt: Buffer;
}

/** Events ready to COPY and the lines rejected among them. */
export interface ParsedBatch {
  /** Binary COPY data of `rows` events (header, rows, trailer), in pieces. */
  copy: Buffer[];
  rows: number;
  rowsByCourse: Map<string, number>;
  rejected: RejectedLine[];
}

/** What became of a file's lines besides the batches. */
export interface ParseSummary {
  read: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  rejected: number;
}

// Batches are bounded in bytes as well as rows, so memory stays flat whatever the lines' length.
export const BATCH_ROWS = 50_000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Turns one file's content into batches of events, as kpis.md §1 reads a tracking log: every line
 * read is counted as skipped, rejected (and kept), or encoded as an event row. The rows are held
 * encoded outside the JavaScript heap: thousands of events kept alive until written would cost
 * the garbage collector more than the parsing.
 */
export class FileParser {
  private rows: BinaryCopyRows;
  private rowsByCourse = new Map<string, number>();
  private rejected: RejectedLine[] = [];
  private rejectedBytes = 0;
  private readonly summary: ParseSummary = { read: 0, skippedByReason: {}, rejected: 0 };
  private readonly splitter = new LineSplitter((line, lineNo, lineBytes) =>
    this.account(line, lineNo, lineBytes),
  );

  /**
   * @param courses the `load --course` selection, undefined for every course
   * @param onBatch receives each batch as it fills
   * @param segments where the batches' buffers come from (and go back to once written)
   */
  constructor(
    private readonly fileId: number,
    private readonly courses: ReadonlySet<string> | undefined,
    private readonly onBatch: (batch: ParsedBatch) => void,
    private readonly segments: SegmentPool,
  ) {
    this.rows = new BinaryCopyRows(segments);
  }

  get linesRead(): number {
    return this.summary.read;
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  /** Reads the last line, passes on the last batch and tells what became of the other lines. */
  end(): ParseSummary {
    this.splitter.end();
    if (this.rows.rows > 0 || this.rejected.length > 0) this.passOnBatch();
    this.segments.give(this.rows.finish());
    return this.summary;
  }

  private account(line: Buffer, lineNo: number, lineBytes: number): void {
    this.summary.read++;
    let result: LineResult =
      lineBytes > MAX_LINE_BYTES ? tooLong(lineBytes) : parseLine(line, this.courses);
    if (result.outcome === 'event') {
      try {
        writeEvent(this.rows, result.event, this.fileId, lineNo, result.lineHash!);
        const course = result.event.courseId;
        this.rowsByCourse.set(course, (this.rowsByCourse.get(course) ?? 0) + 1);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        result = { outcome: 'rejected', reason: 'payload nested too deeply to store' };
      }
    }
    if (result.outcome === 'skipped') {
      const reasons = this.summary.skippedByReason;
      reasons[result.reason] = (reasons[result.reason] ?? 0) + 1;
    } else if (result.outcome === 'rejected') {
      this.summary.rejected++;
      // A copy of its own: a view would keep the whole chunk alive.
      const excerpt = Buffer.from(line.subarray(0, EXCERPT_BYTES));
      const reason = result.reason.replaceAll('\0', '\uFFFD').slice(0, 300);
      this.rejected.push({ lineNo, reason, lineBytes, excerpt });
      this.rejectedBytes += excerpt.length;
    }
    if (
      this.rows.rows + this.rejected.length >= BATCH_ROWS ||
      this.rows.bytes + this.rejectedBytes >= BATCH_BYTES
    ) {
      this.passOnBatch();
    }
  }

  private passOnBatch(): void {
    this.onBatch({
      copy: this.rows.finish(),
      rows: this.rows.rows,
      rowsByCourse: this.rowsByCourse,
      rejected: this.rejected,
    });
    this.rows = new BinaryCopyRows(this.segments);
    this.rowsByCourse = new Map();
    this.rejected = [];
    this.rejectedBytes = 0;
  }
}

function tooLong(lineBytes: number): LineResult {
  return { outcome: 'rejected', reason: `line longer than ${MAX_LINE_BYTES} bytes (${lineBytes})` };
}
