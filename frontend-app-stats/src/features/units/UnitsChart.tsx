// The bar per unit (or subsection, section) in course order, for the metric the URL names.
import { useIntl, type IntlShape } from '@edx/frontend-platform/i18n';
import type { UnitGroupRow } from '@course-stats/db/types';
import {
  coursePath,
  csvUrl,
  queryStatus,
  useOverviewQuery,
  useUnitsQuery,
  type QueryStatus,
} from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { InlineSelect } from '../../common/InlineSelect.tsx';
import { formatCount, formatDuration, formatShare } from '../../common/format.ts';
import { GroupSwitch, useCourse, useGroup } from '../course/index.ts';
import { useMetric, type UnitMetric } from './metric.ts';
import messages from './messages.ts';
import { blockName, completionShare, top, unitsSpec } from './specs.ts';

export function UnitsChart() {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const [group, setGroup] = useGroup('unit');
  const [metric, setMetric] = useMetric();
  const units = useUnitsQuery({ courseId, ...range, group });
  // The completion's denominator: the course's active learners in the range.
  const overview = useOverviewQuery({ courseId, ...range });
  const active = overview.data?.active_learners;
  const rows: UnitGroupRow[] = units.data ?? [];
  const value = metricValue(metric, active);
  const status =
    metric === 'completion'
      ? bothStatus(queryStatus(units), queryStatus(overview))
      : queryStatus(units);
  const text = METRIC_TEXT[metric];
  const spec = units.data
    ? unitsSpec(rows, metric, active, {
        name: intl.formatMessage(messages.name),
        hours: intl.formatMessage(messages.hours),
        learnersWithTime: intl.formatMessage(messages.learnersWithTime),
        visits: intl.formatMessage(messages.visits),
        visitors: intl.formatMessage(messages.visitors),
        visitsAxis: intl.formatMessage(messages.visitsAxis),
        completed: intl.formatMessage(messages.completed),
        completion: intl.formatMessage(messages.completion),
      })
    : undefined;
  const count = (v: unknown) => formatCount(intl, v as number);

  return (
    <ChartCard
      title={intl.formatMessage(text.title)}
      info={intl.formatMessage(text.info, { active: formatCount(intl, active) })}
      status={status}
      isEmpty={!!units.data && rows.every((row) => !value(row))}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={spec}
      description={textAlternative(intl, metric, rows, active)}
      columns={[
        { key: 'label', label: intl.formatMessage(messages.label) },
        { key: 'name', label: intl.formatMessage(messages.name) },
        {
          key: 'time_s',
          label: intl.formatMessage(messages.time),
          format: (v) => formatDuration(intl, v as number),
        },
        {
          key: 'learners_with_time',
          label: intl.formatMessage(messages.learnersWithTime),
          format: count,
        },
        { key: 'visits', label: intl.formatMessage(messages.visits), format: count },
        { key: 'visitors', label: intl.formatMessage(messages.visitors), format: count },
        { key: 'completed_learners', label: intl.formatMessage(messages.completed), format: count },
        {
          key: 'completion',
          label: intl.formatMessage(messages.completion),
          format: (v) => formatShare(intl, v as number | null, 1),
        },
      ]}
      rows={rows.map((row) => ({ ...row, completion: completionShare(row, active) }))}
      csvUrl={csvUrl(coursePath(courseId, '/units'), { ...range, group })}
      fileName={`${metric}-per-${group}`}
      controls={
        <>
          <InlineSelect
            id="units-metric"
            label={intl.formatMessage(messages.metric)}
            value={metric}
            options={[
              { value: 'time', label: intl.formatMessage(messages.metricTime) },
              { value: 'visits', label: intl.formatMessage(messages.metricVisits) },
              { value: 'completion', label: intl.formatMessage(messages.metricCompletion) },
            ]}
            onChange={setMetric}
          />
          <GroupSwitch
            value={group}
            options={['unit', 'sequential', 'chapter']}
            onChange={setGroup}
          />
        </>
      }
    />
  );
}

const METRIC_TEXT = {
  time: { title: messages.timeTitle, info: messages.timeInfo },
  visits: { title: messages.visitsTitle, info: messages.visitsInfo },
  completion: { title: messages.completionTitle, info: messages.completionInfo },
} as const;

function metricValue(metric: UnitMetric, active: number | undefined) {
  return (row: UnitGroupRow): number | null => {
    if (metric === 'time') return row.time_s;
    if (metric === 'visits') return row.visits;
    return completionShare(row, active);
  };
}

/** The chart's text alternative: the part of the course first for the metric, and its numbers. */
function textAlternative(
  intl: IntlShape,
  metric: UnitMetric,
  rows: readonly UnitGroupRow[],
  active: number | undefined,
): string {
  const best = top(rows, metricValue(metric, active));
  if (!best) return '';
  const name = blockName(best);
  if (metric === 'time') {
    return intl.formatMessage(messages.timeDescription, {
      name,
      time: formatDuration(intl, best.time_s),
      learners: best.learners_with_time,
    });
  }
  if (metric === 'visits') {
    return intl.formatMessage(messages.visitsDescription, {
      name,
      visits: best.visits,
      visitors: best.visitors,
    });
  }
  return intl.formatMessage(messages.completionDescription, {
    name,
    completed: best.completed_learners,
    share: formatShare(intl, completionShare(best, active), 1),
    active: formatCount(intl, active),
  });
}

/** Loading while either query loads, failed when either failed; retry retries both. */
function bothStatus(a: QueryStatus, b: QueryStatus): QueryStatus {
  return {
    isLoading: a.isLoading || b.isLoading,
    error: a.error ?? b.error,
    refetch: () => {
      if (a.error) a.refetch();
      if (b.error) b.refetch();
    },
  };
}
