// Numbers and durations for people: locale digits, hours and minutes rather than seconds.
import type { IntlShape } from '@edx/frontend-platform/i18n';
import { defineMessages } from '@edx/frontend-platform/i18n';

export const formatMessages = defineMessages({
  hoursMinutes: {
    id: 'stats.format.hoursMinutes',
    defaultMessage: '{hours} h {minutes} min',
    description: 'A duration of at least an hour, e.g. "12 h 30 min"',
  },
  minutes: {
    id: 'stats.format.minutes',
    defaultMessage: '{minutes} min',
    description: 'A duration under an hour, e.g. "45 min"',
  },
  seconds: {
    id: 'stats.format.seconds',
    defaultMessage: '{seconds} s',
    description: 'A duration under a minute, e.g. "40 s"',
  },
  none: {
    id: 'stats.format.none',
    defaultMessage: '—',
    description: 'Shown where there is no value (no data)',
  },
});

/** 45_000 s → "12 h 30 min"; 2_700 s → "45 min"; 40 s → "40 s". */
export function formatDuration(intl: IntlShape, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return intl.formatMessage(formatMessages.none);
  const totalMinutes = Math.round(seconds / 60);
  if (seconds < 60) {
    return intl.formatMessage(formatMessages.seconds, {
      seconds: intl.formatNumber(Math.round(seconds)),
    });
  }
  if (totalMinutes < 60) {
    return intl.formatMessage(formatMessages.minutes, { minutes: intl.formatNumber(totalMinutes) });
  }
  return intl.formatMessage(formatMessages.hoursMinutes, {
    hours: intl.formatNumber(Math.floor(totalMinutes / 60)),
    minutes: intl.formatNumber(totalMinutes % 60),
  });
}

export function formatCount(intl: IntlShape, value: number | null | undefined): string {
  if (value === null || value === undefined) return intl.formatMessage(formatMessages.none);
  return intl.formatNumber(value, { maximumFractionDigits: 1 });
}

/** A local day (YYYY-MM-DD) as the user's locale writes dates. */
export function formatDay(intl: IntlShape, day: string | null | undefined): string {
  if (!day) return intl.formatMessage(formatMessages.none);
  return intl.formatDate(`${day}T12:00:00Z`, { dateStyle: 'medium', timeZone: 'UTC' } as never);
}

export function formatInstant(intl: IntlShape, instant: string | null | undefined): string {
  if (!instant) return intl.formatMessage(formatMessages.none);
  return intl.formatDate(instant, { dateStyle: 'medium', timeStyle: 'short' } as never);
}

/** A share as the user's locale writes percentages ("67%", "67 %"). */
export function formatShare(
  intl: IntlShape,
  share: number | null | undefined,
  fractionDigits = 0,
): string {
  if (share === null || share === undefined) return intl.formatMessage(formatMessages.none);
  return intl.formatNumber(share, { style: 'percent', maximumFractionDigits: fractionDigits });
}

/** The date of an instant, as the user's locale writes dates. */
export function formatDate(intl: IntlShape, instant: string | null | undefined): string {
  if (!instant) return intl.formatMessage(formatMessages.none);
  return intl.formatDate(instant, { dateStyle: 'medium' } as never);
}
