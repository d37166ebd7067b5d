// The states of a page of learners (table or grid) before its rows: loading, failed, nobody in
// the course, nobody matching the search, a page past the end.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert } from '@openedx/paragon';
import type { QueryStatus } from '../../api/statsApi.ts';
import chartMessages from '../../charts/messages.ts';
import { formatDay } from '../../common/format.ts';
import { ErrorState, InfoState, LoadingState } from '../../common/QueryStates.tsx';
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
  if (status.isLoading) return <LoadingState height={400} />;
  if (status.error) return <ErrorState status={status} />;
  if (total === 0 && props.q) {
    return (
      <Alert variant="info" role="status">
        {intl.formatMessage(messages.noMatch, { q: props.q })}
      </Alert>
    );
  }
  if (total === 0) {
    return (
      <InfoState
        message={intl.formatMessage(messages.none, { to: formatDay(intl, props.to) })}
        action={{ label: intl.formatMessage(chartMessages.wholeRun), onClick: props.onWholeRun }}
      />
    );
  }
  if (props.shown === 0) {
    return (
      <InfoState
        message={intl.formatMessage(messages.pastEnd)}
        action={{ label: intl.formatMessage(messages.firstPage), onClick: props.onFirstPage }}
      />
    );
  }
  return props.children;
}
