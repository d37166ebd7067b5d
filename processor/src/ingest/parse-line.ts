import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { normalizeEvent, type ParsedLine } from './normalize.ts';

export type LineResult = ParsedLine & {
  /**
   * Of an event: the first 16 bytes of the SHA-256 of its JSON text after the prefix without
   * trailing white space (what makes a line a duplicate), one character a byte.
   */
  lineHash?: string;
};

const OPEN_BRACE = 0x7b;
const HASH = 0x23;

/**
 * Classifies one line of a tracking log (without its line break): blank or comment lines are
 * skipped, then whatever precedes the first `{` (Tutor's logging prefix, a BOM) is dropped and the
 * rest must be one JSON object.
 */
export function parseLine(line: Buffer, courses?: ReadonlySet<string>): LineResult {
  const end = trimmedEnd(line);
  const start = contentStart(line, end);
  if (start === end) return { outcome: 'skipped', reason: 'blank' };
  if (line[start] === HASH) return { outcome: 'skipped', reason: 'comment' };

  const brace = line.indexOf(OPEN_BRACE, start);
  if (brace === -1 || brace >= end) return { outcome: 'rejected', reason: 'no JSON object' };
  const json = line.subarray(brace, end);
  if (!isUtf8(json)) return { outcome: 'rejected', reason: 'invalid UTF-8' };

  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch (error) {
    return { outcome: 'rejected', reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { outcome: 'rejected', reason: 'not a JSON object' };
  }
  const result: LineResult = normalizeEvent(raw as Record<string, unknown>, courses);
  // A 'binary' (latin1) digest is a short string; a Buffer a line would cost the garbage
  // collector more.
  if (result.outcome === 'event') result.lineHash = hash('sha256', json, 'binary').slice(0, 16);
  return result;
}

function isWhiteSpace(byte: number | undefined): boolean {
  return (
    byte === 0x20 ||
    byte === 0x09 ||
    byte === 0x0d ||
    byte === 0x0a ||
    byte === 0x0b ||
    byte === 0x0c
  );
}

function trimmedEnd(line: Buffer): number {
  let end = line.length;
  while (end > 0 && isWhiteSpace(line[end - 1])) end--;
  return end;
}

/** Skips leading white space and a UTF-8 byte order mark. */
function contentStart(line: Buffer, end: number): number {
  let start = 0;
  if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) start = 3;
  while (start < end && isWhiteSpace(line[start])) start++;
  return start;
}
