import type { Sql } from '@course-stats/db';
import { listPathSource } from './folder-source.ts';
import { loadFile, type FileOutcome, type LineCounts } from './load-file.ts';
import { isOnOrAfter, type LogFile } from './log-files.ts';
import { listS3Source, s3Client, type S3Settings } from './s3-source.ts';

export interface LoadOptions {
  since?: string;
  courses?: ReadonlySet<string>;
  s3?: S3Settings;
  progress?: LoadProgress;
}

export interface LoadProgress {
  start(files: LogFile[]): void;
  update(file: LogFile, bytesRead: number, linesRead: number): void;
  fileDone(file: LogFile, outcome: FileOutcome): void;
  finish(summary: LoadSummary): void;
}

/** The `load --json` summary of interfaces.md, plus every file's outcome. */
export interface LoadSummary {
  files: { loaded: number; already_loaded: number; failed: number };
  lines: Omit<LineCounts, 'read'>;
  courses: string[];
  seconds: number;
  outcomes: FileOutcome[];
}

/** Lists every source's files (oldest first within a source), keeping those on or after `since`. */
export async function listSources(
  sources: string[],
  options: LoadOptions = {},
): Promise<LogFile[]> {
  const files: LogFile[] = [];
  for (const source of sources) {
    const found = source.startsWith('s3://')
      ? await listS3Source(s3Client(options.s3 ?? {}), source)
      : await listPathSource(source);
    files.push(...found.filter((file) => isOnOrAfter(file.location, options.since)));
  }
  return files;
}

/** Loads the files one after the other; a failed file is reported and the others still load. */
export async function loadSources(
  sql: Sql,
  sources: string[],
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const started = performance.now();
  const files = await listSources(sources, options);
  options.progress?.start(files);
  const outcomes: FileOutcome[] = [];
  // Each file is read and parsed while the one before it writes its last batches and commits.
  let previous: Promise<unknown> = Promise.resolve();
  for (const file of files) {
    let parsed!: () => void;
    const isParsed = new Promise<void>((resolve) => (parsed = resolve));
    const loading = loadFile(sql, file, {
      courses: options.courses,
      after: previous,
      onParsed: parsed,
      onProgress: (bytes, lines) => options.progress?.update(file, bytes, lines),
    });
    previous = Promise.all([previous, loading]).then(([, outcome]) => {
      outcomes.push(outcome);
      options.progress?.fileDone(file, outcome);
    });
    previous.catch(() => {}); // awaited below; a failure also surfaces through `loading`
    await Promise.race([isParsed, loading]);
  }
  await previous;
  const summary = summarize(outcomes, (performance.now() - started) / 1000);
  options.progress?.finish(summary);
  return summary;
}

function summarize(outcomes: FileOutcome[], seconds: number): LoadSummary {
  const files = { loaded: 0, already_loaded: 0, failed: 0 };
  const lines = { stored: 0, skipped: 0, rejected: 0 };
  const courses = new Set<string>();
  for (const outcome of outcomes) {
    files[outcome.status]++;
    lines.stored += outcome.lines.stored;
    lines.skipped += outcome.lines.skipped;
    lines.rejected += outcome.lines.rejected;
    for (const course of outcome.storedByCourse.keys()) courses.add(course);
  }
  return {
    files,
    lines,
    courses: [...courses].sort(),
    seconds: Math.round(seconds * 1000) / 1000,
    outcomes,
  };
}
