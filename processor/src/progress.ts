import type { FileOutcome } from './ingest/load-file.ts';
import type { LoadProgress, LoadSummary } from './ingest/load.ts';
import type { LogFile } from './ingest/log-files.ts';

type Stream = NodeJS.WriteStream;

/** A progress bar on a terminal; structured log lines (one JSON object a line) elsewhere. */
export function loadProgress(stream: Stream = process.stderr): LoadProgress {
  return stream.isTTY ? new ProgressBar(stream) : new LogLines(stream);
}

abstract class Tracker implements LoadProgress {
  protected totalFiles = 0;
  protected totalBytes = 0;
  protected doneFiles = 0;
  protected doneBytes = 0;
  protected doneLines = 0;
  // The files being read: the next one starts while the one before it is written.
  private readonly reading = new Map<LogFile, { bytes: number; lines: number }>();
  protected readonly started = performance.now();

  start(files: LogFile[]): void {
    this.totalFiles = files.length;
    this.totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  }

  update(file: LogFile, bytesRead: number, linesRead: number): void {
    this.reading.set(file, { bytes: bytesRead, lines: linesRead });
  }

  fileDone(file: LogFile, outcome: FileOutcome): void {
    this.doneFiles++;
    this.doneBytes += file.size;
    this.doneLines += outcome.lines.read;
    this.reading.delete(file);
  }

  abstract finish(summary: LoadSummary): void;

  protected get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  protected get bytes(): number {
    let bytes = this.doneBytes;
    for (const file of this.reading.values()) bytes += file.bytes;
    return bytes;
  }

  protected get linesPerSecond(): number {
    let lines = this.doneLines;
    for (const file of this.reading.values()) lines += file.lines;
    return Math.round(lines / Math.max(this.seconds, 0.001));
  }

  protected get etaSeconds(): number | undefined {
    if (this.bytes === 0) return undefined;
    return Math.round((this.seconds * (this.totalBytes - this.bytes)) / this.bytes);
  }
}

class ProgressBar extends Tracker {
  private lastDraw = 0;

  constructor(private readonly stream: Stream) {
    super();
  }

  override update(file: LogFile, bytesRead: number, linesRead: number): void {
    super.update(file, bytesRead, linesRead);
    if (performance.now() - this.lastDraw > 100) this.draw();
  }

  override fileDone(file: LogFile, outcome: FileOutcome): void {
    super.fileDone(file, outcome);
    if (outcome.status === 'failed') {
      this.stream.write(`\r\x1b[Kfailed: ${file.location}: ${outcome.error}\n`);
    }
    this.draw();
  }

  finish(): void {
    this.stream.write('\r\x1b[K');
  }

  private draw(): void {
    this.lastDraw = performance.now();
    const share = this.totalBytes > 0 ? Math.min(this.bytes / this.totalBytes, 1) : 1;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = '='.repeat(filled) + ' '.repeat(width - filled);
    const eta = this.etaSeconds === undefined ? '--:--' : clock(this.etaSeconds);
    this.stream.write(
      `\r\x1b[K[${bar}] ${this.doneFiles}/${this.totalFiles} files  ${megabytes(this.bytes)}/${megabytes(this.totalBytes)} MB  ` +
        `${this.linesPerSecond.toLocaleString('en')} lines/s  ETA ${eta}`,
    );
  }
}

class LogLines extends Tracker {
  private lastLog = performance.now();

  constructor(private readonly stream: Stream) {
    super();
  }

  override start(files: LogFile[]): void {
    super.start(files);
    this.log({ event: 'load_started', files: this.totalFiles, bytes: this.totalBytes });
  }

  override update(file: LogFile, bytesRead: number, linesRead: number): void {
    super.update(file, bytesRead, linesRead);
    if (performance.now() - this.lastLog < 10_000) return;
    this.log({
      event: 'load_progress',
      file: file.location,
      files_done: this.doneFiles,
      bytes_done: this.bytes,
      lines_per_second: this.linesPerSecond,
      eta_seconds: this.etaSeconds,
    });
  }

  override fileDone(file: LogFile, outcome: FileOutcome): void {
    super.fileDone(file, outcome);
    this.log({
      level: outcome.status === 'failed' ? 'error' : 'info',
      event: `file_${outcome.status}`,
      file: file.location,
      lines: outcome.lines,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
  }

  finish(summary: LoadSummary): void {
    const { files, lines, courses, seconds } = summary;
    this.log({ event: 'load_finished', files, lines, courses: courses.length, seconds });
  }

  private log(fields: Record<string, unknown>): void {
    this.lastLog = performance.now();
    this.stream.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...fields })}\n`,
    );
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
