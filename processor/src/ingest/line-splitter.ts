/** Lines longer than this are rejected without being held in memory whole. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** How much of a rejected line is kept. */
export const EXCERPT_BYTES = 4096;

export type LineHandler = (line: Buffer, lineNo: number, lineBytes: number) => void;

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines at `\n`, numbering them from 1. A line longer than
 * MAX_LINE_BYTES is passed on as its first EXCERPT_BYTES with its full length, so that a
 * runaway line costs no memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineNo = 0;

  constructor(private readonly onLine: LineHandler) {}

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      this.emit(chunk.subarray(start, newline));
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Emits the last line when the stream does not end with a line break. */
  end(): void {
    if (this.pendingBytes > 0) this.emit(Buffer.alloc(0));
  }

  private hold(part: Buffer): void {
    if (this.pendingBytes < MAX_LINE_BYTES) this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private emit(tail: Buffer): void {
    this.lineNo++;
    if (this.pendingBytes === 0) {
      this.onLine(tail, this.lineNo, tail.length);
      return;
    }
    const lineBytes = this.pendingBytes + tail.length;
    this.pending.push(tail);
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.onLine(
      lineBytes > MAX_LINE_BYTES ? line.subarray(0, EXCERPT_BYTES) : line,
      this.lineNo,
      lineBytes,
    );
  }
}
