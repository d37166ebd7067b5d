const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * An instant as PostgreSQL stores a timestamptz: microseconds since 2000-01-01 00:00 UTC. A number
 * while it is exact (about 285 years either side of 2000), else a bigint.
 */
export type EventTime = number | bigint;

/**
 * Reads an ISO 8601 event time (no offset means UTC) into the instant PostgreSQL would store for
 * it, or undefined when it does not parse or PostgreSQL could not store it.
 */
export function parseEventTime(value: string): EventTime | undefined {
  if (!ISO_TIME.test(value)) return undefined;
  // The pattern holds: each field stands at a known place and is made of digits.
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const hasSeconds = value.charCodeAt(16) === COLON;
  const second = hasSeconds ? digits(value, 17, 2) : 0;
  let end = hasSeconds ? 19 : 16;
  let micros = 0;
  if (value.charCodeAt(end) === DOT) {
    const start = end + 1;
    end = start;
    while (isDigit(value.charCodeAt(end))) end++;
    micros = fractionInMicros(value, start, end);
  }
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (year < 1) return undefined; // PostgreSQL has no year 0
  const offsetMinutes = offsetInMinutes(value, end);
  if (offsetMinutes === undefined) return undefined;
  const seconds =
    daysSince2000(year, month, day) * 86_400 + hour * 3600 + (minute - offsetMinutes) * 60 + second;
  const total = seconds * 1_000_000 + micros;
  return Number.isSafeInteger(total) ? total : BigInt(seconds) * 1_000_000n + BigInt(micros);
}

const COLON = 0x3a;
const DOT = 0x2e;
const ZERO = 0x30;
const MINUS = 0x2d;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

function digits(value: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + value.charCodeAt(i) - ZERO;
  return n;
}

/** The offset from `start` to the end: none or Z, else ±HH, ±HHMM or ±HH:MM up to 15:59. */
function offsetInMinutes(value: string, start: number): number | undefined {
  const length = value.length - start;
  if (length <= 1) return 0;
  const hours = digits(value, start + 1, 2);
  const minutes = length > 3 ? digits(value, value.length - 2, 2) : 0;
  if (hours > 15 || minutes > 59) return undefined;
  return (value.charCodeAt(start) === MINUS ? -1 : 1) * (hours * 60 + minutes);
}

/** The fraction of a second in `value[start, end)`, in microseconds rounded as PostgreSQL does. */
function fractionInMicros(value: string, start: number, end: number): number {
  const length = end - start;
  if (length <= 6) return digits(value, start, length) * 10 ** (6 - length);
  // More digits: PostgreSQL reads them as a double, scales it and rounds half to even (rint).
  const exact = Number(`0.${value.slice(start, end)}`) * 1_000_000;
  const rounded = Math.round(exact);
  return rounded - exact === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** Days from 2000-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysSince2000(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 730_425; // 730,425 days from 0000-03-01 to 2000-01-01
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
