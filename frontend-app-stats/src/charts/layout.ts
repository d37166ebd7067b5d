// Parts of a chart that follow the width of the screen, read when the chart is drawn: on a phone,
// row labels leave room for the bars and legend entries go one under another. (vega's
// `windowSize()`: its `containerSize()` is read before the chart's box is laid out, and the row
// labels then overflowed the room the layout had left them.)

/** Row labels (unit, video names) cut at 40% of the screen's width, between 80 and 280 px. */
export const ROW_LABEL_LIMIT = { expr: 'clamp(windowSize()[0] * 0.4, 80, 280)' };

/**
 * A legend above the plot, its entries side by side, or one per line on a phone. It starts where
 * the plot starts (after the row labels): its labels are cut to the room left there.
 */
export const TOP_LEGEND = {
  title: null,
  orient: 'top',
  labelLimit: { expr: 'windowSize()[0] * 0.6 - 100' },
  columns: { expr: 'windowSize()[0] < 576 ? 1 : 0' },
} as const;
