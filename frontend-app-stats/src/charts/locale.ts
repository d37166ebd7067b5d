// The user's locale in vega's terms (d3-format and d3-time-format locale definitions), built from
// the browser's Intl, so that chart axes and tooltips write numbers and dates as the rest of the
// page does ("1.234,5", "sep 2025") in every language the dashboard speaks.

export interface VegaLocales {
  formatLocale: Record<string, unknown>;
  timeFormatLocale: Record<string, unknown>;
}

export function vegaLocales(locale: string): VegaLocales {
  return { formatLocale: numberLocale(locale), timeFormatLocale: timeLocale(locale) };
}

function numberLocale(locale: string) {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const part = (type: string, fallback: string) =>
    parts.find((p) => p.type === type)?.value ?? fallback;
  return {
    decimal: part('decimal', '.'),
    thousands: part('group', ''),
    grouping: [3],
    currency: ['', ''],
  };
}

function timeLocale(locale: string) {
  const names = (options: Intl.DateTimeFormatOptions, dates: Date[]) =>
    dates.map((date) =>
      new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date),
    );
  const months = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2025, m, 15)));
  // 2025-06-01 is a Sunday: d3 counts days from Sunday.
  const days = Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2025, 5, 1 + d)));
  return {
    dateTime: '%x, %X',
    date: '%d/%m/%Y',
    time: '%H:%M:%S',
    periods: ['AM', 'PM'],
    days: names({ weekday: 'long' }, days),
    shortDays: names({ weekday: 'short' }, days),
    months: names({ month: 'long' }, months),
    shortMonths: names({ month: 'short' }, months),
  };
}
