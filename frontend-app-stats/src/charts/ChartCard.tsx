// A chart as course staff meet it (ui.md "Every chart"): the question as title, what it counts
// behind (i), the chart or its numbers as a table, CSV/PNG/SVG downloads, and the loading (a
// skeleton of the chart's size), empty (with "whole run") and error (with "retry") states.
import { lazy, Suspense, useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Card, Dropdown, Icon, IconButton, Skeleton } from '@openedx/paragon';
import { MoreVert } from '@openedx/paragon/icons';
import type { Result, VisualizationSpec } from 'vega-embed';
import type { QueryStatus } from '../api/statsApi.ts';
import { InfoPopover } from '../common/InfoPopover.tsx';
import { ScrollRegion } from '../common/ScrollRegion.tsx';
import { EmptyRangeState, ErrorState, LoadingState } from '../common/QueryStates.tsx';
import { useDownloads } from './useDownloads.tsx';
import { downloadCsv, downloadPicture } from './download.ts';
import messages from './messages.ts';

const VegaChart = lazy(() => import('./VegaChart.tsx'));

export interface TableColumn {
  key: string;
  label: string;
  format?: (value: unknown) => string;
}

export interface ChartCardProps {
  /** The question the chart answers ("Where do learners spend their time?"). */
  title: string;
  info: React.ReactNode;
  status: QueryStatus;
  isEmpty: boolean;
  range: { from: string; to: string };
  onWholeRun?: () => void;
  spec?: VisualizationSpec;
  /** One sentence with the main numbers: the chart's text alternative. */
  description: string;
  columns: TableColumn[];
  rows: Record<string, unknown>[];
  /** The API's CSV of these numbers. */
  csvUrl?: string;
  /** File names without extension. */
  fileName: string;
  height?: number;
  /** Controls shown beside the title (a metric switch...). */
  controls?: React.ReactNode;
}

export function ChartCard(props: ChartCardProps) {
  const intl = useIntl();
  const [asTable, setAsTable] = useState(false);
  const [view, setView] = useState<Result['view']>();
  const { status, isEmpty, height = 280 } = props;

  const { run, failure } = useDownloads();

  return (
    <Card className="mb-4 stats-chart-card">
      <Card.Header
        title={<h2 className="h4 mb-0">{props.title}</h2>}
        actions={
          <div className="d-flex flex-wrap align-items-center">
            {props.controls}
            <InfoPopover subject={props.title}>{props.info}</InfoPopover>
            <Dropdown>
              <Dropdown.Toggle
                as={IconButton}
                src={MoreVert}
                iconAs={Icon}
                variant="primary"
                alt={intl.formatMessage(messages.actions)}
                id={`${props.fileName}-actions`}
              />
              <Dropdown.Menu>
                <Dropdown.Item
                  onClick={() => setAsTable((shown) => !shown)}
                  disabled={status.isLoading || !!status.error}
                >
                  {intl.formatMessage(asTable ? messages.showChart : messages.showTable)}
                </Dropdown.Item>
                {props.csvUrl && (
                  <Dropdown.Item
                    onClick={() => run(() => downloadCsv(props.csvUrl!, `${props.fileName}.csv`))}
                  >
                    {intl.formatMessage(messages.downloadCsv)}
                  </Dropdown.Item>
                )}
                {(['png', 'svg'] as const).map((type) => (
                  <Dropdown.Item
                    key={type}
                    disabled={!view || asTable}
                    onClick={() => run(() => downloadPicture(view!, type, props.fileName))}
                  >
                    {intl.formatMessage(
                      type === 'png' ? messages.downloadPng : messages.downloadSvg,
                    )}
                  </Dropdown.Item>
                ))}
              </Dropdown.Menu>
            </Dropdown>
          </div>
        }
      />
      <Card.Section>
        {failure}
        <ChartBody
          {...props}
          asTable={asTable}
          height={height}
          onView={setView}
          isEmpty={isEmpty}
        />
      </Card.Section>
    </Card>
  );
}

function ChartBody(
  props: ChartCardProps & {
    asTable: boolean;
    height: number;
    onView: (view: Result['view']) => void;
  },
) {
  const { status, range } = props;
  if (status.isLoading) return <LoadingState height={props.height} />;
  if (status.error) return <ErrorState status={status} />;
  if (props.isEmpty) return <EmptyRangeState range={range} onWholeRun={props.onWholeRun} />;
  if (props.asTable || !props.spec) return <NumbersTable {...props} />;
  return (
    <Suspense fallback={<Skeleton height={props.height} />}>
      <VegaChart spec={props.spec} description={props.description} onView={props.onView} />
    </Suspense>
  );
}

/** The chart's numbers, for screen readers and for those who prefer them. */
export function NumbersTable({
  title,
  columns,
  rows,
}: Pick<ChartCardProps, 'title' | 'columns' | 'rows'>) {
  return (
    // Paragon's table styles (its CSS has no Bootstrap `.table`): padding, stripes, scrolling.
    <ScrollRegion label={title}>
      <table className="pgn__data-table is-striped">
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => (
                <td key={column.key}>
                  {column.format ? column.format(row[column.key]) : String(row[column.key] ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
