// The one component that draws a vega-lite chart. Loaded on demand (charts/index.ts), so that
// pages without charts never download vega.
import { useIntl } from '@edx/frontend-platform/i18n';
import { VegaEmbed } from 'react-vega';
import type { Result, VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { vegaLocales } from './locale.ts';

export interface VegaChartProps {
  spec: VisualizationSpec;
  /** The chart's text alternative, read by screen readers instead of the drawing. */
  description: string;
  onView?: (view: Result['view']) => void;
}

export default function VegaChart({ spec, description, onView }: VegaChartProps) {
  const { locale } = useIntl();
  return (
    <VegaEmbed
      role="img"
      aria-label={description}
      className="stats-chart w-100"
      spec={{ ...spec, description } as VisualizationSpec}
      options={{
        actions: false,
        renderer: 'svg',
        config: chartConfig(),
        ...vegaLocales(locale),
        // vega's expressions interpreted rather than compiled with `new Function`: the charts
        // work under a Content-Security-Policy without 'unsafe-eval' (nginx/)
        ast: true,
        expr: expressionInterpreter,
      }}
      onEmbed={(result) => onView?.(result.view)}
    />
  );
}

/**
 * Colours from the Paragon theme (its CSS variables) where it has them, else a colour-blind-safe
 * categorical palette (Okabe–Ito).
 */
function chartConfig() {
  const style = getComputedStyle(document.documentElement);
  const brand = (name: string) => style.getPropertyValue(name).trim() || undefined;
  const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
  const primary = brand('--pgn-color-primary-base') ?? palette[0]!;
  const secondary = brand('--pgn-color-brand-base') ?? palette[1]!;
  return {
    range: { category: [primary, secondary, ...palette.slice(2)] },
    bar: { color: primary },
    area: { color: primary },
    line: { color: secondary },
    point: { color: secondary },
    // The page's font by name: vega measures labels with it ('inherit' measures another font,
    // and long axis labels came out clipped).
    font: getComputedStyle(document.body).fontFamily || 'sans-serif',
    axis: { labelFontSize: 12, titleFontSize: 12 },
    legend: { labelFontSize: 12, titleFontSize: 12 },
    view: { stroke: null },
  };
}
