// The course overview (ui.md "Overview"): five numbers, the days, and where learners go.
import { useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Card } from '@openedx/paragon';
import type { UnitGroupRow } from '@course-stats/db/types';
import {
  coursePath,
  csvUrl,
  queryStatus,
  useOverviewQuery,
  useUnitsQuery,
} from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { InlineSelect } from '../../common/InlineSelect.tsx';
import { formatCount, formatDay, formatDuration } from '../../common/format.ts';
import { GroupSwitch, useCourse, useGroup } from '../course/index.ts';
import { dailySpec, whereSpec } from './specs.ts';
import messages from './messages.ts';

export function OverviewPage() {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const overview = useOverviewQuery({ courseId, ...range });
  const [line, setLine] = useState<'time' | 'visits'>('time');
  const [group, setGroup] = useGroup('chapter');
  const where = useUnitsQuery({ courseId, ...range, group: group === 'unit' ? 'chapter' : group });
  const data = overview.data;
  const series = data?.series ?? [];
  const busiest = series.reduce(
    (best, day) => (day.active_learners > (best?.active_learners ?? -1) ? day : best),
    series[0],
  );
  const lineTitle = intl.formatMessage(line === 'time' ? messages.hours : messages.visits);
  const whereRows = (where.data ?? []) as UnitGroupRow[];
  const mostVisited = whereRows.reduce<UnitGroupRow | undefined>(
    (best, row) => (row.visits > (best?.visits ?? -1) ? row : best),
    undefined,
  );

  return (
    <>
      <StatCards overview={data} isLoading={overview.isLoading} />
      <ChartCard
        title={intl.formatMessage(messages.dailyTitle)}
        info={intl.formatMessage(messages.dailyInfo)}
        status={queryStatus(overview)}
        isEmpty={!!data && data.active_learners === 0}
        range={range}
        onWholeRun={() => setRange(wholeRun)}
        spec={
          data
            ? dailySpec(series, line, {
                date: intl.formatMessage(messages.date),
                active: intl.formatMessage(messages.activeLearners),
                line: lineTitle,
              })
            : undefined
        }
        description={intl.formatMessage(messages.dailyDescription, {
          from: formatDay(intl, range.from),
          to: formatDay(intl, range.to),
          active: formatCount(intl, data?.active_learners),
          time: formatDuration(intl, data?.time_s),
          busiest: formatDay(intl, busiest?.date),
        })}
        columns={[
          {
            key: 'date',
            label: intl.formatMessage(messages.date),
            format: (v) => formatDay(intl, v as string),
          },
          {
            key: 'active_learners',
            label: intl.formatMessage(messages.activeLearners),
            format: (v) => formatCount(intl, v as number),
          },
          {
            key: 'time_s',
            label: intl.formatMessage(messages.time),
            format: (v) => formatDuration(intl, v as number),
          },
          {
            key: 'visits',
            label: intl.formatMessage(messages.visits),
            format: (v) => formatCount(intl, v as number),
          },
          {
            key: 'video_watch_s',
            label: intl.formatMessage(messages.videoMinutes),
            format: (v) => formatDuration(intl, v as number),
          },
        ]}
        rows={series as never}
        csvUrl={csvUrl(coursePath(courseId, '/overview'), range)}
        fileName="daily-activity"
        controls={
          <InlineSelect
            id="daily-line"
            label={intl.formatMessage(messages.lineMetric)}
            value={line}
            options={[
              { value: 'time', label: intl.formatMessage(messages.showTime) },
              { value: 'visits', label: intl.formatMessage(messages.showVisits) },
            ]}
            onChange={setLine}
          />
        }
      />
      <ChartCard
        title={intl.formatMessage(messages.whereTitle)}
        info={intl.formatMessage(messages.whereInfo)}
        status={queryStatus(where)}
        isEmpty={!!where.data && whereRows.every((row) => row.visits === 0)}
        range={range}
        onWholeRun={() => setRange(wholeRun)}
        spec={
          where.data
            ? whereSpec(whereRows, {
                block: intl.formatMessage(messages.block),
                visits: intl.formatMessage(messages.visits),
              })
            : undefined
        }
        description={intl.formatMessage(messages.whereDescription, {
          name: [mostVisited?.label, mostVisited?.name].filter(Boolean).join(' '),
          visits: formatCount(intl, mostVisited?.visits),
        })}
        columns={[
          { key: 'label', label: '#' },
          { key: 'name', label: intl.formatMessage(messages.block) },
          {
            key: 'visits',
            label: intl.formatMessage(messages.visits),
            format: (v) => formatCount(intl, v as number),
          },
        ]}
        rows={whereRows as never}
        csvUrl={csvUrl(coursePath(courseId, '/units'), {
          ...range,
          group: group === 'unit' ? 'chapter' : group,
        })}
        fileName={`visits-per-${group}`}
        controls={
          <GroupSwitch
            value={group === 'unit' ? 'chapter' : group}
            options={['chapter', 'sequential']}
            onChange={setGroup}
          />
        }
      />
    </>
  );
}

function StatCards({
  overview,
  isLoading,
}: {
  overview: ReturnType<typeof useOverviewQuery>['data'];
  isLoading: boolean;
}) {
  const intl = useIntl();
  const cards = [
    {
      title: messages.activeLearners,
      info: messages.activeLearnersInfo,
      value: formatCount(intl, overview?.active_learners),
    },
    {
      title: messages.enrolled,
      info: messages.enrolledInfo,
      value: formatCount(intl, overview?.enrolled_learners),
    },
    {
      title: messages.time,
      info: messages.timeInfo,
      value: formatDuration(intl, overview?.time_s),
    },
    {
      title: messages.visits,
      info: messages.visitsInfo,
      value: formatCount(intl, overview?.visits),
    },
    {
      title: messages.videoMinutes,
      info: messages.videoMinutesInfo,
      value: formatDuration(intl, overview?.video_watch_s),
    },
  ];
  return (
    <ul className="row list-unstyled mb-2" aria-busy={isLoading}>
      {cards.map((card) => (
        <li key={card.title.id} className="col-12 col-sm-6 col-lg mb-3">
          <Card className="h-100">
            <Card.Section>
              <div className="d-flex justify-content-between align-items-start">
                <h2 className="h5 mb-1">{intl.formatMessage(card.title)}</h2>
                <InfoPopover subject={intl.formatMessage(card.title)}>
                  {intl.formatMessage(card.info)}
                </InfoPopover>
              </div>
              <p className="h3 mb-0" data-testid={`stat-${card.title.id}`}>
                {isLoading ? '…' : card.value}
              </p>
            </Card.Section>
          </Card>
        </li>
      ))}
    </ul>
  );
}
