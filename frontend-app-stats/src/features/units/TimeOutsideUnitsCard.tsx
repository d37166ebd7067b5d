// A small card with the time spent outside units: course home, progress, discussions, other
// course pages, and time that could not be tied to a place. Its states are ChartCard's.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Card } from '@openedx/paragon';
import type { Pages } from '@course-stats/db/types';
import { queryStatus, usePagesQuery } from '../../api/statsApi.ts';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { EmptyRangeState, ErrorState, LoadingState } from '../../common/QueryStates.tsx';
import { formatDuration } from '../../common/format.ts';
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
  if (status.isLoading) return <LoadingState height={60} />;
  if (status.error || !pages.data) return <ErrorState status={status} />;
  const seconds = pages.data;
  if (PLACES.every((place) => !seconds[place])) {
    return <EmptyRangeState range={range} onWholeRun={() => setRange(wholeRun)} />;
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
