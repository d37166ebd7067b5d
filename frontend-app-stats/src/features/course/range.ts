// The date range of the course pages, kept in the URL (?from&to), and its presets. Days are the
// course's local days as the API stores them; "last N days" end at the newest day with data.
import type { CourseListItem } from '@course-stats/db/types';

export type RangePreset = 'last7' | 'last30' | 'whole' | 'custom';
export interface DayRange {
  from: string;
  to: string;
}

export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function isDay(value: string | null | undefined): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
  );
}

export function presetRange(
  preset: Exclude<RangePreset, 'custom'>,
  course: Pick<CourseListItem, 'first_day' | 'last_day'> | undefined,
  now = new Date(),
): DayRange {
  const last = course?.last_day ?? todayIso(now);
  const first = course?.first_day ?? last;
  if (preset === 'whole') return { from: first, to: last };
  const from = addDays(last, preset === 'last7' ? -6 : -29);
  return { from: from < first ? first : from, to: last };
}

/** The range the URL asks for, else the whole run. */
export function rangeFromSearch(
  search: URLSearchParams,
  course: Pick<CourseListItem, 'first_day' | 'last_day'> | undefined,
): DayRange {
  const from = search.get('from');
  const to = search.get('to');
  if (isDay(from) && isDay(to) && from <= to) return { from, to };
  return presetRange('whole', course);
}

export function presetOf(
  range: DayRange,
  course: Pick<CourseListItem, 'first_day' | 'last_day'> | undefined,
): RangePreset {
  for (const preset of ['whole', 'last30', 'last7'] as const) {
    const candidate = presetRange(preset, course);
    if (candidate.from === range.from && candidate.to === range.to) return preset;
  }
  return 'custom';
}
