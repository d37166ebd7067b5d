// A small card with the time spent outside units: course home, progress, discussions, other
// course pages, and time that could not be tied to a place. Its states are ChartCard's.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Button, Card, Skeleton } from '@openedx/paragon';
import type { Pages } from '@course-stats/db/types';
import { queryStatus, usePagesQuery } from '../../api/statsApi.ts';
import chartMessages from '../../charts/messages.ts';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatDay, formatDuration } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import messages from './messages.ts';

const PLACES: (keyof Pages)[] = ['home', 'progress', 'discussion', 'other', 'unplaced'];

export function TimeOutsideUnitsCard() {
  const intl = useIntl();
  const title = intl.formatMessage(messages.outsideTitle);
  return (
    <Card className="mb-4 stats-outside-units">
      <Card.Header
        title={<h2 className="h4 mb-0">{title}</h2>}
        actions={
          <InfoPopover subject={title}>{intl.formatMessage(messages.outsideInfo)}</InfoPopover>
        }
      />
      <Card.Section>
        <TimeOutsideUnits />
      </Card.Section>
    </Card>
  );
}

function TimeOutsideUnits() {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const pages = usePagesQuery({ courseId, ...range });
  const status = queryStatus(pages);
  if (status.isLoading) {
    return (
      <div role="status" aria-live="polite">
        <span className="sr-only">{intl.formatMessage(chartMessages.loading)}</span>
        <Skeleton height={60} />
      </div>
    );
  }
  if (status.error || !pages.data) {
    return (
      <Alert
        variant="danger"
        actions={[
          <Button key="retry" variant="outline-primary" onClick={status.refetch}>
            {intl.formatMessage(chartMessages.retry)}
          </Button>,
        ]}
      >
        {intl.formatMessage(chartMessages.error, { reason: status.error?.message ?? '' })}
      </Alert>
    );
  }
  const seconds = pages.data;
  if (PLACES.every((place) => !seconds[place])) {
    return (
      <Alert
        variant="info"
        actions={[
          <Button key="whole" variant="outline-primary" onClick={() => setRange(wholeRun)}>
            {intl.formatMessage(chartMessages.wholeRun)}
          </Button>,
        ]}
      >
        {intl.formatMessage(chartMessages.empty, {
          from: formatDay(intl, range.from),
          to: formatDay(intl, range.to),
        })}
      </Alert>
    );
  }
  return (
    <dl className="row mb-0">
      {PLACES.map((place) => (
        <div key={place} className="col-6 col-md-4 col-lg mb-2">
          <dt className="small text-muted font-weight-normal">
            {intl.formatMessage(messages[place])}
          </dt>
          <dd className="h5 mb-0">{formatDuration(intl, seconds[place])}</dd>
        </div>
      ))}
    </dl>
  );
}
