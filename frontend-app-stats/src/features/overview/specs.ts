// The vega-lite specifications of the overview's charts. Titles and axis names arrive already
// translated; the data is the API's answer as it is.
import type { VisualizationSpec } from 'vega-embed';
import type { OverviewDay, UnitGroupRow } from '@course-stats/db/types';

export function dailySpec(
  series: OverviewDay[],
  line: 'time' | 'visits',
  titles: { date: string; active: string; line: string },
): VisualizationSpec {
  const values = series.map((day) => ({ ...day, hours: day.time_s / 3600 }));
  const lineField = line === 'time' ? 'hours' : 'visits';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 260,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    encoding: {
      x: { field: 'date', type: 'temporal', timeUnit: 'yearmonthdate', title: titles.date },
    },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.8, tooltip: true },
        encoding: {
          y: { field: 'active_learners', type: 'quantitative', title: titles.active },
          tooltip: [
            { field: 'date', type: 'temporal', title: titles.date },
            { field: 'active_learners', type: 'quantitative', title: titles.active },
            { field: lineField, type: 'quantitative', title: titles.line, format: ',.1f' },
          ],
        },
      },
      {
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          y: {
            field: lineField,
            type: 'quantitative',
            title: titles.line,
            axis: { orient: 'right' },
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  } as VisualizationSpec;
}

export function whereSpec(
  rows: UnitGroupRow[],
  titles: { block: string; visits: string },
): VisualizationSpec {
  const values = rows.map((row, order) => ({
    order,
    name: [row.label, row.name].filter(Boolean).join(' '),
    visits: row.visits,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: { step: 22 },
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: {
        field: 'name',
        type: 'nominal',
        sort: { field: 'order' },
        // no axis title: the chart's title says what the bars are
        title: null,
        axis: { labelLimit: 280 },
      },
      x: { field: 'visits', type: 'quantitative', title: titles.visits },
      tooltip: [
        { field: 'name', type: 'nominal', title: titles.block },
        { field: 'visits', type: 'quantitative', title: titles.visits },
      ],
    },
  } as VisualizationSpec;
}
