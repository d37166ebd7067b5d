// One page of learners × units (or subsections, sections) as a table whose cells are coloured by
// their value; the first column (the learner) stays in view while the table scrolls sideways.
import { useMemo } from 'react';
import { useIntl, type IntlShape } from '@edx/frontend-platform/i18n';
import { Link, useLocation } from 'react-router-dom';
import type { Matrix, MatrixGroup, MatrixMetric } from '@course-stats/db/types';
import { formatCount, formatDay, formatDuration, formatShare } from '../../common/format.ts';
import { ScrollRegion } from '../../common/ScrollRegion.tsx';
import { blockTitle, type BlockName } from './blocks.ts';
import { heatScale, themeBase, type HeatScale } from './heat.ts';
import { HeatLegend } from './HeatLegend.tsx';
import messages from './messages.ts';

const NAMED_COLUMNS = 8;
const STICKY: React.CSSProperties = { position: 'sticky', left: 0, zIndex: 1 };

const LEVELS = {
  unit: messages.levelUnit,
  sequential: messages.levelSequential,
  chapter: messages.levelChapter,
} as const;

export const METRIC_LABELS = {
  time: messages.time,
  visits: messages.visits,
  completion: messages.completion,
} as const;

/** A cell's value as people read it: a duration, a count or a percentage. */
export function formatMetric(intl: IntlShape, metric: MatrixMetric, value: number): string {
  if (metric === 'time') return formatDuration(intl, value);
  if (metric === 'visits') return formatCount(intl, value);
  return formatShare(intl, value);
}

export interface LearnersGridProps {
  matrix: Matrix;
  metric: MatrixMetric;
  group: MatrixGroup;
  names: Map<string, BlockName>;
  range: { from: string; to: string };
}

export function LearnersGrid({ matrix, metric, group, names, range }: LearnersGridProps) {
  const intl = useIntl();
  const scale = useMemo(() => {
    const max =
      metric === 'completion' ? 1 : Math.max(0, ...matrix.rows.flatMap((row) => row.values));
    return { max, heat: heatScale(max, { integer: metric === 'visits', base: themeBase() }) };
  }, [matrix, metric]);
  const format = (value: number) => formatMetric(intl, metric, value);
  const titles = matrix.columns.map((id) => blockTitle(id, names.get(id)));
  // A few columns (sections) have room for their names; many (units) show labels, names on hover.
  const named = matrix.columns.length <= NAMED_COLUMNS;

  const caption = intl.formatMessage(messages.gridCaption, {
    metric: intl.formatMessage(METRIC_LABELS[metric]),
    level: intl.formatMessage(LEVELS[group]),
    from: formatDay(intl, range.from),
    to: formatDay(intl, range.to),
  });

  return (
    <>
      <ScrollRegion label={caption} className="mb-2">
        <table className="pgn__data-table small">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="bg-white" style={STICKY}>
                {intl.formatMessage(messages.learner)}
              </th>
              {matrix.columns.map((id, i) => (
                <th key={id} scope="col" className="text-nowrap text-center">
                  {named ? (
                    titles[i]
                  ) : (
                    <abbr title={titles[i]}>{names.get(id)?.label ?? titles[i]}</abbr>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row, r) => (
              <GridRow
                key={row.username ?? `#${r}`}
                username={row.username}
                values={row.values}
                titles={titles}
                heat={scale.heat}
                format={format}
              />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <HeatLegend scale={scale.heat} max={format(scale.max)} format={format} />
    </>
  );
}

function GridRow({
  username,
  values,
  titles,
  heat,
  format,
}: {
  username: string | null;
  values: number[];
  titles: string[];
  heat: HeatScale;
  format: (value: number) => string;
}) {
  const intl = useIntl();
  const { search } = useLocation();
  const name = username ?? intl.formatMessage(messages.noUsername);
  return (
    <tr>
      <th scope="row" className="bg-white font-weight-normal text-nowrap" style={STICKY}>
        {username ? (
          <Link to={{ pathname: encodeURIComponent(username), search }}>{username}</Link>
        ) : (
          name
        )}
      </th>
      {values.map((value, i) => {
        const step = heat.stepOf(value);
        return (
          <td
            key={i}
            className="text-center text-nowrap"
            style={{ background: step.background, color: step.foreground }}
            title={intl.formatMessage(messages.cellTitle, {
              username: name,
              block: titles[i] ?? '',
              value: format(value),
            })}
          >
            {/* zeros stay white and silent on screen: the hot cells stand out */}
            {value === 0 ? <span className="sr-only">{format(value)}</span> : format(value)}
          </td>
        );
      })}
    </tr>
  );
}
