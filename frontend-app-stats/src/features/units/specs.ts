// The vega-lite specifications of the units page's charts, and the few numbers they derive from
// the API's rows. Titles arrive already translated; rows keep the API's course order (`order`).
import type { VisualizationSpec } from 'vega-embed';
import type { UnitGroupRow, VisitsDailyRow } from '@course-stats/db/types';
import { ROW_LABEL_LIMIT, TOP_LEGEND } from '../../charts/layout.ts';
import type { UnitMetric } from './metric.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const frame = {
  $schema: SCHEMA,
  width: 'container',
  autosize: { type: 'fit', contains: 'padding' },
} as const;

/** `1.2.3 Unit name`, as the course outline labels it (the id when the block has neither). */
export function blockName(row: Pick<UnitGroupRow, 'id' | 'label' | 'name'>): string {
  return [row.label, row.name].filter(Boolean).join(' ') || row.id;
}

/** Completers over the course's active learners; null when nobody was active. */
export function completionShare(row: UnitGroupRow, activeLearners: number | undefined) {
  return activeLearners ? row.completed_learners / activeLearners : null;
}

/** The row with the largest value (the first one in course order on a tie). */
export function top<T>(rows: readonly T[], value: (row: T) => number | null): T | undefined {
  let best: T | undefined;
  let bestValue = -Infinity;
  for (const row of rows) {
    const v = value(row);
    if (v !== null && v > bestValue) {
      best = row;
      bestValue = v;
    }
  }
  return best;
}

/** The rows the mean-time chart draws: those with learners who spent time there. */
export function rowsWithLearners(rows: readonly UnitGroupRow[]): UnitGroupRow[] {
  return rows.filter((row) => row.learners_with_time > 0 && row.mean_time_s !== null);
}

const nameAxis = {
  field: 'name',
  type: 'nominal',
  sort: { field: 'order' },
  // no axis title: the chart's title says what the bars are
  title: null,
  axis: { labelLimit: ROW_LABEL_LIMIT },
} as const;

export interface UnitsTitles {
  name: string;
  hours: string;
  learnersWithTime: string;
  visits: string;
  visitors: string;
  visitsAxis: string;
  completed: string;
  completion: string;
}

/** One horizontal bar per unit (or subsection, section), in course order, for one metric. */
export function unitsSpec(
  rows: readonly UnitGroupRow[],
  metric: UnitMetric,
  activeLearners: number | undefined,
  titles: UnitsTitles,
): VisualizationSpec {
  const values = rows.map((row, order) => ({
    order,
    name: blockName(row),
    hours: row.time_s / 3600,
    learners_with_time: row.learners_with_time,
    visits: row.visits,
    visitors: row.visitors,
    completed_learners: row.completed_learners,
    completion: completionShare(row, activeLearners),
  }));
  const name = { field: 'name', type: 'nominal', title: titles.name } as const;
  if (metric === 'visits') {
    const tooltip = [
      name,
      { field: 'visits', type: 'quantitative', title: titles.visits },
      { field: 'visitors', type: 'quantitative', title: titles.visitors },
    ];
    return {
      ...frame,
      height: { step: 22 },
      data: { values },
      encoding: { y: nameAxis },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'visits', type: 'quantitative', title: titles.visitsAxis },
            // a datum colour names the mark in the legend, in the theme's first colour
            color: { datum: titles.visits, legend: TOP_LEGEND },
            tooltip,
          },
        },
        {
          mark: { type: 'tick', thickness: 3, tooltip: true },
          encoding: {
            x: { field: 'visitors', type: 'quantitative' },
            color: { datum: titles.visitors },
            tooltip,
          },
        },
      ],
    } as VisualizationSpec;
  }
  const [field, title, format, extra] =
    metric === 'time'
      ? ([
          'hours',
          titles.hours,
          ',.2f',
          { field: 'learners_with_time', title: titles.learnersWithTime },
        ] as const)
      : ([
          'completion',
          titles.completion,
          '.1%',
          { field: 'completed_learners', title: titles.completed },
        ] as const);
  return {
    ...frame,
    height: { step: 22 },
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: nameAxis,
      x: {
        field,
        type: 'quantitative',
        title,
        ...(metric === 'completion' ? { axis: { format: '.0%' } } : {}),
      },
      tooltip: [
        name,
        { field, type: 'quantitative', title, format },
        { ...extra, type: 'quantitative' },
      ],
    },
  } as VisualizationSpec;
}

/** Mean time per learner in minutes, with a whisker of one SD either side (clamped at 0). */
export function meanSpec(
  rows: readonly UnitGroupRow[],
  titles: { name: string; mean: string; sd: string; learnersWithTime: string },
): VisualizationSpec {
  const values = rows.map((row, order) => {
    const mean = (row.mean_time_s ?? 0) / 60;
    const sd = (row.sd_time_s ?? 0) / 60;
    return {
      order,
      name: blockName(row),
      mean,
      sd,
      low: Math.max(0, mean - sd),
      high: mean + sd,
      learners_with_time: row.learners_with_time,
    };
  });
  const tooltip = [
    { field: 'name', type: 'nominal', title: titles.name },
    { field: 'mean', type: 'quantitative', title: titles.mean, format: ',.1f' },
    { field: 'sd', type: 'quantitative', title: titles.sd, format: ',.1f' },
    { field: 'learners_with_time', type: 'quantitative', title: titles.learnersWithTime },
  ];
  return {
    ...frame,
    height: { step: 22 },
    data: { values },
    encoding: { y: nameAxis },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'mean', type: 'quantitative', title: titles.mean },
          color: { datum: titles.mean, legend: TOP_LEGEND },
          tooltip,
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, tooltip: true },
        encoding: {
          x: { field: 'low', type: 'quantitative' },
          x2: { field: 'high' },
          color: { datum: titles.sd },
          tooltip,
        },
      },
    ],
  } as VisualizationSpec;
}

export interface Section {
  id: string;
  name: string;
}

/**
 * Daily visits per section: x the day, y the section in course order, colour the visits
 * (vega-lite's sequential ramp for heat maps, which the theme's config may replace).
 */
export function dailySpec(
  rows: readonly VisitsDailyRow[],
  sections: readonly Section[],
  titles: { date: string; section: string; visits: string },
): VisualizationSpec {
  const order = new Map(sections.map((section, i) => [section.id, i]));
  const names = new Map(sections.map((section) => [section.id, section.name]));
  const values = rows.map((row) => ({
    date: row.date,
    order: order.get(row.id) ?? sections.length,
    section: names.get(row.id) ?? row.id,
    visits: row.visits,
  }));
  return {
    ...frame,
    height: { step: 22 },
    data: { values },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: {
        field: 'date',
        type: 'ordinal',
        timeUnit: 'yearmonthdate',
        title: titles.date,
        axis: { format: '%b %d', labelAngle: 0, labelOverlap: true },
      },
      y: { field: 'section', type: 'nominal', sort: { field: 'order' }, title: null },
      color: { field: 'visits', type: 'quantitative', title: titles.visits },
      tooltip: [
        { field: 'date', type: 'temporal', timeUnit: 'yearmonthdate', title: titles.date },
        { field: 'section', type: 'nominal', title: titles.section },
        { field: 'visits', type: 'quantitative', title: titles.visits },
      ],
    },
  } as VisualizationSpec;
}

/** The sections of the daily visits in course order (the API's order within a day). */
export function sectionsOf(
  rows: readonly VisitsDailyRow[],
  named: ReadonlyMap<string, Pick<UnitGroupRow, 'id' | 'label' | 'name'>>,
): Section[] {
  const seen = new Map<string, Section>();
  for (const row of rows) {
    if (!seen.has(row.id)) {
      const block = named.get(row.id);
      seen.set(row.id, { id: row.id, name: block ? blockName(block) : row.id });
    }
  }
  return [...seen.values()];
}
