// "Their units": the learner's time on each unit, in course order, beside the course mean (the
// API gives the mean per unit, not the median).
import { useIntl } from '@edx/frontend-platform/i18n';
import type { LearnerDetail, UnitRow } from '@course-stats/db/types';
import { queryStatus, useStructureQuery, useUnitsQuery } from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { formatCount, formatDuration } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import { blockNames, blockTitle } from './blocks.ts';
import messages from './messages.ts';
import { learnerUnitsSpec, type LearnerUnitPoint } from './specs.ts';

export function LearnerUnitsChart({
  learner,
  username,
}: {
  learner: LearnerDetail;
  username: string;
}) {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const structure = useStructureQuery(courseId);
  const units = useUnitsQuery({ courseId, ...range, group: 'unit' });
  const courseUnits = new Map((units.data as UnitRow[] | undefined)?.map((u) => [u.id, u]));
  const names = blockNames(structure.data);
  const points: LearnerUnitPoint[] = learner.units.map((unit, order) => {
    const name = blockTitle(unit.id, names.get(unit.id));
    const mean = courseUnits.get(unit.id)?.mean_time_s ?? null;
    return {
      order,
      name,
      label: names.get(unit.id)?.label ?? name,
      time_s: unit.time_s,
      mean_time_s: mean,
      time_text: formatDuration(intl, unit.time_s),
      mean_text: formatDuration(intl, mean),
      visits: unit.visits,
      completed_components: unit.completed_components,
    };
  });
  const spent = points.filter((point) => point.time_s > 0);
  const most = spent.reduce<LearnerUnitPoint | undefined>(
    (best, point) => (point.time_s > (best?.time_s ?? -1) ? point : best),
    undefined,
  );
  const status = queryStatus(units);
  const series = {
    learner: intl.formatMessage(messages.thisLearner),
    mean: intl.formatMessage(messages.courseMean),
  };

  return (
    <ChartCard
      title={intl.formatMessage(messages.unitsTitle, { username })}
      info={intl.formatMessage(messages.unitsInfo)}
      status={{ ...status, isLoading: status.isLoading || structure.isLoading }}
      isEmpty={spent.length === 0}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={
        units.data
          ? learnerUnitsSpec(points, {
              ...series,
              unit: intl.formatMessage(messages.unit),
              minutes: intl.formatMessage(messages.minutes),
              visits: intl.formatMessage(messages.visits),
              completed: intl.formatMessage(messages.completedComponents),
            })
          : undefined
      }
      description={intl.formatMessage(messages.unitsDescription, {
        username,
        spent: formatCount(intl, spent.length),
        total: formatCount(intl, points.length),
        unit: most?.name ?? '',
        time: formatDuration(intl, most?.time_s),
        mean: formatDuration(intl, most?.mean_time_s),
      })}
      columns={[
        { key: 'name', label: intl.formatMessage(messages.unit) },
        { key: 'time_text', label: series.learner },
        { key: 'mean_text', label: series.mean },
        {
          key: 'visits',
          label: intl.formatMessage(messages.visits),
          format: (v) => formatCount(intl, v as number),
        },
        {
          key: 'completed_components',
          label: intl.formatMessage(messages.completedComponents),
          format: (v) => formatCount(intl, v as number),
        },
      ]}
      rows={points as never}
      fileName={`units-of-${username}`}
    />
  );
}
