// Every call to the statistics API (interfaces.md §2), as RTK Query endpoints: the store keeps
// each answer by its parameters, and components read loading, data and error from the hooks.
// Requests go through frontend-platform's authenticated client, which sends the LMS cookies and
// refreshes the JWT cookie when it has expired.
import { getAuthenticatedHttpClient, redirectToLogin } from '@edx/frontend-platform/auth';
import { createApi, type BaseQueryFn } from '@reduxjs/toolkit/query/react';
import type {
  CourseListItem,
  CourseStructure,
  LearnerDetail,
  LearnersPage,
  Matrix,
  MatrixGroup,
  MatrixMetric,
  Overview,
  Pages,
  UnitGroup,
  UnitGroupRow,
  UnitRow,
  VideoRow,
  VideoTimeline,
  VisitsDailyRow,
} from '@course-stats/db/types';
import { apiBaseUrl } from '../config.ts';

export interface ApiError {
  /** The HTTP status; 0 when the API could not be reached. */
  status: number;
  code: string;
  message: string;
}

interface ApiRequest {
  path: string;
  params?: Record<string, string | number | undefined>;
}

export interface CourseRange {
  courseId: string;
  from: string;
  to: string;
}

export const coursePath = (courseId: string, rest = '') =>
  `/api/v1/courses/${encodeURIComponent(courseId)}${rest}`;

/** The URL of an endpoint's CSV (the API answers `format=csv` on every list). */
export function csvUrl(path: string, params: object): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  query.set('format', 'csv');
  return `${apiBaseUrl()}${path}?${query}`;
}

const httpQuery: BaseQueryFn<ApiRequest, unknown, ApiError> = async ({ path, params }) => {
  try {
    const response = await getAuthenticatedHttpClient().get(`${apiBaseUrl()}${path}`, { params });
    return { data: response.data };
  } catch (error) {
    const apiError = toApiError(error);
    // The LMS session ended (and frontend-platform could not refresh the JWT cookie): sign in
    // again, then come back here.
    if (apiError.status === 401) redirectToLogin(globalThis.location.href);
    return { error: apiError };
  }
};

/** What a chart or page needs to know of a query: loading, failed (with the API's error), retry. */
export interface QueryStatus {
  isLoading: boolean;
  error?: ApiError;
  refetch: () => void;
}

export function queryStatus(result: {
  isLoading: boolean;
  error?: unknown;
  refetch: () => unknown;
}): QueryStatus {
  return {
    isLoading: result.isLoading,
    error: asApiError(result.error),
    refetch: () => void result.refetch(),
  };
}

/** The API's error of a failed query (RTK Query also reports its own errors, without a status). */
export function asApiError(error: unknown): ApiError | undefined {
  if (!error) return undefined;
  if (typeof (error as ApiError).status === 'number') return error as ApiError;
  return { status: 0, code: 'client_error', message: (error as Error).message ?? String(error) };
}

export function toApiError(error: unknown): ApiError {
  const response = (error as { response?: { status?: number; data?: unknown } }).response;
  const body = (response?.data as { error?: { code?: string; message?: string } } | undefined)
    ?.error;
  return {
    status: response?.status ?? 0,
    code: body?.code ?? (response ? 'http_error' : 'unreachable'),
    message: body?.message ?? (error as Error).message ?? String(error),
  };
}

const range = ({ from, to }: CourseRange) => ({ from, to });

export const statsApi = createApi({
  reducerPath: 'statsApi',
  baseQuery: httpQuery,
  // A processor run changes the numbers at most every few minutes.
  keepUnusedDataFor: 300,
  endpoints: (build) => ({
    courses: build.query<CourseListItem[], void>({ query: () => ({ path: '/api/v1/courses' }) }),
    structure: build.query<CourseStructure, string>({
      query: (courseId) => ({ path: coursePath(courseId, '/structure') }),
    }),
    overview: build.query<Overview, CourseRange>({
      query: (r) => ({ path: coursePath(r.courseId, '/overview'), params: range(r) }),
    }),
    visitsDaily: build.query<VisitsDailyRow[], CourseRange & { group: UnitGroup }>({
      query: (r) => ({
        path: coursePath(r.courseId, '/visits/daily'),
        params: { ...range(r), group: r.group },
      }),
    }),
    units: build.query<(UnitRow | UnitGroupRow)[], CourseRange & { group: UnitGroup }>({
      query: (r) => ({
        path: coursePath(r.courseId, '/units'),
        params: { ...range(r), group: r.group === 'unit' ? undefined : r.group },
      }),
    }),
    pages: build.query<Pages, CourseRange>({
      query: (r) => ({ path: coursePath(r.courseId, '/pages'), params: range(r) }),
    }),
    videos: build.query<VideoRow[], CourseRange>({
      query: (r) => ({ path: coursePath(r.courseId, '/videos'), params: range(r) }),
    }),
    videoTimeline: build.query<VideoTimeline, CourseRange & { video: string }>({
      query: (r) => ({
        path: coursePath(r.courseId, `/videos/${encodeURIComponent(r.video)}/timeline`),
        params: range(r),
      }),
    }),
    learners: build.query<
      LearnersPage,
      CourseRange & {
        q?: string;
        sort: string;
        order: 'asc' | 'desc';
        page: number;
        pageSize: number;
      }
    >({
      query: (r) => ({
        path: coursePath(r.courseId, '/learners'),
        params: {
          ...range(r),
          q: r.q,
          sort: r.sort,
          order: r.order,
          page: r.page,
          page_size: r.pageSize,
        },
      }),
    }),
    learner: build.query<LearnerDetail, CourseRange & { username: string }>({
      query: (r) => ({
        path: coursePath(r.courseId, `/learners/${encodeURIComponent(r.username)}`),
        params: range(r),
      }),
    }),
    matrix: build.query<
      Matrix,
      CourseRange & {
        metric: MatrixMetric;
        group: MatrixGroup;
        q?: string;
        page: number;
        pageSize: number;
      }
    >({
      query: (r) => ({
        path: coursePath(r.courseId, '/matrix'),
        params: {
          ...range(r),
          metric: r.metric,
          group: r.group,
          q: r.q,
          page: r.page,
          page_size: r.pageSize,
        },
      }),
    }),
  }),
});

export const {
  useCoursesQuery,
  useStructureQuery,
  useOverviewQuery,
  useVisitsDailyQuery,
  useUnitsQuery,
  usePagesQuery,
  useVideosQuery,
  useVideoTimelineQuery,
  useLearnersQuery,
  useLearnerQuery,
  useMatrixQuery,
} = statsApi;
