// One page of the learners list as a table: sortable by any column (the API sorts), each
// username a link to the learner's page, at-risk learners marked with a badge.
import { useIntl } from '@edx/frontend-platform/i18n';
import { Badge, Button } from '@openedx/paragon';
import { ArrowDropDown, ArrowDropUp, ArrowDropUpDown } from '@openedx/paragon/icons';
import { Link, useLocation } from 'react-router-dom';
import type { LearnerRow, LearnerSort } from '@course-stats/db/types';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { formatCount, formatDate, formatDay, formatDuration } from '../../common/format.ts';
import type { ListState } from './listState.ts';
import messages from './messages.ts';

type MessageDescriptor = (typeof messages)[keyof typeof messages];

type Column = {
  key: LearnerSort;
  label: MessageDescriptor;
  numeric?: boolean;
};

const COLUMNS: Column[] = [
  { key: 'username', label: messages.username },
  { key: 'time_s', label: messages.time, numeric: true },
  { key: 'sessions', label: messages.sessions, numeric: true },
  { key: 'visits', label: messages.visits, numeric: true },
  { key: 'units_visited', label: messages.unitsVisited, numeric: true },
  { key: 'units_completed', label: messages.unitsCompleted, numeric: true },
  { key: 'videos_completed', label: messages.videosCompleted, numeric: true },
  { key: 'last_active', label: messages.lastActive },
  { key: 'at_risk', label: messages.atRisk },
];

export interface LearnersTableProps {
  rows: LearnerRow[];
  state: Pick<ListState, 'sort' | 'order'>;
  range: { from: string; to: string };
  onSort: (column: LearnerSort) => void;
}

export function LearnersTable({ rows, state, range, onSort }: LearnersTableProps) {
  const intl = useIntl();
  const sorted = COLUMNS.find((column) => column.key === state.sort) ?? COLUMNS[1]!;
  return (
    // Paragon's table styles (its CSS has no Bootstrap `.table`): padding, stripes, scrolling.
    <div className="pgn__data-table-container mb-2">
      <table className="pgn__data-table is-striped">
        <caption className="sr-only">
          {intl.formatMessage(
            state.order === 'asc' ? messages.sortedAscending : messages.sortedDescending,
            {
              from: formatDay(intl, range.from),
              to: formatDay(intl, range.to),
              column: intl.formatMessage(sorted.label),
            },
          )}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <SortHeader
                key={column.key}
                column={column}
                state={state}
                onSort={onSort}
                info={
                  column.key === 'at_risk' ? (
                    <InfoPopover subject={intl.formatMessage(messages.atRisk)}>
                      {intl.formatMessage(messages.atRiskInfo, { date: formatDay(intl, range.to) })}
                    </InfoPopover>
                  ) : undefined
                }
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <LearnerTableRow key={row.username ?? `#${i}`} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SortHeader({
  column,
  state,
  onSort,
  info,
}: {
  column: Column;
  state: LearnersTableProps['state'];
  onSort: (column: LearnerSort) => void;
  info?: React.ReactNode;
}) {
  const intl = useIntl();
  const active = state.sort === column.key;
  const direction = state.order === 'asc' ? 'ascending' : 'descending';
  return (
    <th
      scope="col"
      aria-sort={active ? direction : 'none'}
      className={column.numeric ? 'text-right' : undefined}
    >
      <span className="d-inline-flex align-items-center">
        <Button
          variant="link"
          size="sm"
          className="p-0 text-nowrap font-weight-bold"
          iconAfter={
            active ? (state.order === 'asc' ? ArrowDropUp : ArrowDropDown) : ArrowDropUpDown
          }
          onClick={() => onSort(column.key)}
        >
          {intl.formatMessage(column.label)}
        </Button>
        {info}
      </span>
    </th>
  );
}

function LearnerTableRow({ row }: { row: LearnerRow }) {
  const intl = useIntl();
  const { search } = useLocation();
  return (
    <tr>
      <th scope="row" className="font-weight-normal bg-transparent">
        {row.username ? (
          <Link to={{ pathname: encodeURIComponent(row.username), search }}>{row.username}</Link>
        ) : (
          intl.formatMessage(messages.noUsername)
        )}
      </th>
      <td className="text-right text-nowrap">{formatDuration(intl, row.time_s)}</td>
      <td className="text-right">{formatCount(intl, row.sessions)}</td>
      <td className="text-right">{formatCount(intl, row.visits)}</td>
      <td className="text-right">{formatCount(intl, row.units_visited)}</td>
      <td className="text-right">{formatCount(intl, row.units_completed)}</td>
      <td className="text-right">{formatCount(intl, row.videos_completed)}</td>
      <td className="text-nowrap">{formatDate(intl, row.last_active)}</td>
      <td>
        {row.at_risk && <Badge variant="warning">{intl.formatMessage(messages.atRisk)}</Badge>}
      </td>
    </tr>
  );
}
