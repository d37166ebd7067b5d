// One video's timeline (ui.md "Videos"): viewers per second with repeats stacked above, through
// ChartCard; a sentence instead when the video's duration is unknown (the API has no seconds).
import { useIntl } from '@edx/frontend-platform/i18n';
import { Alert, Card } from '@openedx/paragon';
import type { VideoRow } from '@course-stats/db/types';
import { coursePath, csvUrl, queryStatus, useVideoTimelineQuery } from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatCount } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import { formatClock } from './format.ts';
import messages from './messages.ts';
import { mostWatched, timelineSpec } from './specs.ts';

export function VideoTimelineCard({ video, row }: { video: string; row: VideoRow | undefined }) {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const timeline = useVideoTimelineQuery({ courseId, ...range, video });
  const data = timeline.data;
  const name = row ? (row.name ?? intl.formatMessage(messages.untitled)) : video;
  const title = intl.formatMessage(messages.timelineTitle, { name });
  const clock = (seconds: number) => formatClock(intl, seconds);
  const count = (value: unknown) => formatCount(intl, value as number);

  if (data && data.seconds.length === 0) return <UnknownDurationCard title={title} />;
  const peak = mostWatched(data);
  return (
    <ChartCard
      title={title}
      info={intl.formatMessage(messages.timelineInfo)}
      status={queryStatus(timeline)}
      isEmpty={!!data && !peak}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={
        data
          ? timelineSpec(
              data,
              {
                time: intl.formatMessage(messages.timeAxis),
                second: intl.formatMessage(messages.second),
                views: intl.formatMessage(messages.views),
                viewers: intl.formatMessage(messages.viewers),
                repeats: intl.formatMessage(messages.repeats),
                viewsAxis: intl.formatMessage(messages.viewsAxis),
                end: intl.formatMessage(messages.end),
              },
              clock,
            )
          : undefined
      }
      description={intl.formatMessage(messages.timelineDescription, {
        name,
        second: clock(peak?.s ?? 0),
        viewers: peak?.viewers ?? 0,
      })}
      columns={[
        { key: 's', label: intl.formatMessage(messages.second), format: (v) => clock(v as number) },
        { key: 'viewers', label: intl.formatMessage(messages.viewers), format: count },
        { key: 'views', label: intl.formatMessage(messages.views), format: count },
        { key: 'repeats', label: intl.formatMessage(messages.repeats), format: count },
      ]}
      rows={(data?.seconds ?? []) as never}
      csvUrl={csvUrl(coursePath(courseId, `/videos/${encodeURIComponent(video)}/timeline`), range)}
      fileName="video-timeline"
    />
  );
}

function UnknownDurationCard({ title }: { title: string }) {
  const intl = useIntl();
  return (
    <Card className="mb-4 stats-chart-card">
      <Card.Header
        title={<h2 className="h4 mb-0">{title}</h2>}
        actions={
          <InfoPopover subject={title}>{intl.formatMessage(messages.timelineInfo)}</InfoPopover>
        }
      />
      <Card.Section>
        <Alert variant="info">{intl.formatMessage(messages.timelineUnknown)}</Alert>
      </Card.Section>
    </Card>
  );
}
