import path from 'node:path';
import type { Readable } from 'node:stream';

/** A tracking-log file found in a source, not yet read. */
export interface LogFile {
  /** Absolute path, or `s3://bucket/key`. */
  location: string;
  /** Size as stored (compressed bytes for a gzip file). */
  size: number;
  /** Changes whenever the content may have: modification time, or the S3 ETag. */
  version: string;
  open(): Promise<Readable>;
}

const ROTATED_DATE = /-(\d{4})(\d{2})(\d{2})(?:-(\d+))?(?:\.gz)?$/;
const ROTATED_NUMBER = /\.(\d+)(?:\.gz)?$/;

/** The `-YYYYMMDD` date in a rotated file's name, as `YYYY-MM-DD`. */
export function rotationDate(name: string): string | undefined {
  const match = ROTATED_DATE.exec(path.posix.basename(name));
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/** Whether a folder or S3 listing should load this file. */
export function isTrackingLogName(name: string): boolean {
  return path.posix.basename(name).startsWith('tracking.log');
}

/**
 * Oldest first, as kpis.md §1 asks: files dated in their name (`tracking.log-20241105-1730781234.gz`)
 * by date and then the number after it; logrotate's numbered files (`tracking.log.2.gz` is older
 * than `tracking.log.1`) after them; the live `tracking.log` last. Ties keep the location order.
 */
export function compareOldestFirst(a: string, b: string): number {
  const [ka, kb] = [rotationKey(a), rotationKey(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function rotationKey(location: string): [number, string, number] {
  const name = path.posix.basename(location);
  const dated = ROTATED_DATE.exec(name);
  if (dated) return [0, `${dated[1]}${dated[2]}${dated[3]}`, Number(dated[4] ?? 0)];
  const numbered = ROTATED_NUMBER.exec(name);
  if (numbered) return [1, '', -Number(numbered[1])];
  if (name === 'tracking.log') return [3, '', 0];
  return [2, '', 0];
}

/** Drops rotated files dated before `since` (YYYY-MM-DD); undated files always stay. */
export function isOnOrAfter(location: string, since: string | undefined): boolean {
  const date = since && rotationDate(location);
  return !date || date >= since;
}
