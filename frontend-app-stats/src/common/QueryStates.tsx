// What a chart, table or card shows instead of its numbers (ui.md "Every chart"): a skeleton of
// its size while loading, what failed with Retry, and an explanation (with an action) when there
// is nothing to show.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Button, Skeleton } from '@openedx/paragon';
import type { QueryStatus } from '../api/statsApi.ts';
import chartMessages from '../charts/messages.ts';
import { formatDay } from './format.ts';

export function LoadingState({ height }: { height: number }) {
  const intl = useIntl();
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{intl.formatMessage(chartMessages.loading)}</span>
      <Skeleton height={height} />
    </div>
  );
}

export function ErrorState({ status }: { status: QueryStatus }) {
  const intl = useIntl();
  return (
    <Alert
      variant="danger"
      actions={[
        <Button key="retry" variant="outline-primary" onClick={() => status.refetch()}>
          {intl.formatMessage(chartMessages.retry)}
        </Button>,
      ]}
    >
      {intl.formatMessage(chartMessages.error, { reason: status.error?.message ?? '' })}
    </Alert>
  );
}

/** Nothing to show, said in `message`, with an optional way out (`action`). */
export function InfoState({
  message,
  action,
}: {
  message: string;
  action?: { label: string; onClick: () => void };
}) {
  return (
    <Alert
      variant="info"
      actions={
        action
          ? [
              <Button key="action" variant="outline-primary" onClick={action.onClick}>
                {action.label}
              </Button>,
            ]
          : []
      }
    >
      {message}
    </Alert>
  );
}

/** The range holds no data: say which days, and offer the whole run. */
export function EmptyRangeState({
  range,
  onWholeRun,
}: {
  range: { from: string; to: string };
  onWholeRun?: () => void;
}) {
  const intl = useIntl();
  return (
    <InfoState
      message={intl.formatMessage(chartMessages.empty, {
        from: formatDay(intl, range.from),
        to: formatDay(intl, range.to),
      })}
      action={
        onWholeRun
          ? { label: intl.formatMessage(chartMessages.wholeRun), onClick: onWholeRun }
          : undefined
      }
    />
  );
}
