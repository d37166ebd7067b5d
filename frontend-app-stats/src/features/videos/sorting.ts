// The rows of the videos table and their order: course order first, then any column, ascending
// or descending; empty values (no name, unknown duration, no viewers) last either way, ties in
// course order.
import type { VideoRow } from '@course-stats/db/types';

export type VideoColumn =
  'position' | 'name' | 'duration' | 'views' | 'viewers' | 'watch_s' | 'completed';

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
