import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Overview, UnitGroupRow } from '@course-stats/db/types';
import { CourseLayout } from '../src/features/course/index.ts';
import { addDays, presetOf, presetRange, rangeFromSearch } from '../src/features/course/range.ts';
import { OverviewPage } from '../src/features/overview/index.ts';
import { apiError, COURSE, courseApi, courseFixture, http, renderAt, Route } from './render.tsx';

const course = courseFixture({ learners: 3 });
const base = courseApi;

function overview({ from, to }: Record<string, unknown>): Overview {
  const days: string[] = [];
  for (let day = from as string; day <= (to as string); day = addDays(day, 1)) days.push(day);
  return {
    active_learners: 3,
    enrolled_learners: 4,
    time_s: 45_000,
    visits: 1234,
    sessions: 9,
    video_views: 5,
    video_watch_s: 600,
    series: days.map((date, i) => ({
      date,
      active_learners: i % 3,
      time_s: 600 * i,
      visits: i,
      video_watch_s: 0,
    })),
  };
}

const chapters: UnitGroupRow[] = [
  {
    id: 'c1',
    label: '1',
    name: 'Basics',
    time_s: 100,
    visits: 40,
    visitors: 3,
    learners_with_time: 3,
    mean_time_s: 33,
    sd_time_s: 1,
    completed_learners: 1,
    components: 4,
  },
  {
    id: 'c2',
    label: '2',
    name: 'Tests',
    time_s: 50,
    visits: 7,
    visitors: 2,
    learners_with_time: 2,
    mean_time_s: 25,
    sd_time_s: 1,
    completed_learners: 0,
    components: 3,
  },
];

function stubCourse() {
  http.answers['/api/v1/courses'] = [course];
  http.answers[`${base}/structure`] = { course_id: COURSE, name: 'Statistics', chapters: [] };
  http.answers[`${base}/overview`] = overview;
  http.answers[`${base}/units`] = chapters;
}

const pageAt = (url: string) =>
  renderAt(
    url,
    <Route path="/courses/:courseId" element={<CourseLayout />}>
      <Route index element={<OverviewPage />} />
    </Route>,
  );

describe('date ranges', () => {
  it('has presets that end on the newest day with data', () => {
    expect(presetRange('whole', course)).toEqual({ from: '2025-09-01', to: '2025-09-30' });
    expect(presetRange('last7', course)).toEqual({ from: '2025-09-24', to: '2025-09-30' });
    expect(presetRange('last30', { first_day: '2025-09-10', last_day: '2025-09-30' })).toEqual({
      from: '2025-09-10',
      to: '2025-09-30',
    });
    expect(presetOf({ from: '2025-09-24', to: '2025-09-30' }, course)).toBe('last7');
    expect(presetOf({ from: '2025-09-02', to: '2025-09-03' }, course)).toBe('custom');
  });

  it('reads the URL, and ignores a range that is not one', () => {
    const search = (query: string) => rangeFromSearch(new URLSearchParams(query), course);
    expect(search('from=2025-09-05&to=2025-09-06')).toEqual({
      from: '2025-09-05',
      to: '2025-09-06',
    });
    expect(search('from=2025-09-06&to=2025-09-05')).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
    expect(search('from=2025-02-30&to=2025-09-05')).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
  });
});

describe('the course overview (/courses/:courseId)', () => {
  it('shows the frame, the five numbers and asks for the whole run by default', async () => {
    stubCourse();
    pageAt(`/courses/${encodeURIComponent(COURSE)}`);
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Statistics' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Course statistics' })).toBeInTheDocument();
    expect(screen.getByText(/^Data up to /)).toBeInTheDocument();
    expect(await screen.findByText('12 h 30 min')).toBeInTheDocument();
    expect(screen.getByText('1,234')).toBeInTheDocument();
    expect(screen.getByText('10 min')).toBeInTheDocument();
    expect(http.calls.find((c) => c.url.endsWith('/overview'))?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
    expect(screen.getByRole('button', { name: 'Whole run' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('changes the range from a preset, and keeps it in the tab links', async () => {
    stubCourse();
    pageAt(`/courses/${encodeURIComponent(COURSE)}`);
    await userEvent.click(await screen.findByRole('button', { name: 'Last 7 days' }));
    expect(screen.getByRole('button', { name: 'Last 7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(http.calls.filter((c) => c.url.endsWith('/overview')).at(-1)?.params).toEqual({
      from: '2025-09-24',
      to: '2025-09-30',
    });
    const units = screen.getByRole('link', { name: 'Units' });
    expect(units.getAttribute('href')).toContain('from=2025-09-24');
    expect(screen.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
    expect(units).not.toHaveAttribute('aria-current');
  });

  it('carries the range and the grouping to the other tabs, not one page’s own state', async () => {
    stubCourse();
    pageAt(
      `/courses/${encodeURIComponent(COURSE)}?from=2025-09-02&to=2025-09-05&group=sequential&sort=views&order=desc&video=v1&q=ad&page=2`,
    );
    const learners = await screen.findByRole('link', { name: 'Learners' });
    const query = new URLSearchParams(learners.getAttribute('href')!.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({
      from: '2025-09-02',
      to: '2025-09-05',
      group: 'sequential',
    });
  });

  it('describes each chart in words and shows its numbers as a table on request', async () => {
    stubCourse();
    pageAt(`/courses/${encodeURIComponent(COURSE)}?from=2025-09-01&to=2025-09-03`);
    expect(
      await screen.findByRole('img', {
        name: /From Sep 1, 2025 to Sep 3, 2025: 3 active learners in all, 12 h 30 min spent/,
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: 'Most visited: 1 Basics with 40 visits.' }),
    ).toBeInTheDocument();
    const daily = screen
      .getByRole('heading', { name: 'How active were learners each day?' })
      .closest('.card') as HTMLElement;
    await userEvent.click(within(daily).getByRole('button', { name: 'Chart actions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Show as table' }));
    const rows = within(daily).getAllByRole('row');
    expect(rows).toHaveLength(4); // header + 3 days
    expect(
      within(rows[3]!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Sep 3, 2025', '2', '20 min', '2', '0 s']);
  });

  it('says when the range is empty and offers the whole run', async () => {
    stubCourse();
    http.answers[`${base}/overview`] = (params: Record<string, unknown>) => ({
      ...overview(params),
      active_learners: 0,
    });
    pageAt(`/courses/${encodeURIComponent(COURSE)}?from=2025-09-02&to=2025-09-02`);
    expect(await screen.findByText('No data from Sep 2, 2025 to Sep 2, 2025.')).toBeInTheDocument();
    await userEvent.click(screen.getAllByRole('button', { name: 'Show the whole run' })[0]!);
    expect(http.calls.filter((c) => c.url.endsWith('/overview')).at(-1)?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
  });

  it('offers to retry a chart that failed', async () => {
    stubCourse();
    http.answers[`${base}/units`] = apiError(
      503,
      'database_unavailable',
      'the database cannot be reached',
    );
    pageAt(`/courses/${encodeURIComponent(COURSE)}`);
    expect(
      await screen.findByText('These numbers could not be loaded: the database cannot be reached'),
    ).toBeInTheDocument();
    http.answers[`${base}/units`] = chapters;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('img', { name: 'Most visited: 1 Basics with 40 visits.' }),
    ).toBeInTheDocument();
  });

  it('tells a user who is not on the course team so (403)', async () => {
    http.answers['/api/v1/courses'] = [];
    http.answers[`${base}/structure`] = apiError(
      403,
      'forbidden',
      `you are not on the course team of ${COURSE}`,
    );
    pageAt(`/courses/${encodeURIComponent(COURSE)}`);
    expect(
      await screen.findByRole('heading', { name: `You are not on the course team of ${COURSE}.` }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your courses' })).toHaveAttribute('href', '/');
  });
});
