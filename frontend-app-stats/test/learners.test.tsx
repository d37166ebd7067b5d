import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { compile, type TopLevelSpec } from 'vega-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  CourseStructure,
  LearnerDetail,
  LearnerRow,
  Matrix,
  UnitRow,
  VideoRow,
} from '@course-stats/db/types';
import { CourseLayout } from '../src/features/course/index.ts';
import { LearnerPage, LearnersPage } from '../src/features/learners/index.ts';
import { contrast, heatScale, parseColor } from '../src/features/learners/heat.ts';
import { learnerUnitsSpec, learnerVideosSpec } from '../src/features/learners/specs.ts';
import { parseListState, withListState } from '../src/features/learners/listState.ts';
import { apiError, COURSE, courseApi, courseFixture, http, renderAt, Route } from './render.tsx';

const base = courseApi;
const LIST = `/courses/${encodeURIComponent(COURSE)}/learners`;
const RANGE = 'from=2025-09-01&to=2025-09-30';
const course = courseFixture({ learners: 120 });

/** Nine units: more than the grid names in its headers. */
const UNIT_NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const structure: CourseStructure = {
  course_id: COURSE,
  name: 'Statistics',
  chapters: [
    {
      id: 'c1',
      label: '1',
      name: 'Basics',
      sequentials: [
        {
          id: 's1',
          label: '1.1',
          name: 'Start',
          units: [
            {
              id: 'u1',
              label: '1.1.1',
              name: 'Welcome',
              components: [{ id: 'v1', type: 'video', name: 'Hello', duration: 60 }],
            },
            { id: 'u2', label: '1.1.2', name: 'Practice', components: [] },
            ...UNIT_NUMBERS.slice(2).map((n) => ({
              id: `u${n}`,
              label: `1.1.${n}`,
              name: `Unit ${n}`,
              components: [],
            })),
          ],
        },
      ],
    },
  ],
};

const learner = (extra: Partial<LearnerRow>): LearnerRow => ({
  user_id: 1,
  username: 'ada',
  time_s: 45_000,
  sessions: 9,
  visits: 1234,
  units_visited: 2,
  units_completed: 1,
  videos_completed: 1,
  first_active: '2025-09-02T10:00:00.000Z',
  last_active: '2025-09-29T10:00:00.000Z',
  active_days: 12,
  at_risk: false,
  ...extra,
});

const ROWS = [
  learner({}),
  learner({
    user_id: 2,
    username: 'bob',
    time_s: 600,
    sessions: 1,
    visits: 3,
    units_visited: 1,
    units_completed: 0,
    videos_completed: 0,
    last_active: '2025-09-10T10:00:00.000Z',
    at_risk: true,
  }),
];

/** The learners list: 120 learners, "zz" finds nobody. */
const learnersAnswer = (params: Record<string, unknown>) =>
  params.q === 'zz' ? { total: 0, rows: [] } : { total: 120, rows: ROWS };

const padded = (values: number[]) => UNIT_NUMBERS.map((_, i) => values[i] ?? 0);
const matrix = (params: Record<string, unknown>): Matrix =>
  params.group === 'chapter'
    ? { columns: ['c1'], total: 2, rows: [{ username: 'ada', values: [0.5] }] }
    : {
        columns: UNIT_NUMBERS.map((n) => `u${n}`),
        total: 2,
        rows: [
          { username: 'ada', values: padded(params.metric === 'completion' ? [1] : [600]) },
          { username: 'bob', values: padded(params.metric === 'completion' ? [] : [2400, 60]) },
        ],
      };

const unitRow = (id: string, mean: number | null): UnitRow => ({
  id,
  label: null,
  name: null,
  chapter_id: 'c1',
  sequential_id: 's1',
  time_s: 0,
  visits: 0,
  visitors: 0,
  learners_with_time: 0,
  mean_time_s: mean,
  sd_time_s: null,
  completed_learners: 0,
  components: 1,
});

const video: VideoRow = {
  id: 'v1',
  label: '1.1.1',
  name: 'Hello',
  duration: 60,
  views: 4,
  viewers: 2,
  watch_s: 100,
  completed_viewers: 1,
  mean_coverage: 0.6,
};

const detail: LearnerDetail = {
  ...learner({ time_s: 7_500, at_risk: true }),
  units: [
    { id: 'u1', time_s: 3_600, visits: 4, completed_components: 1 },
    { id: 'u2', time_s: 0, visits: 0, completed_components: 0 },
  ],
  videos: [{ id: 'v1', watch_s: 54, coverage: 0.9 }],
};

function stubCourse() {
  http.answers['/api/v1/courses'] = [course];
  http.answers[`${base}/structure`] = structure;
  http.answers[`${base}/learners`] = learnersAnswer;
  http.answers[`${base}/matrix`] = matrix;
  http.answers[`${base}/learners/ada`] = detail;
  http.answers[`${base}/units`] = [unitRow('u1', 1_800), unitRow('u2', null)];
  http.answers[`${base}/videos`] = [video];
}

const where = () => new URLSearchParams(screen.getByTestId('location').textContent ?? '');

const pageAt = (url: string, locale = 'en') =>
  renderAt(
    url,
    <Route path="/courses/:courseId" element={<CourseLayout />}>
      <Route path="learners" element={<LearnersPage />} />
      <Route path="learners/:username" element={<LearnerPage />} />
    </Route>,
    locale,
  );

const learnerCalls = () => http.calls.filter((c) => c.url.endsWith('/learners'));
const matrixCalls = () => http.calls.filter((c) => c.url.endsWith('/matrix'));
const header = (name: string) => screen.getByRole('button', { name }).closest('th') as HTMLElement;

afterEach(() => vi.restoreAllMocks());

describe('the learners table (/courses/:courseId/learners)', () => {
  it('shows a page of learners, formatted, each linked to their page', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    const table = await screen.findByRole('table', {
      name: 'Learners from Sep 1, 2025 to Sep 30, 2025, sorted by Time spent, descending',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['12 h 30 min', '9', '1,234', '2', '1', '1', 'Sep 29, 2025', '']);
    expect(within(rows[2]!).getByRole('cell', { name: '10 min' })).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('link', { name: 'ada' })).toHaveAttribute(
      'href',
      `/courses/${COURSE}/learners/ada?${RANGE}`,
    );
    expect(learnerCalls()[0]?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
      q: undefined,
      sort: 'time_s',
      order: 'desc',
      page: 1,
      page_size: 50,
    });
    expect(screen.getByText('1–50 of 120 learners')).toBeInTheDocument();
  });

  it('marks learners at risk with a badge that says what it means', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    const bob = (await screen.findByRole('link', { name: 'bob' })).closest('tr') as HTMLElement;
    expect(within(bob).getByText('At risk')).toHaveClass('badge');
    const ada = screen.getByRole('link', { name: 'ada' }).closest('tr') as HTMLElement;
    expect(within(ada).queryByText('At risk')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'What does “At risk” count?' }));
    expect(
      await screen.findByText(
        'At risk on Sep 30, 2025: still enrolled, active in the course before, but did nothing in the 7 days up to that day, and has at least one unit left to complete.',
      ),
    ).toBeInTheDocument();
  });

  it('searches once the typing pauses, from the first page', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}&page=3`);
    await screen.findByRole('link', { name: 'ada' });
    expect(learnerCalls().at(-1)?.params).toMatchObject({ page: 3 });
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search learners by username' }),
      'zz',
    );
    expect(await screen.findByText('No learner’s username contains “zz”.')).toBeInTheDocument();
    const searched = learnerCalls().filter((c) => c.params?.q !== undefined);
    expect(searched.map((c) => c.params)).toEqual([expect.objectContaining({ q: 'zz', page: 1 })]);
    expect(where().get('q')).toBe('zz');
    expect(where().has('page')).toBe(false);
  });

  it('sorts by a column header, toggling the order, and says so', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    await screen.findByRole('link', { name: 'ada' });
    expect(header('Time spent')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Sessions')).toHaveAttribute('aria-sort', 'none');

    await userEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    expect(header('Sessions')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Time spent')).toHaveAttribute('aria-sort', 'none');
    expect(learnerCalls().at(-1)?.params).toMatchObject({ sort: 'sessions', order: 'desc' });

    await userEvent.click(screen.getByRole('button', { name: 'Sessions' }));
    expect(header('Sessions')).toHaveAttribute('aria-sort', 'ascending');
    expect(learnerCalls().at(-1)?.params).toMatchObject({ sort: 'sessions', order: 'asc' });
    expect(where().get('sort')).toBe('sessions');
    expect(where().get('order')).toBe('asc');

    await userEvent.click(screen.getByRole('button', { name: 'Username' }));
    expect(learnerCalls().at(-1)?.params).toMatchObject({ sort: 'username', order: 'asc' });
  });

  it('pages through the list', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    const pages = await screen.findByRole('navigation', { name: 'Pages of learners' });
    await userEvent.click(within(pages).getByRole('button', { name: 'Page 2' }));
    expect(await screen.findByText('51–100 of 120 learners')).toBeInTheDocument();
    expect(learnerCalls().at(-1)?.params).toMatchObject({ page: 2, page_size: 50 });
    expect(where().get('page')).toBe('2');
    await userEvent.click(within(pages).getByRole('button', { name: /^Next/ }));
    expect(await screen.findByText('101–120 of 120 learners')).toBeInTheDocument();
  });

  it('restores search, sort and page from the URL', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}&q=ad&sort=username&order=asc&page=2`);
    expect(await screen.findByText('51–100 of 120 learners')).toBeInTheDocument();
    expect(learnerCalls()[0]?.params).toMatchObject({
      q: 'ad',
      sort: 'username',
      order: 'asc',
      page: 2,
    });
    expect(screen.getByRole('searchbox')).toHaveValue('ad');
    expect(header('Username')).toHaveAttribute('aria-sort', 'ascending');
    expect(
      within(screen.getByRole('navigation', { name: 'Pages of learners' })).getByRole('button', {
        name: 'Page 2, Current page',
      }),
    ).toBeInTheDocument();
  });

  it('downloads every matching row as CSV, through the authenticated client', async () => {
    stubCourse();
    const csv = `${base}/learners?from=2025-09-01&to=2025-09-30&q=ad&sort=username&order=asc&format=csv`;
    http.answers[csv] = new Blob(['username\nada\n']);
    const createObjectURL = vi.fn(() => 'blob:learners');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    pageAt(`${LIST}?${RANGE}&q=ad&sort=username&order=asc&page=2`);
    await userEvent.click(await screen.findByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    expect(http.calls.at(-1)?.url).toBe(
      `https://stats.example.test${csv.replace(COURSE, encodeURIComponent(COURSE))}`,
    );
    expect(screen.queryByText(/The download failed/)).not.toBeInTheDocument();
  });

  it('says when the course has no learners, and offers to retry a failure', async () => {
    stubCourse();
    http.answers[`${base}/learners`] = apiError(
      503,
      'database_unavailable',
      'the database is down',
    );
    pageAt(`${LIST}?from=2025-09-02&to=2025-09-03`);
    expect(
      await screen.findByText('These numbers could not be loaded: the database is down'),
    ).toBeInTheDocument();
    http.answers[`${base}/learners`] = { total: 0, rows: [] };
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('No learners enrolled or active up to Sep 3, 2025.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show the whole run' }));
    expect(learnerCalls().at(-1)?.params).toMatchObject({ from: '2025-09-01', to: '2025-09-30' });
  });
});

describe('the learner × unit grid (?view=grid)', () => {
  it('switches to the grid, whose cells are coloured by value, with a legend', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Grid per unit' }));
    expect(where().get('view')).toBe('grid');
    expect(screen.getByRole('button', { name: 'Grid per unit' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const grid = await screen.findByRole('table', {
      name: 'Time spent per unit for each learner, from Sep 1, 2025 to Sep 30, 2025',
    });
    // It scrolls sideways in a region the keyboard can focus and scroll.
    expect(
      screen.getByRole('region', {
        name: 'Time spent per unit for each learner, from Sep 1, 2025 to Sep 30, 2025',
      }),
    ).toHaveAttribute('tabindex', '0');
    expect(matrixCalls().at(-1)?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
      metric: 'time',
      group: 'unit',
      q: undefined,
      page: 1,
      page_size: 50,
    });
    const headers = within(grid).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual([
      'Learner',
      ...UNIT_NUMBERS.map((n) => `1.1.${n}`),
    ]);
    expect(within(headers[1]!).getByTitle('1.1.1 Welcome')).toBeInTheDocument();
    expect(within(grid).getByRole('rowheader', { name: 'bob' })).toBeInTheDocument();

    const hottest = within(grid).getByRole('cell', { name: '40 min' });
    const cold = within(grid).getAllByRole('cell', { name: '0 s' })[0]!;
    expect(hottest).toHaveAttribute('title', 'bob, 1.1.1 Welcome: 40 min');
    expect(cold.style.background).toBe('rgb(255, 255, 255)');
    expect(hottest.style.background).toBe('rgb(0, 114, 178)');
    expect(hottest.style.color).toBe('rgb(255, 255, 255)');
    expect(within(grid).getByRole('cell', { name: '10 min' }).style.background).not.toBe(
      hottest.style.background,
    );

    const legend = screen.getByRole('figure', { name: 'Color scale' });
    expect(legend).toHaveTextContent(
      'Darker cells mean more. The scale runs from 0 to the largest value on this page, 40 min.',
    );
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['0 s', 'up to 10 min', 'up to 20 min', 'up to 30 min', 'up to 40 min']);
  });

  it('switches the metric and the grouping, kept in the URL', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}&view=grid`);
    await screen.findByRole('rowheader', { name: 'bob' });
    await userEvent.selectOptions(screen.getByLabelText('Cells show'), 'completion');
    expect(await screen.findByRole('cell', { name: '100%' })).toBeInTheDocument();
    expect(matrixCalls().at(-1)?.params).toMatchObject({ metric: 'completion', group: 'unit' });
    expect(where().get('metric')).toBe('completion');

    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'chapter');
    const grid = await screen.findByRole('table', {
      name: 'Completion per section for each learner, from Sep 1, 2025 to Sep 30, 2025',
    });
    expect(matrixCalls().at(-1)?.params).toMatchObject({ metric: 'completion', group: 'chapter' });
    expect(where().get('group')).toBe('chapter');
    expect(within(grid).getAllByRole('columnheader')[1]).toHaveTextContent('1 Basics');
    expect(within(grid).getByRole('cell', { name: '50%' })).toHaveAttribute(
      'title',
      'ada, 1 Basics: 50%',
    );
  });

  it('keeps counts on whole steps and reads colours of the theme', () => {
    const counts = heatScale(2, { integer: true });
    expect(counts.steps.map((s) => s.high)).toEqual([0, 1, 2]);
    expect(counts.stepOf(0)).toBe(counts.steps[0]);
    expect(counts.stepOf(2)).toBe(counts.steps[2]);
    expect(heatScale(0).steps).toHaveLength(1);
    for (const step of heatScale(10).steps) {
      const background = parseColor(step.background)!;
      const foreground = parseColor(step.foreground)!;
      expect(contrast(background, foreground)).toBeGreaterThanOrEqual(4.5);
    }
    expect(parseColor('#0a3055')).toEqual([10, 48, 85]);
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('var(--x)')).toBeUndefined();
  });

  it('reads and writes its URL state, leaving defaults out', () => {
    const state = parseListState(new URLSearchParams('sort=nope&order=up&page=-2&view=grid'));
    expect(state).toEqual({
      q: '',
      sort: 'time_s',
      order: 'desc',
      page: 1,
      view: 'grid',
      metric: 'time',
    });
    const next = withListState(new URLSearchParams('from=2025-09-01&page=4&q=a'), { q: 'ab' });
    expect(next.toString()).toBe('from=2025-09-01&q=ab');
  });
});

describe('a learner’s page (/courses/:courseId/learners/:username)', () => {
  it('shows their numbers, their units and their videos beside the course', async () => {
    stubCourse();
    pageAt(`${LIST}/ada?${RANGE}&q=ad`);
    expect(await screen.findByText('At risk')).toHaveClass('badge');
    expect(screen.getByRole('heading', { name: 'ada' })).toBeInTheDocument();
    expect(screen.getByTestId('stat-stats.learners.column.time')).toHaveTextContent('2 h 5 min');
    expect(screen.getByTestId('stat-stats.learners.column.visits')).toHaveTextContent('1,234');
    expect(screen.getByTestId('stat-stats.learners.column.unitsCompleted')).toHaveTextContent(
      '1 of 2',
    );
    expect(screen.getByTestId('stat-stats.learners.column.videosCompleted')).toHaveTextContent(
      '1 of 1',
    );
    expect(screen.getByTestId('stat-stats.learners.column.lastActive')).toHaveTextContent(
      'Sep 29, 2025',
    );
    expect(http.calls.find((c) => c.url.endsWith('/learners/ada'))?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
    expect(
      await screen.findByRole('img', {
        name: 'ada spent time on 1 of 2 units; most on 1.1.1 Welcome: 1 h 0 min (course mean 30 min).',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: 'ada watched 1 of 1 videos at least in part and completed 1 (90% or more).',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All learners' })).toHaveAttribute(
      'href',
      `${LIST}?${RANGE}&q=ad`,
    );
  });

  it('shows their units as a table on request, with the course mean', async () => {
    stubCourse();
    pageAt(`${LIST}/ada?${RANGE}`);
    const card = (
      await screen.findByRole('heading', { name: 'How much time did ada spend on each unit?' })
    ).closest('.card') as HTMLElement;
    await userEvent.click(within(card).getByRole('button', { name: 'Chart actions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Show as table' }));
    const rows = within(card).getAllByRole('row');
    expect(
      within(rows[1]!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['1.1.1 Welcome', '1 h 0 min', '30 min', '4', '1']);
    expect(within(rows[2]!).getAllByRole('cell')[2]).toHaveTextContent('—');
  });

  it('is reached from the list and says when there is no such learner', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`);
    await userEvent.click(await screen.findByRole('link', { name: 'ada' }));
    expect(await screen.findByRole('heading', { name: 'ada' })).toBeInTheDocument();

    cleanup();
    pageAt(`${LIST}/nobody?${RANGE}`);
    expect(
      await screen.findByRole('heading', { name: 'No such learner in this course' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No learner of this course has, or ever had, the username “nobody”.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All learners' })).toHaveAttribute(
      'href',
      `${LIST}?${RANGE}`,
    );
  });
});

describe('the charts of a learner', () => {
  it('compile without warnings and keep the course order', () => {
    const warnings: unknown[] = [];
    const logger = {
      level: () => logger,
      info: () => logger,
      debug: () => logger,
      warn: (...message: unknown[]) => (warnings.push(message), logger),
      error: (...message: unknown[]) => (warnings.push(message), logger),
    };
    const titles = {
      learner: 'This learner',
      mean: 'Course mean',
      unit: 'Unit',
      minutes: 'Minutes',
      visits: 'Visits',
      completed: 'Done',
      video: 'Video',
      coverage: 'Share',
    };
    const units = learnerUnitsSpec(
      ['2.1.1', '1.1.1'].map((label, order) => ({
        order,
        name: `${label} Unit`,
        label,
        time_s: 60,
        mean_time_s: order ? null : 120,
        time_text: '1 min',
        mean_text: '2 min',
        visits: 1,
        completed_components: 0,
      })),
      titles,
    );
    const videos = learnerVideosSpec(
      [{ order: 0, name: 'Hello', coverage: 0.9, mean_coverage: null }],
      titles,
    );
    for (const spec of [units, videos]) compile(spec as TopLevelSpec, { logger: logger as never });
    expect(warnings).toEqual([]);
    const values = (units as { data: { values: Record<string, unknown>[] } }).data.values;
    expect(values.map((v) => [v.label, v.series, v.value])).toEqual([
      ['2.1.1', 'This learner', 1],
      ['2.1.1', 'Course mean', 2],
      ['1.1.1', 'This learner', 1],
      ['1.1.1', 'Course mean', null],
    ]);
  });
});

describe('in Spanish (es-419)', () => {
  it('speaks Spanish on the list and the learner’s page', async () => {
    stubCourse();
    pageAt(`${LIST}?${RANGE}`, 'es-419');
    expect(
      await screen.findByRole('heading', { name: '¿Cómo le va a cada estudiante?' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('1–50 de 120 estudiantes')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Tiempo dedicado' })).toBeInTheDocument();
    expect(screen.getByText('En riesgo', { selector: '.badge' })).toBeInTheDocument();
    expect(
      screen.getByRole('searchbox', { name: 'Buscar estudiantes por nombre de usuario' }),
    ).toBeInTheDocument();

    cleanup();
    pageAt(`${LIST}/nobody?${RANGE}`, 'es-419');
    expect(
      await screen.findByRole('heading', { name: 'Ese estudiante no está en este curso' }),
    ).toBeInTheDocument();
  });
});
