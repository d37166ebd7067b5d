// How the videos page writes a moment of a video ("2:05").
import type { IntlShape } from '@edx/frontend-platform/i18n';
import { formatMessages } from '../../common/format.ts';

/** 125.4 s → "2:05", 3_725 s → "62:05": minutes and seconds, as video players show them. */
export function formatClock(intl: IntlShape, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return intl.formatMessage(formatMessages.none);
  const whole = Math.max(0, Math.round(seconds));
  const minutes = intl.formatNumber(Math.floor(whole / 60), { useGrouping: false });
  const rest = intl.formatNumber(whole % 60, { minimumIntegerDigits: 2 });
  return `${minutes}:${rest}`;
}
