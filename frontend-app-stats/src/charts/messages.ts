import { defineMessages } from '@edx/frontend-platform/i18n';

export default defineMessages({
  actions: {
    id: 'stats.chart.actions',
    defaultMessage: 'Chart actions',
    description: 'Label of the menu with download actions of a chart',
  },
  downloadCsv: {
    id: 'stats.chart.downloadCsv',
    defaultMessage: 'Download CSV',
    description: 'Menu item: download the chart data as a CSV file',
  },
  downloadPng: {
    id: 'stats.chart.downloadPng',
    defaultMessage: 'Download PNG',
    description: 'Menu item: download the chart as a PNG picture',
  },
  downloadSvg: {
    id: 'stats.chart.downloadSvg',
    defaultMessage: 'Download SVG',
    description: 'Menu item: download the chart as an SVG picture',
  },
  showTable: {
    id: 'stats.chart.showTable',
    defaultMessage: 'Show as table',
    description: 'Toggle that shows the numbers of a chart as a table',
  },
  showChart: {
    id: 'stats.chart.showChart',
    defaultMessage: 'Show as chart',
    description: 'Toggle that shows a chart again instead of its table',
  },
  loading: {
    id: 'stats.chart.loading',
    defaultMessage: 'Loading…',
    description: 'Screen-reader text while a chart or table loads',
  },
  empty: {
    id: 'stats.chart.empty',
    defaultMessage: 'No data from {from} to {to}.',
    description: 'Shown instead of a chart when the chosen date range has no data',
  },
  wholeRun: {
    id: 'stats.chart.wholeRun',
    defaultMessage: 'Show the whole run',
    description: 'Button under an empty chart that widens the range to the whole course run',
  },
  error: {
    id: 'stats.chart.error',
    defaultMessage: 'These numbers could not be loaded: {reason}',
    description: 'Shown instead of a chart when loading failed; reason is the server message',
  },
  retry: {
    id: 'stats.chart.retry',
    defaultMessage: 'Retry',
    description: 'Button that loads a failed chart again',
  },
  downloadFailed: {
    id: 'stats.chart.downloadFailed',
    defaultMessage: 'The download failed: {reason}',
    description: 'Shown when a CSV download failed',
  },
});
