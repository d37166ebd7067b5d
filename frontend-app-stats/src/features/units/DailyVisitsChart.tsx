// A heat strip of unit visits per day and section (x the day, y the section in course order).
import { useMemo } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import {
  coursePath,
  csvUrl,
  queryStatus,
  useStructureQuery,
  useVisitsDailyQuery,
} from '../../api/statsApi.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { formatCount, formatDay } from '../../common/format.ts';
import { useCourse } from '../course/index.ts';
import messages from './messages.ts';
import { dailySpec, sectionsOf, top } from './specs.ts';

export function DailyVisitsChart() {
  const intl = useIntl();
  const { courseId, range, setRange, wholeRun } = useCourse();
  const daily = useVisitsDailyQuery({ courseId, ...range, group: 'chapter' });
  // The section names come from the structure the course layout has already loaded.
  const structure = useStructureQuery(courseId);
  const rows = useMemo(() => daily.data ?? [], [daily.data]);
  const sections = useMemo(
    () => sectionsOf(rows, new Map((structure.data?.chapters ?? []).map((c) => [c.id, c]))),
    [rows, structure.data],
  );
  const sectionName = new Map(sections.map((section) => [section.id, section.name]));
  const busiest = top(rows, (row) => row.visits);

  return (
    <ChartCard
      title={intl.formatMessage(messages.dailyTitle)}
      info={intl.formatMessage(messages.dailyInfo)}
      status={queryStatus(daily)}
      isEmpty={!!daily.data && rows.every((row) => row.visits === 0)}
      range={range}
      onWholeRun={() => setRange(wholeRun)}
      spec={
        daily.data
          ? dailySpec(rows, sections, {
              date: intl.formatMessage(messages.date),
              section: intl.formatMessage(messages.section),
              visits: intl.formatMessage(messages.visits),
            })
          : undefined
      }
      description={
        busiest
          ? intl.formatMessage(messages.dailyDescription, {
              name: sectionName.get(busiest.id) ?? busiest.id,
              date: formatDay(intl, busiest.date),
              visits: busiest.visits,
            })
          : ''
      }
      columns={[
        {
          key: 'date',
          label: intl.formatMessage(messages.date),
          format: (v) => formatDay(intl, v as string),
        },
        {
          key: 'id',
          label: intl.formatMessage(messages.section),
          format: (v) => sectionName.get(v as string) ?? String(v),
        },
        {
          key: 'visits',
          label: intl.formatMessage(messages.visits),
          format: (v) => formatCount(intl, v as number),
        },
      ]}
      rows={rows as never}
      csvUrl={csvUrl(coursePath(courseId, '/visits/daily'), { ...range, group: 'chapter' })}
      fileName="visits-per-section-per-day"
    />
  );
}
