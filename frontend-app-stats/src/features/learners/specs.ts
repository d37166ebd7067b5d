// The vega-lite specifications of a learner's charts. Titles and series names arrive already
// translated, durations already formatted for the tooltips; each row carries its course order
// (`order`) so that the axis keeps it.
import type { VisualizationSpec } from 'vega-embed';
import { ROW_LABEL_LIMIT, TOP_LEGEND } from '../../charts/layout.ts';

export interface LearnerUnitPoint {
  order: number;
  /** "1.2.3 Unit name". */
  name: string;
  /** The axis label ("1.2.3"). */
  label: string;
  time_s: number;
  mean_time_s: number | null;
  /** The two times as people read them ("12 min"). */
  time_text: string;
  mean_text: string;
  visits: number;
  completed_components: number;
}

export interface LearnerVideoPoint {
  order: number;
  name: string;
  coverage: number | null;
  mean_coverage: number | null;
}

interface SeriesTitles {
  learner: string;
  mean: string;
}

/** Two marks per row: the learner's bar and the course mean's tick, sharing one legend. */
function learnerAndMean<T extends object>(
  titles: SeriesTitles,
  values: T[],
  value: (row: T, series: 'learner' | 'mean') => number | null,
) {
  return values.flatMap((row) => [
    { ...row, series: titles.learner, value: value(row, 'learner') },
    { ...row, series: titles.mean, value: value(row, 'mean') },
  ]);
}

function layers(titles: SeriesTitles) {
  return [
    {
      transform: [{ filter: { field: 'series', equal: titles.learner } }],
      mark: { type: 'bar', tooltip: true },
    },
    {
      transform: [{ filter: { field: 'series', equal: titles.mean } }],
      mark: { type: 'tick', thickness: 3, tooltip: true },
    },
  ];
}

/** Coloured from the theme's categorical range (VegaChart's config). */
const seriesColor = (titles: SeriesTitles) => ({
  field: 'series',
  type: 'nominal',
  scale: { domain: [titles.learner, titles.mean] },
  legend: { ...TOP_LEGEND, columnPadding: 16 },
});

/** The learner's minutes per unit (bars) against the course mean (ticks), in course order. */
export function learnerUnitsSpec(
  units: LearnerUnitPoint[],
  titles: SeriesTitles & { unit: string; minutes: string; visits: string; completed: string },
): VisualizationSpec {
  const values = learnerAndMean(titles, units, (row, series) => {
    const seconds = series === 'learner' ? row.time_s : row.mean_time_s;
    return seconds === null ? null : seconds / 60;
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 240,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        // the two layers' domains are unioned, which only keeps a min/max sort
        sort: { field: 'order', op: 'min' },
        title: titles.unit,
        axis: { labelAngle: -45, labelOverlap: 'greedy' },
      },
      y: { field: 'value', type: 'quantitative', title: titles.minutes },
      color: seriesColor(titles),
      tooltip: [
        { field: 'name', type: 'nominal', title: titles.unit },
        { field: 'time_text', type: 'nominal', title: titles.learner },
        { field: 'mean_text', type: 'nominal', title: titles.mean },
        { field: 'visits', type: 'quantitative', title: titles.visits },
        { field: 'completed_components', type: 'quantitative', title: titles.completed },
      ],
    },
    layer: layers(titles),
  } as VisualizationSpec;
}

/** The share of each video the learner watched (bars) against the course mean (ticks). */
export function learnerVideosSpec(
  videos: LearnerVideoPoint[],
  titles: SeriesTitles & { video: string; coverage: string },
): VisualizationSpec {
  const values = learnerAndMean(titles, videos, (row, series) =>
    series === 'learner' ? row.coverage : row.mean_coverage,
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    // a row per video (a discrete step would not fit the container)
    height: Math.max(80, videos.length * 24),
    autosize: { type: 'fit', contains: 'padding' },
    data: { values },
    encoding: {
      y: {
        field: 'name',
        type: 'nominal',
        // the two layers' domains are unioned, which only keeps a min/max sort
        sort: { field: 'order', op: 'min' },
        // no axis title: the chart's title says what the rows are
        title: null,
        axis: { labelLimit: ROW_LABEL_LIMIT },
      },
      x: {
        field: 'value',
        type: 'quantitative',
        title: titles.coverage,
        scale: { domain: [0, 1] },
        axis: { format: '.0%' },
      },
      color: seriesColor(titles),
      tooltip: [
        { field: 'name', type: 'nominal', title: titles.video },
        { field: 'coverage', type: 'quantitative', title: titles.learner, format: '.0%' },
        { field: 'mean_coverage', type: 'quantitative', title: titles.mean, format: '.0%' },
      ],
    },
    layer: layers(titles),
  } as VisualizationSpec;
}
