// Reading and checking request parameters: every problem is a 400 naming the parameter.
import { LEARNER_SORT_COLUMNS, type LearnerSort, type SortOrder } from '@course-stats/db';
import { badParameter } from './errors.ts';

type Query = Record<string, string | undefined>;

/** The longest range a KPI endpoint answers (about ten years of days). */
const MAX_RANGE_DAYS = 3660;
export const MAX_PAGE_SIZE = 500;

/** A part of an Open edX key (opaque-keys' ALLOWED_ID_CHARS). */
const KEY_PART = String.raw`[\w\-~.:]+`;
const COURSE_KEY = new RegExp(`^course-v1:${KEY_PART}\\+${KEY_PART}\\+${KEY_PART}$`);
const LEGACY_COURSE_KEY = /^([\w\-~.]+)\/([\w\-~.:]+)\/([\w\-~.:]+)$/;

/** `course-v1:Org+Course+Run`; a legacy `Org/Course/Run` becomes that. */
export function courseId(value: string | undefined): string {
  const text = value ?? '';
  if (text.length <= 300 && COURSE_KEY.test(text)) return text;
  const legacy = text.length <= 300 ? LEGACY_COURSE_KEY.exec(text) : null;
  if (legacy) return `course-v1:${legacy[1]}+${legacy[2]}+${legacy[3]}`;
  throw badParameter('course', 'must be a course key like course-v1:Org+Course+Run');
}

export function usageKey(name: string, value: string | undefined, type: string): string {
  const text = value ?? '';
  const pattern = new RegExp(
    `^block-v1:${KEY_PART}\\+${KEY_PART}\\+${KEY_PART}\\+type@${type}\\+block@${KEY_PART}$`,
  );
  if (text.length > 500 || !pattern.test(text)) {
    throw badParameter(
      name,
      `must be a usage key like block-v1:Org+Course+Run+type@${type}+block@id`,
    );
  }
  return text;
}

export function username(value: string | undefined): string {
  const text = value ?? '';
  if (!/^[\w.@+-]{1,150}$/u.test(text)) {
    throw badParameter('username', 'must be an LMS username (letters, digits, _ . @ + -)');
  }
  return text;
}

/** The required `from` and `to` days of a KPI endpoint, in order. */
export function range(query: Query): { from: string; to: string } {
  const from = day(query, 'from');
  const to = day(query, 'to');
  if (from > to) throw badParameter('from', 'must not be after to');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS)
    throw badParameter('to', `the range may span at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function day(query: Query, name: string): string {
  const value = query[name];
  if (value === undefined || value === '') throw badParameter(name, 'is required (YYYY-MM-DD)');
  const parsed = DAY.exec(value);
  if (!parsed || !isDate(Number(parsed[1]), Number(parsed[2]), Number(parsed[3]))) {
    throw badParameter(name, 'must be a date YYYY-MM-DD');
  }
  return value;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDate(year: number, month: number, date: number): boolean {
  if (month < 1 || month > 12 || date < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return date <= MONTH_DAYS[month - 1]! + (leap ? 1 : 0);
}

export function oneOf<const T extends string>(
  query: Query,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw badParameter(name, `must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function positiveInteger(
  query: Query,
  name: string,
  fallback: number,
  max?: number,
): number {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d{1,9}$/.test(value) || number < 1) {
    throw badParameter(name, 'must be a whole number of 1 or more');
  }
  if (max !== undefined && number > max) throw badParameter(name, `must be at most ${max}`);
  return number;
}

/** A search text over usernames (`q`), at most 150 characters. */
export function search(query: Query): string | undefined {
  const value = query.q;
  if (value === undefined || value === '') return undefined;
  if (value.length > 150) throw badParameter('q', 'must be at most 150 characters');
  return value;
}

export function learnerSort(query: Query): { sort: LearnerSort; order: SortOrder } {
  return {
    sort: oneOf(query, 'sort', LEARNER_SORT_COLUMNS, 'time_s'),
    order: oneOf(query, 'order', ['asc', 'desc'] as const, 'desc'),
  };
}

export function page(query: Query): { page: number; pageSize: number } {
  return {
    page: positiveInteger(query, 'page', 1),
    pageSize: positiveInteger(query, 'page_size', 50, MAX_PAGE_SIZE),
  };
}
