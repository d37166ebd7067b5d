// The rows of the videos table and their order: course order first, then any column, ascending
// or descending; empty values (no name, unknown duration, no viewers) last either way, ties in
// course order.
import type { VideoRow } from '@course-stats/db/types';

export const VIDEO_COLUMNS = [
  'position',
  'name',
  'duration',
  'views',
  'viewers',
  'watch_s',
  'completed',
] as const;
export type VideoColumn = (typeof VIDEO_COLUMNS)[number];

export interface VideoSort {
  column: VideoColumn;
  order: 'asc' | 'desc';
}

export const COURSE_ORDER: VideoSort = { column: 'position', order: 'asc' };

export interface VideoLine extends VideoRow {
  /** The video's place in the course (the API answers in course order). */
  order: number;
  /** completed_viewers / viewers; null without viewers. */
  completed: number | null;
}

export function videoLines(rows: readonly VideoRow[]): VideoLine[] {
  return rows.map((row, order) => ({
    ...row,
    order,
    completed: row.viewers > 0 ? row.completed_viewers / row.viewers : null,
  }));
}

/** `?sort=&order=` of the URL; course order without them, or when `sort` is no column here. */
export function sortFromSearch(search: URLSearchParams): VideoSort {
  const column = search.get('sort') as VideoColumn | null;
  if (!column || !VIDEO_COLUMNS.includes(column)) return COURSE_ORDER;
  return { column, order: search.get('order') === 'desc' ? 'desc' : 'asc' };
}

/** The query with `sort`; course order, the default, leaves `sort` and `order` out. */
export function withSort(search: URLSearchParams, sort: VideoSort): URLSearchParams {
  const updated = new URLSearchParams(search);
  if (sort.column === COURSE_ORDER.column && sort.order === COURSE_ORDER.order) {
    updated.delete('sort');
    updated.delete('order');
  } else {
    updated.set('sort', sort.column);
    updated.set('order', sort.order);
  }
  return updated;
}

/** The same column again turns the order round; another column starts ascending. */
export function nextSort(current: VideoSort, column: VideoColumn): VideoSort {
  if (current.column !== column) return { column, order: 'asc' };
  return { column, order: current.order === 'asc' ? 'desc' : 'asc' };
}

function valueOf(line: VideoLine, column: VideoColumn): number | string | null {
  if (column === 'position') return line.order;
  return line[column];
}

export function sortLines(lines: readonly VideoLine[], sort: VideoSort, locale: string) {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const direction = sort.order === 'asc' ? 1 : -1;
  return [...lines].sort((a, b) => {
    const x = valueOf(a, sort.column);
    const y = valueOf(b, sort.column);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
      return a.order - b.order;
    }
    const compared =
      typeof x === 'string' || typeof y === 'string'
        ? collator.compare(String(x), String(y))
        : x - y;
    return compared * direction || a.order - b.order;
  });
}
