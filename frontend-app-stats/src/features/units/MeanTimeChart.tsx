// Mean time per learner on each unit (or subsection, section), with SD whiskers, in course order.
import { useIntl } from '@edx/frontend-platform/i18n';
import type { UnitGroupRow } from '@course-stats/db/types';
import { coursePath, csvUrl, queryStatus, useUnitsQuery } from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { formatCount, formatDuration } from '../../common/format.ts';
import { useCourse, useGroup } from '../course/index.ts';
import messages from './messages.ts';
import { blockName, meanSpec, rowsWithLearners, top } from './specs.ts';

export function MeanTimeChart() {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const [group] = useGroup('unit');
  const units = useUnitsQuery({ courseId, ...range, group });
  const rows: UnitGroupRow[] = units.data ?? [];
  const drawn = rowsWithLearners(rows);
  const longest = top(drawn, (row) => row.mean_time_s);
  const duration = (v: unknown) => formatDuration(intl, v as number | null);

  return (
    <ChartCard
      title={intl.formatMessage(messages.meanTitle)}
      info={intl.formatMessage(messages.meanInfo)}
      status={queryStatus(units)}
      isEmpty={!!units.data && drawn.length === 0}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={
        units.data
          ? meanSpec(drawn, {
              name: intl.formatMessage(messages.name),
              mean: intl.formatMessage(messages.meanMinutes),
              sd: intl.formatMessage(messages.sdMinutes),
              learnersWithTime: intl.formatMessage(messages.learnersWithTime),
            })
          : undefined
      }
      description={
        longest
          ? intl.formatMessage(messages.meanDescription, {
              name: blockName(longest),
              mean: formatDuration(intl, longest.mean_time_s),
              learners: longest.learners_with_time,
            })
          : ''
      }
      columns={[
        { key: 'label', label: intl.formatMessage(messages.label) },
        { key: 'name', label: intl.formatMessage(messages.name) },
        {
          key: 'learners_with_time',
          label: intl.formatMessage(messages.learnersWithTime),
          format: (v) => formatCount(intl, v as number),
        },
        { key: 'mean_time_s', label: intl.formatMessage(messages.mean), format: duration },
        { key: 'sd_time_s', label: intl.formatMessage(messages.sd), format: duration },
      ]}
      rows={rows as never}
      csvUrl={csvUrl(coursePath(courseId, '/units'), { ...range, group })}
      fileName={`mean-time-per-${group}`}
    />
  );
}
