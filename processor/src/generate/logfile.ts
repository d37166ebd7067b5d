import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import type { EventRecord } from './events.ts';
import type { Random } from './random.ts';

const DAY_MS = 86_400_000;
const CHUNK_BYTES = 1 << 20;
/** gzip's own default, as logrotate uses it. */
const GZIP_LEVEL = 3;
/** Large enough that one input chunk compresses in one thread-pool job. */
const GZIP_OUTPUT_CHUNK = 256 * 1024;

/** `tracking.log-20250901-1756771200.gz`: the day it covers and the rotation time (next midnight). */
export function logFileName(dayStartMs: number): string {
  const date = new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '');
  return `tracking.log-${date}-${(dayStartMs + DAY_MS) / 1000}.gz`;
}

/** The Python logging prefix Tutor writes before each event: `2025-09-01 13:53:13,461 INFO ...`. */
export function tutorPrefix(record: EventRecord): string {
  const iso = new Date(Math.floor(record.time / 1000)).toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
  const pid = record.prefixUser === 'None' ? 20 : 27;
  return `${stamp} INFO ${pid} [tracking] [user ${record.prefixUser}] [ip ${record.prefixIp}] logger.py:41 - `;
}

export type MalformedKind = 'truncated' | 'unbalanced' | 'no-time';

/**
 * A broken copy of a well-formed line, as crashes and bad log shipping leave them: cut short,
 * with a brace lost (as in the event-routing-backends sample) or without its `time`.
 */
export function breakLine(line: string, kind: MalformedKind, random: Random): string {
  line = line.trimEnd();
  switch (kind) {
    case 'truncated':
      return line.slice(0, Math.floor(line.length * random.between(0.2, 0.9)));
    case 'unbalanced':
      return line.replace('"context": {', '"context": ');
    case 'no-time':
      return line.replace(/"time": "[^"]*", /, '');
  }
}

/** Gzips the lines (each ending in a newline) into `path`, through a stream with backpressure. */
export async function writeGzippedLines(path: string, lines: readonly Buffer[]): Promise<void> {
  await pipeline(
    Readable.from(chunksOf(lines)),
    createGzip({ level: GZIP_LEVEL, chunkSize: GZIP_OUTPUT_CHUNK }),
    createWriteStream(path),
  );
}

function* chunksOf(lines: readonly Buffer[]): Generator<Buffer> {
  let chunk: Buffer[] = [];
  let size = 0;
  for (const line of lines) {
    chunk.push(line);
    size += line.length;
    if (size >= CHUNK_BYTES) {
      yield Buffer.concat(chunk, size);
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length > 0) yield Buffer.concat(chunk, size);
}

export interface DayLines {
  lines: Buffer[];
  events: number;
  malformed: number;
  prefixed: number;
}

/** Share of lines written with the Tutor logging prefix. */
const PREFIXED_SHARE = 0.05;

/**
 * Turns a day's events, in time order, into the lines of its file: about one line in twenty
 * gets the Tutor prefix, and a few broken copies of events are slipped in after their originals.
 */
export function composeDayLines(records: readonly EventRecord[], random: Random): DayLines {
  const malformedCount = records.length === 0 ? 0 : random.weighted([0, 1, 2], [5, 4, 1]);
  const brokenAfter = new Map<number, MalformedKind>();
  for (let i = 0; i < malformedCount; i++) {
    const kind = random.pick<MalformedKind>(['truncated', 'unbalanced', 'no-time']);
    brokenAfter.set(random.int(0, records.length - 1), kind);
  }
  const result: DayLines = { lines: [], events: records.length, malformed: 0, prefixed: 0 };
  const addLine = (record: EventRecord, line: Buffer): void => {
    const prefixed = random.chance(PREFIXED_SHARE);
    if (prefixed) result.prefixed++;
    result.lines.push(prefixed ? Buffer.concat([Buffer.from(tutorPrefix(record)), line]) : line);
  };
  records.forEach((record, index) => {
    addLine(record, record.line);
    const kind = brokenAfter.get(index);
    if (kind === undefined) return;
    addLine(record, Buffer.from(`${breakLine(record.line.toString(), kind, random)}\n`));
    result.malformed++;
  });
  return result;
}
