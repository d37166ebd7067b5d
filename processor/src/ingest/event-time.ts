const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Checks an ISO 8601 event time and returns it in a form PostgreSQL reads exactly (microseconds
 * kept, a missing offset made explicit UTC), or undefined when it does not parse.
 */
export function parseEventTime(value: string): string | undefined {
  const match = ISO_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00', , offset] = match as unknown as string[];
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]!) return undefined;
  if (m === 2 && d === 29 && !isLeapYear(Number(year))) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (Number(year) < 1) return undefined; // PostgreSQL has no year 0
  if (offset && offset.length > 1 && !isOffset(offset)) return undefined;
  return offset ? value : `${value}Z`;
}

/** ±HH, ±HHMM or ±HH:MM, at most 15:59 away from UTC as PostgreSQL accepts. */
function isOffset(offset: string): boolean {
  const minutes = offset.length > 3 ? Number(offset.slice(-2)) : 0;
  return Number(offset.slice(1, 3)) <= 15 && minutes <= 59;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
