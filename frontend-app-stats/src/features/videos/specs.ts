// The vega-lite specification of a video's timeline. Titles arrive already translated, and
// `clock` writes a second as the user reads it (m:ss); the data is the API's answer as it is.
import type { VisualizationSpec } from 'vega-embed';
import type { VideoTimeline } from '@course-stats/db/types';

export interface TimelineTitles {
  time: string;
  second: string;
  views: string;
  viewers: string;
  repeats: string;
  viewsAxis: string;
  end: string;
}

/** A second as m:ss inside vega (axis labels), matching `formatClock`. */
const CLOCK_EXPR =
  "floor(datum.value / 60) + ':' + (datum.value % 60 < 10 ? '0' : '') + floor(datum.value % 60)";

export function timelineSpec(
  timeline: VideoTimeline,
  titles: TimelineTitles,
  clock: (seconds: number) => string,
): VisualizationSpec {
  const seconds = timeline.seconds.map((second) => ({ ...second, clock: clock(second.s) }));
  // Viewers at the bottom, repeats stacked above: their sum is the views of the second.
  const stacked = timeline.seconds.flatMap((second) => [
    { s: second.s, series: titles.viewers, order: 0, count: second.viewers },
    { s: second.s, series: titles.repeats, order: 1, count: second.repeats },
  ]);
  const end = timeline.duration ?? timeline.seconds.length;
  const x = {
    field: 's',
    type: 'quantitative',
    title: titles.time,
    scale: { domain: [0, Math.max(end, timeline.seconds.length)], nice: false },
    axis: { labelExpr: CLOCK_EXPR, tickMinStep: 1 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 260,
    autosize: { type: 'fit', contains: 'padding' },
    layer: [
      {
        data: { values: stacked },
        mark: { type: 'area', interpolate: 'step-after', opacity: 0.85 },
        encoding: {
          x,
          y: { field: 'count', type: 'quantitative', stack: 'zero', title: titles.viewsAxis },
          color: {
            field: 'series',
            type: 'nominal',
            sort: [titles.viewers, titles.repeats],
            title: null,
            legend: { orient: 'top' },
          },
          order: { field: 'order' },
        },
      },
      {
        // An invisible rule per second that shows itself and the exact numbers under the pointer.
        data: { values: seconds },
        params: [
          {
            name: 'hover',
            select: {
              type: 'point',
              fields: ['s'],
              nearest: true,
              on: 'pointerover',
              clear: 'pointerout',
            },
          },
        ],
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x,
          opacity: { condition: { param: 'hover', empty: false, value: 0.5 }, value: 0 },
          tooltip: [
            { field: 'clock', type: 'nominal', title: titles.second },
            { field: 'viewers', type: 'quantitative', title: titles.viewers },
            { field: 'views', type: 'quantitative', title: titles.views },
            { field: 'repeats', type: 'quantitative', title: titles.repeats },
          ],
        },
      },
      {
        data: { values: [{ s: end, clock: clock(end) }] },
        mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: {
          x,
          tooltip: [{ field: 'clock', type: 'nominal', title: titles.end }],
        },
      },
    ],
  } as VisualizationSpec;
}

/** The second most learners watched (the first of equals), or undefined when nobody watched. */
export function mostWatched(timeline: VideoTimeline | undefined) {
  return timeline?.seconds.reduce<VideoTimeline['seconds'][number] | undefined>(
    (best, second) => (second.viewers > (best?.viewers ?? 0) ? second : best),
    undefined,
  );
}
