// CSV answers of list endpoints (interfaces.md §2): `?format=csv` or `Accept: text/csv`; a header
// line, then one line per row (RFC 4180 quoting), streamed, with a file name to save it under.
import type { Context } from 'hono';
import { requestHeader } from './request.ts';

export function wantsCsv(c: Context): boolean {
  const format = c.req.query('format');
  if (format !== undefined) return format === 'csv';
  return /(^|,)\s*text\/csv\b/i.test(requestHeader(c, 'accept') ?? '');
}

/** A cell: text quoted when it holds a comma, quote or line break; formulas defused. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A spreadsheet would run a text starting with = + - @ as a formula (usernames are user input).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const ROWS_PER_CHUNK = 500;

export function csvResponse(
  fileName: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): Response {
  const encoder = new TextEncoder();
  let next = -1;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next === -1) {
        controller.enqueue(encoder.encode(`${header.map(cell).join(',')}\r\n`));
        next = 0;
        return;
      }
      const end = Math.min(next + ROWS_PER_CHUNK, rows.length);
      let text = '';
      for (; next < end; next++) text += `${rows[next]!.map(cell).join(',')}\r\n`;
      if (text) controller.enqueue(encoder.encode(text));
      if (next >= rows.length) controller.close();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
    },
  });
}

/** Rows of objects as CSV, the columns being the keys of the first row (or `columns`). */
export function objectsCsv(
  fileName: string,
  objects: readonly Record<string, unknown>[],
  columns: readonly string[] = objects[0] ? Object.keys(objects[0]) : [],
): Response {
  return csvResponse(
    fileName,
    columns,
    objects.map((object) => columns.map((column) => object[column])),
  );
}

/** `course-v1:Org+Course+Run` → `Org-Course-Run`, for file names. */
export function courseFileName(
  courseId: string,
  what: string,
  range?: { from: string; to: string },
) {
  const course = courseId.replace(/^course-v1:/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${course}-${what}${range ? `-${range.from}-to-${range.to}` : ''}.csv`;
}
