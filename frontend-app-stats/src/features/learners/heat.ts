// The sequential colour scale of the learner grid: 0 is white, then a few steps of equal width
// up to the largest value, each darker shade of the theme's primary colour (read from Paragon's
// CSS variables, as the charts do). Steps rather than a continuous ramp so that the legend can
// say in words what each shade means.

export type Rgb = readonly [number, number, number];

export interface HeatStep {
  /** The largest value of the step (the step holds values above the previous step's `high`). */
  high: number;
  background: string;
  /** Black or white, whichever reads better on the background. */
  foreground: string;
}

export interface HeatScale {
  /** The first step is 0 alone. */
  steps: HeatStep[];
  stepOf: (value: number) => HeatStep;
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
/** Okabe–Ito blue, the charts' fallback too. */
export const FALLBACK_BASE: Rgb = [0, 114, 178];

/**
 * @param max the largest value shown (the scale's top)
 * @param integer whether values are counts: steps then end on whole numbers
 */
export function heatScale(
  max: number,
  { integer = false, base = FALLBACK_BASE, steps = 4 } = {},
): HeatScale {
  const top = Math.max(0, max);
  const count = integer ? Math.min(steps, Math.ceil(top)) : top > 0 ? steps : 0;
  const highs = Array.from({ length: count }, (_, i) =>
    integer ? Math.ceil((top * (i + 1)) / count) : (top * (i + 1)) / count,
  );
  const shades: HeatStep[] = [
    shade(WHITE, 0),
    ...highs.map((high, i) => ({ ...shade(base, 0.3 + (0.7 * (i + 1)) / count), high })),
  ];
  return {
    steps: shades,
    stepOf: (value) =>
      shades.find((step, i) => (i === 0 ? value <= 0 : value <= step.high)) ?? shades.at(-1)!,
  };
}

function shade(base: Rgb, strength: number): HeatStep {
  const mix = (i: 0 | 1 | 2) => Math.round(WHITE[i] + (base[i] - WHITE[i]) * strength);
  const rgb: Rgb = [mix(0), mix(1), mix(2)];
  const foreground =
    contrast(rgb, BLACK) >= contrast(rgb, WHITE) ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)';
  return { high: 0, background: css(rgb), foreground };
}

const css = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;

/** WCAG relative luminance and contrast ratio. */
function luminance(rgb: Rgb): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `#rgb`, `#rrggbb` or `rgb(r, g, b)`; undefined for anything else. */
export function parseColor(text: string | undefined): Rgb | undefined {
  const value = text?.trim() ?? '';
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    const channel = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return [channel(0), channel(2), channel(4)];
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(value);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return undefined;
}

/** The theme's primary colour, else the fallback. */
export function themeBase(): Rgb {
  const style = getComputedStyle(document.documentElement);
  return parseColor(style.getPropertyValue('--pgn-color-primary-base')) ?? FALLBACK_BASE;
}
