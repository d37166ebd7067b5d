import type { NormalizedEvent } from './normalize.ts';

/** The columns of `events` the loader writes, in the order of the rows `eventRow` encodes. */
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

const NEEDS_ESCAPE = /[\\\n\r\t\0]/;
const ESCAPED = /[\\\n\r\t\0]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\uFFFD',
};

/** A value in PostgreSQL's COPY text format; NUL, which `text` cannot hold, becomes U+FFFD. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

// Escapes jsonb refuses although JSON allows them: \u0000 and lone UTF-16 surrogates (which
// JSON.stringify writes as \udXXX escapes; paired surrogates it writes as characters).
const JSONB_UNSAFE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

/** JSON text that PostgreSQL's jsonb accepts, from a value or from JSON text already at hand. */
export function jsonbText(value: unknown, text = JSON.stringify(value)): string {
  return text.includes('\\u') ? text.replace(JSONB_UNSAFE, '\\ufffd') : text;
}

/** One line of COPY text for an event. */
export function eventRow(
  event: NormalizedEvent,
  fileId: number,
  lineNo: number,
  lineHash: Buffer,
): string {
  return `${event.time}\t${event.userId ?? '\\N'}\t${fileId}\t${lineNo}\t${copyText(event.courseId)}\t${copyText(event.username)}\t${copyText(event.eventType)}\t${copyText(event.eventName)}\t${copyText(event.eventSource)}\t${copyText(event.path)}\t${copyText(event.host)}\t${copyText(event.session)}\t${copyText(event.page)}\t${copyText(event.referer)}\t${copyText(event.block)}\t${event.payload === null ? '\\N' : copyText(jsonbText(event.payload, event.payloadText))}\t\\\\x${lineHash.toString('hex')}\n`;
}
