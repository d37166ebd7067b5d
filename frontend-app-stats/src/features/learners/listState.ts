// What the learners page shows, kept in the URL query so that a link gives the same page:
// `q`, `sort`, `order`, `page`, `view` (table / grid) and `metric` (of the grid). Values equal to
// the API's defaults are left out of the URL.
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { LearnerSort, MatrixMetric, SortOrder } from '@course-stats/db/types';

/** The API's sort columns; typed so that the build fails when they change there. */
const SORT_COLUMNS: Record<LearnerSort, true> = {
  user_id: true,
  username: true,
  time_s: true,
  sessions: true,
  visits: true,
  units_visited: true,
  units_completed: true,
  videos_completed: true,
  first_active: true,
  last_active: true,
  active_days: true,
  at_risk: true,
};

export const PAGE_SIZE = 50;

export interface ListState {
  q: string;
  sort: LearnerSort;
  order: SortOrder;
  page: number;
  view: 'table' | 'grid';
  metric: MatrixMetric;
}

export const DEFAULT_STATE: ListState = {
  q: '',
  sort: 'time_s',
  order: 'desc',
  page: 1,
  view: 'table',
  metric: 'time',
};

const METRICS: readonly MatrixMetric[] = ['time', 'visits', 'completion'];

export function parseListState(search: URLSearchParams): ListState {
  const sort = search.get('sort') as LearnerSort | null;
  const order = search.get('order');
  const page = Number(search.get('page'));
  const metric = search.get('metric') as MatrixMetric | null;
  return {
    q: search.get('q') ?? '',
    sort: sort && Object.hasOwn(SORT_COLUMNS, sort) ? sort : DEFAULT_STATE.sort,
    order: order === 'asc' || order === 'desc' ? order : DEFAULT_STATE.order,
    page: Number.isInteger(page) && page > 0 ? page : DEFAULT_STATE.page,
    view: search.get('view') === 'grid' ? 'grid' : 'table',
    metric: metric && METRICS.includes(metric) ? metric : DEFAULT_STATE.metric,
  };
}

/** The query with `changes` applied; any change but the page itself goes back to page 1. */
export function withListState(search: URLSearchParams, changes: Partial<ListState>) {
  const next = { ...parseListState(search), page: 1, ...changes };
  const updated = new URLSearchParams(search);
  for (const key of Object.keys(DEFAULT_STATE) as (keyof ListState)[]) {
    if (next[key] === DEFAULT_STATE[key]) updated.delete(key);
    else updated.set(key, String(next[key]));
  }
  return updated;
}

/** The order a column is first sorted in: names A→Z, numbers and dates highest first. */
export function firstOrder(column: LearnerSort): SortOrder {
  return column === 'username' ? 'asc' : 'desc';
}

export function useListState(): [
  ListState,
  (changes: Partial<ListState>, options?: { replace?: boolean }) => void,
] {
  const [search, setSearch] = useSearchParams();
  const update = useCallback(
    (changes: Partial<ListState>, options?: { replace?: boolean }) =>
      // From the URL as it is when applied: a debounced search must not undo a newer change.
      setSearch((current) => withListState(current, changes), options),
    [setSearch],
  );
  return [parseListState(search), update];
}
