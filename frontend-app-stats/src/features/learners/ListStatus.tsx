// The states of a page of learners (table or grid) before its rows: loading, failed, nobody in
// the course, nobody matching the search, a page past the end.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Button, Skeleton } from '@openedx/paragon';
import type { QueryStatus } from '../../api/statsApi.ts';
import chartMessages from '../../charts/messages.ts';
import { formatDay } from '../../common/format.ts';
import messages from './messages.ts';

export interface ListStatusProps {
  status: QueryStatus;
  /** Learners matching the search over all pages, and on this page; undefined before data. */
  total: number | undefined;
  shown: number;
  q: string;
  to: string;
  onWholeRun: () => void;
  onFirstPage: () => void;
  children: React.ReactNode;
}

export function ListStatus(props: ListStatusProps) {
  const intl = useIntl();
  const { status, total } = props;
  if (status.isLoading) {
    return (
      <div role="status" aria-live="polite">
        <span className="sr-only">{intl.formatMessage(chartMessages.loading)}</span>
        <Skeleton height={400} />
      </div>
    );
  }
  if (status.error) {
    return (
      <Alert
        variant="danger"
        actions={[
          <Button key="retry" variant="outline-primary" onClick={() => status.refetch()}>
            {intl.formatMessage(chartMessages.retry)}
          </Button>,
        ]}
      >
        {intl.formatMessage(chartMessages.error, { reason: status.error.message })}
      </Alert>
    );
  }
  if (total === 0 && props.q) {
    return (
      <Alert variant="info" role="status">
        {intl.formatMessage(messages.noMatch, { q: props.q })}
      </Alert>
    );
  }
  if (total === 0) {
    return (
      <Alert
        variant="info"
        actions={[
          <Button key="whole" variant="outline-primary" onClick={props.onWholeRun}>
            {intl.formatMessage(chartMessages.wholeRun)}
          </Button>,
        ]}
      >
        {intl.formatMessage(messages.none, { to: formatDay(intl, props.to) })}
      </Alert>
    );
  }
  if (props.shown === 0) {
    return (
      <Alert
        variant="info"
        actions={[
          <Button key="first" variant="outline-primary" onClick={props.onFirstPage}>
            {intl.formatMessage(messages.firstPage)}
          </Button>,
        ]}
      >
        {intl.formatMessage(messages.pastEnd)}
      </Alert>
    );
  }
  return props.children;
}
