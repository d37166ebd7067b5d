// A share as the user's locale writes percentages ("67%", "67 %").
import type { IntlShape } from '@edx/frontend-platform/i18n';
import { formatMessages } from '../../common/format.ts';

export function formatShare(intl: IntlShape, share: number | null | undefined): string {
  if (share === null || share === undefined) return intl.formatMessage(formatMessages.none);
  return intl.formatNumber(share, { style: 'percent', maximumFractionDigits: 1 });
}
