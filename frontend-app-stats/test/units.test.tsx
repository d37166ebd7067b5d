import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type {
  CourseStructure,
  Overview,
  Pages,
  UnitGroupRow,
  UnitRow,
  VisitsDailyRow,
} from '@course-stats/db/types';
import { CourseLayout } from '../src/features/course/index.ts';
import { addDays } from '../src/features/course/range.ts';
import { UnitsPage } from '../src/features/units/index.ts';
import { dailySpec, meanSpec, rowsWithLearners, unitsSpec } from '../src/features/units/specs.ts';
import { apiError, COURSE, courseApi, courseFixture, http, renderAt, Route } from './render.tsx';

const base = courseApi;
const RANGE = '?from=2025-09-01&to=2025-09-03';
const course = courseFixture({ learners: 4 });

const numbers = {
  time_s: 0,
  visits: 0,
  visitors: 0,
  learners_with_time: 0,
  mean_time_s: null,
  sd_time_s: null,
  completed_learners: 0,
  components: 3,
};
const unit = (id: string, label: string, name: string, extra: Partial<UnitRow>): UnitRow => ({
  id,
  label,
  name,
  chapter_id: label.startsWith('1') ? 'c1' : 'c2',
  sequential_id: label.slice(0, 3),
  ...numbers,
  ...extra,
});
const UNITS: UnitRow[] = [
  unit('u1', '1.1.1', 'Welcome', {
    time_s: 1800,
    visits: 40,
    visitors: 3,
    learners_with_time: 3,
    mean_time_s: 600,
    sd_time_s: 300,
    completed_learners: 2,
  }),
  unit('u2', '1.1.2', 'Practice', {
    time_s: 7200,
    visits: 12,
    visitors: 2,
    learners_with_time: 3,
    mean_time_s: 2400,
    sd_time_s: 3000,
    completed_learners: 1,
  }),
  // finished before the range by learners who did not come back: completers, no time
  unit('u3', '2.1.1', 'Quiz', { completed_learners: 3 }),
];
const CHAPTERS: UnitGroupRow[] = [
  {
    id: 'c1',
    label: '1',
    name: 'Basics',
    ...numbers,
    time_s: 9000,
    visits: 52,
    visitors: 3,
    learners_with_time: 3,
    mean_time_s: 3000,
    sd_time_s: 60,
    completed_learners: 1,
  },
  { id: 'c2', label: '2', name: 'Tests', ...numbers },
];
const STRUCTURE: CourseStructure = {
  course_id: COURSE,
  name: 'Statistics',
  chapters: [
    { id: 'c1', label: '1', name: 'Basics', sequentials: [] },
    { id: 'c2', label: '2', name: 'Tests', sequentials: [] },
  ],
};
const PAGES: Pages = { home: 3600, progress: 2700, discussion: 40, other: 0, unplaced: 125 };

function days({ from, to }: Record<string, unknown>): string[] {
  const list: string[] = [];
  for (let day = from as string; day <= (to as string); day = addDays(day, 1)) list.push(day);
  return list;
}

function overview(params: Record<string, unknown>): Overview {
  return {
    active_learners: 4,
    enrolled_learners: 5,
    time_s: 9000,
    visits: 52,
    sessions: 6,
    video_views: 0,
    video_watch_s: 0,
    series: days(params).map((date) => ({
      date,
      active_learners: 1,
      time_s: 0,
      visits: 0,
      video_watch_s: 0,
    })),
  };
}

/** Every day × section, sections in course order within a day (as the API answers). */
function visitsDaily(params: Record<string, unknown>): VisitsDailyRow[] {
  return days(params).flatMap((date, i) => [
    { date, id: 'c1', visits: 10 * i },
    { date, id: 'c2', visits: 5 },
  ]);
}

function stubCourse() {
  http.answers['/api/v1/courses'] = [course];
  http.answers[`${base}/structure`] = STRUCTURE;
  http.answers[`${base}/overview`] = overview;
  http.answers[`${base}/units`] = (params: Record<string, unknown>) =>
    params.group === 'chapter' ? CHAPTERS : UNITS;
  http.answers[`${base}/visits/daily`] = visitsDaily;
  http.answers[`${base}/pages`] = PAGES;
}

/** The units page inside the course layout. */
const pageAt = (query: string, locale = 'en') =>
  renderAt(
    `/courses/${encodeURIComponent(COURSE)}/units${query}`,
    <Route path="/courses/:courseId" element={<CourseLayout />}>
      <Route path="units" element={<UnitsPage />} />
    </Route>,
    locale,
  );

const unitCalls = () => http.calls.filter((call) => call.url.endsWith('/units'));
const cardOf = (title: string) =>
  screen.getByRole('heading', { name: title }).closest('.card') as HTMLElement;
const specOf = (chart: HTMLElement) =>
  JSON.parse(chart.getAttribute('data-spec') ?? '{}') as {
    data: { values: Record<string, unknown>[] };
  };

async function showTable(title: string) {
  const card = cardOf(title);
  await userEvent.click(within(card).getByRole('button', { name: 'Chart actions' }));
  await userEvent.click(screen.getByRole('button', { name: 'Show as table' }));
  return within(card).getAllByRole('row');
}
/** Opens an info popover as a keyboard user does: Tab to its button, Enter. */
async function openInfo(subject: string) {
  const button = screen.getByRole('button', { name: `What does “${subject}” count?` });
  act(() => button.focus());
  await userEvent.keyboard('{Enter}');
}
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('the units page (/courses/:courseId/units)', () => {
  it('shows time per unit by default, naming the unit with the most time', async () => {
    stubCourse();
    pageAt(RANGE);
    expect(
      await screen.findByRole('img', {
        name: 'Most time: 1.1.2 Practice, 2 h 0 min in all, spent by 3 learners.',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Where do learners spend their time?' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Bars show')).toHaveValue('time');
    expect(screen.getByLabelText('Group by')).toHaveValue('unit');
    // unit level: no group parameter
    expect(unitCalls()[0]?.params).toEqual({ from: '2025-09-01', to: '2025-09-03' });
    expect(unitCalls()[0]?.params?.group).toBeUndefined();
  });

  it('shows visits beside visitors, naming the most visited unit', async () => {
    stubCourse();
    pageAt(`${RANGE}&metric=visits`);
    const chart = await screen.findByRole('img', {
      name: 'Most visited: 1.1.1 Welcome, 40 visits by 3 learners.',
    });
    const spec = JSON.parse(chart.getAttribute('data-spec')!) as {
      layer: { mark: { type: string }; encoding: { x: { field: string } } }[];
    };
    expect(spec.layer.map((layer) => [layer.mark.type, layer.encoding.x.field])).toEqual([
      ['bar', 'visits'],
      ['tick', 'visitors'],
    ]);
  });

  it("divides completers by the overview's active learners", async () => {
    stubCourse();
    pageAt(`${RANGE}&metric=completion`);
    expect(
      await screen.findByRole('img', {
        name: 'Most completed: 2.1.1 Quiz, by 3 learners, 75% of the 4 active learners.',
      }),
    ).toBeInTheDocument();
    expect(http.calls.find((call) => call.url.endsWith('/overview'))?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-03',
    });
    const rows = await showTable('How many learners complete each part of the course?');
    expect(rows).toHaveLength(4);
    expect(cells(rows[1]!)).toEqual(['1.1.1', 'Welcome', '30 min', '3', '40', '3', '2', '50%']);
    expect(cells(rows[3]!).at(-1)).toBe('75%');
    // the info popover says what the share divides by
    await openInfo('How many learners complete each part of the course?');
    expect(
      await screen.findByText(/divided by the 4 learners active in the course in these days/),
    ).toBeInTheDocument();
  });

  it('keeps the metric and the group in the URL and asks for the group', async () => {
    stubCourse();
    pageAt(RANGE);
    await screen.findByRole('img', { name: /^Most time: 1\.1\.2 Practice/ });
    await userEvent.selectOptions(screen.getByLabelText('Bars show'), 'visits');
    expect(screen.getByTestId('location').textContent).toContain('metric=visits');
    expect(
      screen.getByRole('heading', { name: 'Which parts of the course do learners visit?' }),
    ).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Group by'), 'chapter');
    const search = new URLSearchParams(screen.getByTestId('location').textContent!);
    expect(Object.fromEntries(search)).toEqual({
      from: '2025-09-01',
      to: '2025-09-03',
      metric: 'visits',
      group: 'chapter',
    });
    expect(unitCalls().at(-1)?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-03',
      group: 'chapter',
    });
    expect(
      await screen.findByRole('img', { name: 'Most visited: 1 Basics, 52 visits by 3 learners.' }),
    ).toBeInTheDocument();
  });

  it('leaves units nobody spent time on out of the mean chart, not out of its table', async () => {
    stubCourse();
    pageAt(RANGE);
    const chart = await screen.findByRole('img', {
      name: 'Longest time per learner: 1.1.2 Practice, 40 min on average among 3 learners.',
    });
    const values = specOf(chart).data.values;
    expect(values.map((v) => v.name)).toEqual(['1.1.1 Welcome', '1.1.2 Practice']);
    // mean 40 min ± 50 min: the whisker starts at 0
    expect(values[1]).toMatchObject({ mean: 40, low: 0, high: 90 });
    expect(values[0]).toMatchObject({ mean: 10, low: 5, high: 15 });

    const rows = await showTable('How long does a learner spend on each unit?');
    expect(rows.slice(1).map(cells)).toEqual([
      ['1.1.1', 'Welcome', '3', '10 min', '5 min'],
      ['1.1.2', 'Practice', '3', '40 min', '50 min'],
      ['2.1.1', 'Quiz', '0', '—', '—'],
    ]);
  });

  it('shows daily visits per section, one table row per day and section', async () => {
    stubCourse();
    pageAt(RANGE);
    expect(
      await screen.findByRole('img', {
        name: 'Busiest day of a section: 1 Basics on Sep 3, 2025, with 20 visits.',
      }),
    ).toBeInTheDocument();
    expect(http.calls.find((call) => call.url.endsWith('/visits/daily'))?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-03',
      group: 'chapter',
    });
    const rows = await showTable('When do learners visit each section?');
    expect(rows).toHaveLength(1 + 3 * 2);
    expect(cells(rows[1]!)).toEqual(['Sep 1, 2025', '1 Basics', '0']);
    expect(cells(rows[6]!)).toEqual(['Sep 3, 2025', '2 Tests', '5']);
  });

  it('shows the time outside units as durations, with what "not tied to a place" means', async () => {
    stubCourse();
    pageAt(RANGE);
    await screen.findByRole('heading', { name: 'How much time do learners spend outside units?' });
    const card = cardOf('How much time do learners spend outside units?');
    const term = (name: string) =>
      within(card).getByText(name).closest('div')!.querySelector('dd')!.textContent;
    await within(card).findByText('Course home');
    expect(term('Course home')).toBe('1 h 0 min');
    expect(term('Progress page')).toBe('45 min');
    expect(term('Discussions')).toBe('40 s');
    expect(term('Other course pages')).toBe('0 s');
    expect(term('Not tied to a place')).toBe('2 min');
    await openInfo('How much time do learners spend outside units?');
    expect(
      await screen.findByText(/time that could not be tied to any place in the course/),
    ).toBeInTheDocument();
  });

  it('says when the range is empty and offers the whole run', async () => {
    stubCourse();
    http.answers[`${base}/units`] = UNITS.map((row) => ({ ...row, ...numbers }));
    http.answers[`${base}/visits/daily`] = (params: Record<string, unknown>) =>
      visitsDaily(params).map((row) => ({ ...row, visits: 0 }));
    http.answers[`${base}/pages`] = { home: 0, progress: 0, discussion: 0, other: 0, unplaced: 0 };
    pageAt(RANGE);
    // the units chart, the mean chart, the heat strip and the card
    expect(await screen.findAllByText('No data from Sep 1, 2025 to Sep 3, 2025.')).toHaveLength(4);
    await userEvent.click(screen.getAllByRole('button', { name: 'Show the whole run' })[0]!);
    expect(unitCalls().at(-1)?.params).toEqual({ from: '2025-09-01', to: '2025-09-30' });
  });

  it('says what failed and retries', async () => {
    stubCourse();
    http.answers[`${base}/units`] = apiError(503, 'database_unavailable', 'the database is down');
    http.answers[`${base}/pages`] = apiError(503, 'database_unavailable', 'the database is down');
    pageAt(RANGE);
    const failures = await screen.findAllByText(
      'These numbers could not be loaded: the database is down',
    );
    expect(failures).toHaveLength(3);
    http.answers[`${base}/units`] = UNITS;
    http.answers[`${base}/pages`] = PAGES;
    for (const retry of screen.getAllByRole('button', { name: 'Retry' }))
      await userEvent.click(retry);
    expect(
      await screen.findByRole('img', { name: /^Most time: 1\.1\.2 Practice/ }),
    ).toBeInTheDocument();
    expect(await screen.findByText('1 h 0 min')).toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
  });

  it('speaks Spanish (es-419)', async () => {
    stubCourse();
    pageAt(`${RANGE}&metric=completion`, 'es-419');
    expect(
      await screen.findByRole('img', {
        name: /^Lo más completado: 2\.1\.1 Quiz, por 3 estudiantes, el 75\s?% de los 4 estudiantes activos\.$/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: '¿Cuántos estudiantes completan cada parte del curso?' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Las barras muestran')).toHaveValue('completion');
    expect(
      screen.getByRole('heading', { name: '¿Cuándo visitan los estudiantes cada sección?' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Inicio del curso')).toBeInTheDocument();
    expect(screen.getByText('Sin lugar asignado')).toBeInTheDocument();
  });
});

describe('the units page specs', () => {
  const titles = {
    name: 'Part',
    hours: 'Hours',
    learnersWithTime: 'Learners',
    visits: 'Visits',
    visitors: 'Visitors',
    visitsAxis: 'Visits and visitors',
    completed: 'Completed',
    completion: 'Completion',
  };

  it('compile with vega-lite, in course order, without hard-coded colours', () => {
    const specs = [
      ...(['time', 'visits', 'completion'] as const).map((metric) =>
        unitsSpec(UNITS, metric, 4, titles),
      ),
      meanSpec(rowsWithLearners(UNITS), {
        name: 'Part',
        mean: 'Mean',
        sd: 'SD',
        learnersWithTime: 'L',
      }),
      dailySpec(
        visitsDaily({ from: '2025-09-01', to: '2025-09-02' }),
        [
          { id: 'c1', name: '1 Basics' },
          { id: 'c2', name: '2 Tests' },
        ],
        { date: 'Date', section: 'Section', visits: 'Visits' },
      ),
    ];
    for (const spec of specs) {
      expect(() => compile(spec as TopLevelSpec)).not.toThrow();
      const text = JSON.stringify(spec);
      expect(text).not.toMatch(/#[0-9a-f]{6}\b/i);
      expect(text).toContain('"sort":{"field":"order"}');
      expect(spec).toMatchObject({ width: 'container', autosize: { type: 'fit' } });
    }
    const time = unitsSpec(UNITS, 'time', 4, titles) as { data: { values: object[] } };
    expect(time.data.values[1]).toMatchObject({ order: 1, name: '1.1.2 Practice', hours: 2 });
    const completion = unitsSpec(UNITS, 'completion', 0, titles) as {
      data: { values: { completion: number | null }[] };
    };
    expect(completion.data.values.map((v) => v.completion)).toEqual([null, null, null]);
  });
});
