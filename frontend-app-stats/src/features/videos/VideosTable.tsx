// The course's videos as a sortable table (ui.md "Videos"): what each counts behind (i), the
// API's CSV, ChartCard's loading / empty / error states, and a button per row that opens the
// video's timeline.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Button, Card, Icon } from '@openedx/paragon';
import { ArrowDropDown, ArrowDropUp, ArrowDropUpDown, Download } from '@openedx/paragon/icons';
import type { VideoRow } from '@course-stats/db/types';
import { coursePath, csvUrl, type QueryStatus } from '../../api/statsApi.ts';
import { downloadCsv } from '../../charts/download.ts';
import { useDownloads } from '../../charts/useDownloads.tsx';
import chartMessages from '../../charts/messages.ts';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatCount, formatMessages, formatShare } from '../../common/format.ts';
import { EmptyRangeState, ErrorState, InfoState, LoadingState } from '../../common/QueryStates.tsx';
import { useCourse } from '../course/index.ts';
import { formatClock } from './format.ts';
import messages from './messages.ts';
import { useVideoSort } from './selection.ts';
import {
  nextSort,
  sortLines,
  videoLines,
  type VideoColumn,
  type VideoLine,
  type VideoSort,
} from './sorting.ts';

export interface VideosCardProps {
  status: QueryStatus;
  rows: VideoRow[] | undefined;
  selected: string | undefined;
  onSelect: (video: string) => void;
}

export function VideosCard(props: VideosCardProps) {
  const intl = useIntl();
  const { courseId, range } = useCourse();
  const { run, failure } = useDownloads();
  const title = intl.formatMessage(messages.tableTitle);
  const download = () =>
    run(() => downloadCsv(csvUrl(coursePath(courseId, '/videos'), range), 'videos.csv'));
  return (
    <Card className="mb-4 stats-videos">
      <Card.Header
        title={<h2 className="h4 mb-0">{title}</h2>}
        actions={
          <div className="d-flex flex-wrap align-items-center">
            <InfoPopover subject={title}>{intl.formatMessage(messages.tableInfo)}</InfoPopover>
            <Button
              variant="outline-primary"
              size="sm"
              className="ml-2"
              iconBefore={Download}
              onClick={download}
            >
              {intl.formatMessage(chartMessages.downloadCsv)}
            </Button>
          </div>
        }
      />
      <Card.Section>
        {failure}
        <VideosBody {...props} title={title} />
      </Card.Section>
    </Card>
  );
}

function VideosBody({
  status,
  rows,
  title,
  selected,
  onSelect,
}: VideosCardProps & { title: string }) {
  const intl = useIntl();
  const { range, setRange, wholeRun } = useCourse();
  if (status.isLoading) return <LoadingState height={240} />;
  if (status.error || !rows) return <ErrorState status={status} />;
  if (rows.length === 0) return <InfoState message={intl.formatMessage(messages.noVideos)} />;
  if (rows.every((row) => row.views === 0)) {
    return <EmptyRangeState range={range} onWholeRun={() => setRange(wholeRun)} />;
  }
  return <VideosTable title={title} rows={rows} selected={selected} onSelect={onSelect} />;
}

type Message = (typeof messages)[keyof typeof messages];

interface Column {
  key: VideoColumn;
  label: Message;
  info?: Message;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'position', label: messages.position },
  { key: 'name', label: messages.name },
  { key: 'duration', label: messages.duration, info: messages.durationInfo, numeric: true },
  { key: 'views', label: messages.views, info: messages.viewsInfo, numeric: true },
  { key: 'viewers', label: messages.viewers, info: messages.viewersInfo, numeric: true },
  { key: 'watch_s', label: messages.minutes, info: messages.minutesInfo, numeric: true },
  { key: 'completed', label: messages.completed, info: messages.completedInfo, numeric: true },
];

function VideosTable({
  title,
  rows,
  selected,
  onSelect,
}: {
  title: string;
  rows: VideoRow[];
  selected: string | undefined;
  onSelect: (video: string) => void;
}) {
  const intl = useIntl();
  const [sort, setSort] = useVideoSort();
  const lines = sortLines(videoLines(rows), sort, intl.locale);
  return (
    // Paragon's table styles (its CSS has no Bootstrap `.table`): padding, stripes, scrolling.
    <div className="pgn__data-table-container">
      <table className="pgn__data-table is-striped">
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <SortableHeader
                key={column.key}
                column={column}
                sort={sort}
                onSort={() => setSort(nextSort(sort, column.key))}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <VideoRowLine
              key={line.id}
              line={line}
              isSelected={line.id === selected}
              onSelect={onSelect}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortableHeader({
  column,
  sort,
  onSort,
}: {
  column: Column;
  sort: VideoSort;
  onSort: () => void;
}) {
  const intl = useIntl();
  const label = intl.formatMessage(column.label);
  const isSorted = sort.column === column.key;
  const ariaSort = isSorted ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined;
  const icon = isSorted ? (sort.order === 'asc' ? ArrowDropUp : ArrowDropDown) : ArrowDropUpDown;
  return (
    <th scope="col" aria-sort={ariaSort} className="text-nowrap align-middle">
      <span
        className={`d-inline-flex align-items-center${column.numeric ? ' justify-content-end w-100' : ''}`}
      >
        <Button
          variant="link"
          size="sm"
          className="p-0 font-weight-bold text-reset text-nowrap"
          onClick={onSort}
        >
          {label}
          <Icon src={icon} size="sm" className="d-inline-block align-middle" />
        </Button>
        {column.info && (
          <InfoPopover subject={label}>{intl.formatMessage(column.info)}</InfoPopover>
        )}
      </span>
    </th>
  );
}

function VideoRowLine({
  line,
  isSelected,
  onSelect,
}: {
  line: VideoLine;
  isSelected: boolean;
  onSelect: (video: string) => void;
}) {
  const intl = useIntl();
  const count = (value: number) => formatCount(intl, value);
  return (
    <tr className={isSelected ? 'is-selected' : undefined}>
      <td>{line.label ?? intl.formatMessage(formatMessages.none)}</td>
      <th scope="row" className="font-weight-normal bg-transparent">
        <Button
          variant="link"
          size="sm"
          className="p-0 text-left"
          aria-pressed={isSelected}
          onClick={() => onSelect(line.id)}
        >
          {line.name ?? intl.formatMessage(messages.untitled)}
        </Button>
      </th>
      <td className="text-right">
        {line.duration === null
          ? intl.formatMessage(messages.unknownDuration)
          : formatClock(intl, line.duration)}
      </td>
      <td className="text-right">{count(line.views)}</td>
      <td className="text-right">{count(line.viewers)}</td>
      <td className="text-right">{count(line.watch_s / 60)}</td>
      <td className="text-right">{formatShare(intl, line.completed)}</td>
    </tr>
  );
}
