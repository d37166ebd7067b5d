// `/courses/:courseId/learners` (ui.md "Learners"): every learner of the course as a table
// (searchable, sortable, paged by the API) or as a learner × unit grid, with the CSV of all rows.
// Search, sort, page, view and the grid's metric and grouping live in the URL.
import { useEffect, useState } from 'react';
import { useIntl } from '@edx/frontend-platform/i18n';
import { Button, ButtonGroup, Card } from '@openedx/paragon';
import { Download } from '@openedx/paragon/icons';
import type { LearnerSort, Matrix, MatrixGroup, MatrixMetric } from '@course-stats/db/types';
import {
  coursePath,
  csvUrl,
  queryStatus,
  useLearnersQuery,
  useMatrixQuery,
  useStructureQuery,
} from '../../api/statsApi.ts';
import { downloadCsv } from '../../charts/download.ts';
import { useDownloads } from '../../charts/useDownloads.tsx';
import chartMessages from '../../charts/messages.ts';
import { InfoPopover } from '../../common/InfoPopover.tsx';
import { InlineSelect } from '../../common/InlineSelect.tsx';
import { formatDay } from '../../common/format.ts';
import { GroupSwitch, useCourse, useGroup } from '../course/index.ts';
import { blockNames } from './blocks.ts';
import { LearnersGrid, METRIC_LABELS } from './LearnersGrid.tsx';
import { LearnersTable } from './LearnersTable.tsx';
import { ListPager } from './ListPager.tsx';
import { ListStatus } from './ListStatus.tsx';
import { firstOrder, PAGE_SIZE, useListState, type ListState } from './listState.ts';
import messages from './messages.ts';
import { SearchBox } from './SearchBox.tsx';

const GROUPS: readonly MatrixGroup[] = ['unit', 'sequential', 'chapter'];

export function LearnersPage() {
  const intl = useIntl();
  const { courseId, range } = useCourse();
  const [state, update] = useListState();
  const [group, setGroup] = useGroup('unit');
  const { run, failure } = useDownloads();
  const grid = state.view === 'grid';

  const download = () => {
    const q = state.q || undefined;
    const url = grid
      ? csvUrl(coursePath(courseId, '/matrix'), { ...range, metric: state.metric, group, q })
      : csvUrl(coursePath(courseId, '/learners'), {
          ...range,
          q,
          sort: state.sort,
          order: state.order,
        });
    const name = grid ? `${state.metric}-per-${group}.csv` : 'learners.csv';
    run(() => downloadCsv(url, name));
  };

  return (
    <Card className="mb-4">
      <Card.Header
        title={
          <h2 className="h4 mb-0">
            {intl.formatMessage(grid ? messages.gridTitle : messages.title)}
          </h2>
        }
        actions={<ViewSwitch view={state.view} onChange={(view) => update({ view })} />}
      />
      <Card.Section>
        <div className="d-flex flex-wrap align-items-end mb-3">
          <SearchBox value={state.q} onSearch={(q) => update({ q }, { replace: true })} />
          {grid && (
            <div className="d-flex flex-wrap align-items-center mb-2">
              <InlineSelect<MatrixMetric>
                id="grid-metric"
                label={intl.formatMessage(messages.gridMetric)}
                value={state.metric}
                options={(['time', 'visits', 'completion'] as const).map((metric) => ({
                  value: metric,
                  label: intl.formatMessage(METRIC_LABELS[metric]),
                }))}
                onChange={(metric) => update({ metric, page: state.page })}
              />
              <GroupSwitch value={group} options={GROUPS} onChange={setGroup} />
              <InfoPopover subject={intl.formatMessage(messages.viewGrid)}>
                {intl.formatMessage(messages.gridInfo, { date: formatDay(intl, range.to) })}
              </InfoPopover>
            </div>
          )}
          <Button
            variant="outline-primary"
            className="ml-auto mb-2"
            iconBefore={Download}
            onClick={download}
          >
            {intl.formatMessage(chartMessages.downloadCsv)}
          </Button>
        </div>
        {failure}
        {grid ? (
          <GridView state={state} update={update} group={group} />
        ) : (
          <TableView state={state} update={update} />
        )}
      </Card.Section>
    </Card>
  );
}

function ViewSwitch({
  view,
  onChange,
}: {
  view: ListState['view'];
  onChange: (view: ListState['view']) => void;
}) {
  const intl = useIntl();
  return (
    <ButtonGroup role="group" aria-label={intl.formatMessage(messages.view)}>
      {(['table', 'grid'] as const).map((option) => (
        <Button
          key={option}
          size="sm"
          variant={view === option ? 'primary' : 'outline-primary'}
          aria-pressed={view === option}
          onClick={() => onChange(option)}
        >
          {intl.formatMessage(option === 'table' ? messages.viewTable : messages.viewGrid)}
        </Button>
      ))}
    </ButtonGroup>
  );
}

interface ViewProps {
  state: ListState;
  update: ReturnType<typeof useListState>[1];
}

function TableView({ state, update }: ViewProps) {
  const { courseId, range, setRange, wholeRun } = useCourse();
  const learners = useLearnersQuery({
    courseId,
    ...range,
    q: state.q || undefined,
    sort: state.sort,
    order: state.order,
    page: state.page,
    pageSize: PAGE_SIZE,
  });
  const data = learners.data;
  const sortBy = (column: LearnerSort) =>
    update({
      sort: column,
      order: column === state.sort ? (state.order === 'asc' ? 'desc' : 'asc') : firstOrder(column),
    });
  return (
    <ListStatus
      status={queryStatus(learners)}
      total={data?.total}
      shown={data?.rows.length ?? 0}
      q={state.q}
      to={range.to}
      onWholeRun={() => setRange(wholeRun)}
      onFirstPage={() => update({ page: 1 })}
    >
      <div aria-busy={learners.isFetching}>
        <LearnersTable rows={data?.rows ?? []} state={state} range={range} onSort={sortBy} />
        <ListPager page={state.page} total={data?.total ?? 0} onPage={(page) => update({ page })} />
      </div>
    </ListStatus>
  );
}

function GridView({ state, update, group }: ViewProps & { group: MatrixGroup }) {
  const { courseId, range, setRange, wholeRun } = useCourse();
  const structure = useStructureQuery(courseId);
  const matrix = useMatrixQuery({
    courseId,
    ...range,
    metric: state.metric,
    group,
    q: state.q || undefined,
    page: state.page,
    pageSize: PAGE_SIZE,
  });
  // While another metric or grouping loads, the cells shown keep the labels they were asked with.
  const [shown, setShown] = useState<{ data: Matrix; metric: MatrixMetric; group: MatrixGroup }>();
  const { currentData } = matrix;
  useEffect(() => {
    if (currentData) setShown({ data: currentData, metric: state.metric, group });
  }, [currentData, state.metric, group]);
  const status = queryStatus(matrix);
  return (
    <ListStatus
      status={{ ...status, isLoading: !shown && !status.error }}
      total={shown?.data.total}
      shown={shown?.data.rows.length ?? 0}
      q={state.q}
      to={range.to}
      onWholeRun={() => setRange(wholeRun)}
      onFirstPage={() => update({ page: 1 })}
    >
      {shown && (
        <div aria-busy={matrix.isFetching}>
          <LearnersGrid
            matrix={shown.data}
            metric={shown.metric}
            group={shown.group}
            names={blockNames(structure.data)}
            range={range}
          />
          <ListPager
            page={state.page}
            total={shown.data.total}
            onPage={(page) => update({ page })}
          />
        </div>
      )}
    </ListStatus>
  );
}
