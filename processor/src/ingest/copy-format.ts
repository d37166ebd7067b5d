import type { NormalizedEvent } from './normalize.ts';

/** The columns of `events` the loader writes, in the order `writeEvent` encodes them. */
export const EVENT_COLUMNS = [
  'time',
  'user_id',
  'file_id',
  'line_no',
  'course_id',
  'username',
  'event_type',
  'event_name',
  'event_source',
  'path',
  'host',
  'session',
  'page',
  'referer',
  'block',
  'payload',
  'line_hash',
] as const;

// PostgreSQL's binary COPY format: a signature, flags and header extension length, then per row
// the number of fields and each field as its length (-1 for NULL) and bytes; -1 ends the data.
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;
const JSONB_VERSION = 1;
const TWO_32 = 4_294_967_296;
const SEGMENT_BYTES = 256 * 1024;
// Spare segments kept: as many as the batches on their way to the database can hold.
const MAX_SPARE_SEGMENTS = 64;

/**
 * Buffers for rows, given back once written: allocating gigabytes of them anew would make the
 * garbage collector run for every few dozen megabytes.
 */
export class SegmentPool {
  private readonly spare: ArrayBuffer[] = [];

  /** A buffer of at least `bytes` bytes: a spare one unless a row needs more than a segment. */
  take(bytes = SEGMENT_BYTES): Buffer {
    const spare = bytes <= SEGMENT_BYTES ? this.spare.pop() : undefined;
    return spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(Math.max(bytes, SEGMENT_BYTES));
  }

  /** Takes back the buffers of written rows (the pieces `BinaryCopyRows.finish` gave). */
  give(pieces: Buffer[]): void {
    for (const { buffer } of pieces) {
      if (this.spare.length < MAX_SPARE_SEGMENTS && buffer.byteLength === SEGMENT_BYTES) {
        this.spare.push(buffer as ArrayBuffer);
      }
    }
  }
}

/**
 * Rows in PostgreSQL's binary COPY format, written into buffers outside the JavaScript heap that
 * are added as the rows need them. Binary rows need no escaping, and PostgreSQL reads them with
 * less work than text rows.
 */
export class BinaryCopyRows {
  private readonly full: Buffer[] = [];
  private buffer: Buffer;
  private offset = HEADER_BYTES;
  private fullBytes = 0;
  rows = 0;

  constructor(private readonly pool: SegmentPool) {
    this.buffer = pool.take();
    SIGNATURE.copy(this.buffer, 0);
    this.buffer.writeUInt32BE(0, SIGNATURE.length); // flags: no OIDs
    this.buffer.writeUInt32BE(0, SIGNATURE.length + 4); // no header extension
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.fullBytes + this.offset;
  }

  /** The complete COPY data, header, rows and trailer, in pieces. */
  finish(): Buffer[] {
    this.reserve(2);
    this.buffer.writeInt16BE(-1, this.offset);
    return [...this.full, this.buffer.subarray(0, this.offset + 2)];
  }

  /** Starts a row of `fields` fields that take at most `maxBytes` bytes with their lengths. */
  startRow(fields: number, maxBytes: number): void {
    this.reserve(2 + maxBytes);
    this.buffer.writeInt16BE(fields, this.offset);
    this.offset += 2;
    this.rows++;
  }

  /** Makes room for `bytes` more in the current buffer: a row never spans two. */
  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.full.push(this.buffer.subarray(0, this.offset));
    this.fullBytes += this.offset;
    this.buffer = this.pool.take(bytes);
    this.offset = 0;
  }

  null(): void {
    this.buffer.writeInt32BE(-1, this.offset);
    this.offset += 4;
  }

  int32(value: number): void {
    this.buffer.writeInt32BE(4, this.offset);
    this.buffer.writeInt32BE(value, this.offset + 4);
    this.offset += 8;
  }

  /** A bigint or timestamptz column: a safe integer number, or a bigint. */
  int64(value: number | bigint): void {
    this.buffer.writeInt32BE(8, this.offset);
    if (typeof value === 'bigint') {
      this.buffer.writeBigInt64BE(value, this.offset + 4);
    } else {
      const high = Math.floor(value / TWO_32);
      this.buffer.writeInt32BE(high, this.offset + 4);
      this.buffer.writeUInt32BE(value - high * TWO_32, this.offset + 8);
    }
    this.offset += 12;
  }

  /** A text column; NUL, which `text` cannot hold, becomes U+FFFD, as do lone surrogates. */
  text(value: string | null): void {
    if (value === null) return this.null();
    const clean = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
    const length = this.buffer.write(clean, this.offset + 4);
    this.buffer.writeInt32BE(length, this.offset);
    this.offset += 4 + length;
  }

  /** A jsonb column from JSON text. */
  jsonb(text: string): void {
    this.buffer[this.offset + 4] = JSONB_VERSION;
    const length = this.buffer.write(text, this.offset + 5);
    this.buffer.writeInt32BE(length + 1, this.offset);
    this.offset += 5 + length;
  }

  /** A bytea column from a binary string (one byte per character, as `latin1` digests are). */
  bytea(value: string): void {
    const length = this.buffer.write(value, this.offset + 4, 'latin1');
    this.buffer.writeInt32BE(length, this.offset);
    this.offset += 4 + length;
  }
}

// Escapes jsonb refuses although JSON allows them: \u0000 and lone UTF-16 surrogates (which
// JSON.stringify writes as \udXXX escapes; paired surrogates it writes as characters).
const JSONB_UNSAFE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/** Deeper payloads are rejected: PostgreSQL's jsonb refuses from about 20,000 levels on. */
const MAX_PAYLOAD_DEPTH = 2000;

/**
 * JSON text that PostgreSQL's jsonb accepts, from a value or from JSON text already at hand. A
 * RangeError when the value is nested deeper than MAX_PAYLOAD_DEPTH.
 */
export function jsonbText(value: unknown, text = JSON.stringify(value)): string {
  // Every level takes two characters at least: only a long text can be too deep.
  if (text.length > 2 * MAX_PAYLOAD_DEPTH && nestingDepth(text) > MAX_PAYLOAD_DEPTH) {
    throw new RangeError(`payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  return text.includes('\\u') ? text.replace(JSONB_UNSAFE, '\\ufffd') : text;
}

/** How deep arrays and objects nest in a JSON text. */
function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      for (i++; i < json.length && json.charCodeAt(i) !== QUOTE; i++) {
        if (json.charCodeAt(i) === BACKSLASH) i++;
      }
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      deepest = Math.max(deepest, ++depth);
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--;
    }
  }
  return deepest;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// Per row besides its text: 17 lengths, three int64 (time, user, file), an int32, the jsonb version.
const FIXED_ROW_BYTES = EVENT_COLUMNS.length * 4 + 3 * 8 + 4 + 1;

/** Writes one event as a row of EVENT_COLUMNS. */
export function writeEvent(
  rows: BinaryCopyRows,
  event: NormalizedEvent,
  fileId: number,
  lineNo: number,
  lineHash: string,
): void {
  const payload = event.payload === null ? null : jsonbText(event.payload, event.payloadText);
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const textUnits =
    event.courseId.length +
    (event.username?.length ?? 0) +
    event.eventType.length +
    (event.eventName?.length ?? 0) +
    (event.eventSource?.length ?? 0) +
    (event.path?.length ?? 0) +
    (event.host?.length ?? 0) +
    (event.session?.length ?? 0) +
    (event.page?.length ?? 0) +
    (event.referer?.length ?? 0) +
    (event.block?.length ?? 0) +
    (payload?.length ?? 0);
  rows.startRow(EVENT_COLUMNS.length, FIXED_ROW_BYTES + textUnits * 3 + lineHash.length);
  rows.int64(event.time);
  if (event.userId === null) rows.null();
  else rows.int64(event.userId);
  rows.int64(fileId);
  rows.int32(lineNo);
  rows.text(event.courseId);
  rows.text(event.username);
  rows.text(event.eventType);
  rows.text(event.eventName);
  rows.text(event.eventSource);
  rows.text(event.path);
  rows.text(event.host);
  rows.text(event.session);
  rows.text(event.page);
  rows.text(event.referer);
  rows.text(event.block);
  if (payload === null) rows.null();
  else rows.jsonb(payload);
  rows.bytea(lineHash);
}
