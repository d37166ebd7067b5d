import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { VideoRow, VideoTimeline } from '@course-stats/db/types';
import { CourseLayout } from '../src/features/course/index.ts';
import { VideosPage } from '../src/features/videos/index.ts';
import { sortFromSearch, sortLines, videoLines, withSort } from '../src/features/videos/sorting.ts';
import { mostWatched, timelineSpec } from '../src/features/videos/specs.ts';
import { apiError, COURSE, courseApi, courseFixture, http, renderAt, Route } from './render.tsx';

const base = courseApi;
const RANGE = '?from=2025-09-01&to=2025-09-03';
const course = courseFixture({ learners: 6 });

const video = (name: string) => `block-v1:Org+Stats+2025+type@video+block@${name}`;
const WELCOME = video('welcome');
const DEEP = video('deep');
const LOST = video('lost');

// In course order, as the API answers.
const VIDEOS: VideoRow[] = [
  {
    id: WELCOME,
    label: '1.1.1',
    name: 'Welcome',
    duration: 125.4,
    views: 10,
    viewers: 4,
    watch_s: 900,
    completed_viewers: 3,
    mean_coverage: 0.8,
  },
  {
    id: DEEP,
    label: '1.2.1',
    name: 'Deep dive',
    duration: 3725,
    views: 30,
    viewers: 6,
    watch_s: 2400,
    completed_viewers: 2,
    mean_coverage: 0.5,
  },
  {
    id: LOST,
    label: '2.1.1',
    name: 'Lost footage',
    duration: null,
    views: 2,
    viewers: 1,
    watch_s: 30,
    completed_viewers: 0,
    mean_coverage: null,
  },
];

/** 126 seconds (ceil(125.4)); most viewers at 1:05, where two of them watch again. */
const WELCOME_TIMELINE: VideoTimeline = {
  duration: 125.4,
  seconds: Array.from({ length: 126 }, (_, s) => {
    const viewers = s === 65 ? 4 : s < 100 ? 3 : 1;
    const repeats = s >= 60 && s < 70 ? 2 : 0;
    return { s, viewers, views: viewers + repeats, repeats };
  }),
};

const timelinePath = (id: string) => `${base}/videos/${id}/timeline`;

function stubCourse() {
  http.answers['/api/v1/courses'] = [course];
  http.answers[`${base}/structure`] = { course_id: COURSE, name: 'Statistics', chapters: [] };
  http.answers[`${base}/videos`] = VIDEOS;
  http.answers[timelinePath(WELCOME)] = WELCOME_TIMELINE;
  http.answers[timelinePath(LOST)] = { duration: null, seconds: [] };
}

/** The videos page inside the course layout. */
const pageAt = (query: string, locale = 'en') =>
  renderAt(
    `/courses/${encodeURIComponent(COURSE)}/videos${query}`,
    <Route path="/courses/:courseId" element={<CourseLayout />}>
      <Route path="videos" element={<VideosPage />} />
    </Route>,
    locale,
  );

const videosTable = () => screen.getByRole('table', { name: 'Which videos do learners watch?' });
const bodyRows = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
const cells = (row: HTMLElement) =>
  [...row.querySelectorAll('th, td')].map((cell) => cell.textContent);
const names = () => bodyRows(videosTable()).map((row) => cells(row)[1]);
const searchOf = () => new URLSearchParams(screen.getByTestId('location').textContent ?? '');
const timelineCalls = () => http.calls.filter((call) => call.url.endsWith('/timeline'));

describe('the videos page (/courses/:courseId/videos)', () => {
  it('lists the videos in course order with duration, numbers and completed share', async () => {
    stubCourse();
    pageAt(RANGE);
    const table = await screen.findByRole('table', { name: 'Which videos do learners watch?' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual([
      'Position',
      'Video',
      'Duration',
      'Views',
      'Viewers',
      'Minutes watched',
      'Completed',
    ]);
    expect(bodyRows(table).map(cells)).toEqual([
      ['1.1.1', 'Welcome', '2:05', '10', '4', '15', '75%'],
      ['1.2.1', 'Deep dive', '62:05', '30', '6', '40', '33%'],
      ['2.1.1', 'Lost footage', 'unknown', '2', '1', '0.5', '0%'],
    ]);
    expect(screen.getByRole('columnheader', { name: /^Position/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect(http.calls.find((call) => call.url.endsWith('/videos'))?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-03',
    });
    expect(
      screen.getByText('Choose a video to see which parts learners watch, skip and repeat.'),
    ).toBeInTheDocument();
    expect(timelineCalls()).toEqual([]);
    // Every number says what it counts.
    for (const column of ['Duration', 'Views', 'Viewers', 'Minutes watched', 'Completed']) {
      expect(screen.getByRole('button', { name: `What does “${column}” count?` })).toBeVisible();
    }
  });

  it('sorts by a column from its header, the second click descending, by keyboard too', async () => {
    stubCourse();
    pageAt(RANGE);
    await screen.findByRole('table', { name: 'Which videos do learners watch?' });
    const views = screen.getByRole('button', { name: 'Views' });
    await userEvent.click(views);
    expect(names()).toEqual(['Lost footage', 'Welcome', 'Deep dive']);
    expect(screen.getByRole('columnheader', { name: /^Views/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect(screen.getByRole('columnheader', { name: /^Position/ })).not.toHaveAttribute(
      'aria-sort',
    );
    await userEvent.click(views);
    expect(names()).toEqual(['Deep dive', 'Welcome', 'Lost footage']);
    expect(screen.getByRole('columnheader', { name: /^Views/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    // Unknown values stay last in both directions; Enter on a focused header sorts.
    screen.getByRole('button', { name: 'Duration' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(names()).toEqual(['Welcome', 'Deep dive', 'Lost footage']);
    await userEvent.keyboard('{Enter}');
    expect(names()).toEqual(['Deep dive', 'Welcome', 'Lost footage']);
    expect(screen.getByRole('columnheader', { name: /^Duration/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
  });

  it('keeps the sort in the URL, course order leaving it out', async () => {
    stubCourse();
    pageAt(RANGE);
    await screen.findByRole('table', { name: 'Which videos do learners watch?' });
    await userEvent.click(screen.getByRole('button', { name: 'Views' }));
    expect(searchOf().get('sort')).toBe('views');
    expect(searchOf().get('order')).toBe('asc');
    await userEvent.click(screen.getByRole('button', { name: 'Views' }));
    expect(searchOf().get('order')).toBe('desc');
    expect(searchOf().get('from')).toBe('2025-09-01');
    await userEvent.click(screen.getByRole('button', { name: 'Position' }));
    expect(names()).toEqual(['Welcome', 'Deep dive', 'Lost footage']);
    expect(searchOf().has('sort')).toBe(false);
    expect(searchOf().has('order')).toBe(false);
  });

  it('opens sorted as a shared link says, and keeps the sort when a video is chosen', async () => {
    stubCourse();
    pageAt(`${RANGE}&sort=watch_s&order=desc`);
    await screen.findByRole('table', { name: 'Which videos do learners watch?' });
    expect(names()).toEqual(['Deep dive', 'Welcome', 'Lost footage']);
    expect(screen.getByRole('columnheader', { name: /^Minutes watched/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Welcome' }));
    expect(searchOf().get('video')).toBe(WELCOME);
    expect(searchOf().get('sort')).toBe('watch_s');
    expect(names()).toEqual(['Deep dive', 'Welcome', 'Lost footage']);
  });

  it('selecting a video keeps it in the URL and loads its timeline', async () => {
    stubCourse();
    pageAt(RANGE);
    const welcome = await screen.findByRole('button', { name: 'Welcome' });
    expect(welcome).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(welcome);
    expect(searchOf().get('video')).toBe(WELCOME);
    expect(searchOf().get('from')).toBe('2025-09-01');
    expect(screen.getByRole('button', { name: 'Welcome' })).toHaveAttribute('aria-pressed', 'true');
    expect(
      await screen.findByRole('heading', { name: 'Which parts of “Welcome” do learners watch?' }),
    ).toBeInTheDocument();
    expect(timelineCalls()).toHaveLength(1);
    expect(timelineCalls()[0]!.url).toBe(
      `https://stats.example.test/api/v1/courses/${encodeURIComponent(COURSE)}/videos/${encodeURIComponent(WELCOME)}/timeline`,
    );
    expect(timelineCalls()[0]!.params).toEqual({ from: '2025-09-01', to: '2025-09-03' });
    expect(
      screen.queryByText('Choose a video to see which parts learners watch, skip and repeat.'),
    ).not.toBeInTheDocument();
  });

  it('describes the timeline by its most watched second, from a shared link', async () => {
    stubCourse();
    pageAt(`${RANGE}&video=${encodeURIComponent(WELCOME)}`);
    expect(
      await screen.findByRole('img', {
        name: 'The most watched moment of “Welcome” is 1:05, seen by 4 learners.',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Welcome' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows the timeline as a table and downloads its CSV', async () => {
    stubCourse();
    pageAt(`${RANGE}&video=${encodeURIComponent(WELCOME)}`);
    const title = 'Which parts of “Welcome” do learners watch?';
    await screen.findByRole('img', { name: /most watched moment/ });
    const card = screen.getByRole('heading', { name: title }).closest('.card') as HTMLElement;
    await userEvent.click(within(card).getByRole('button', { name: 'Chart actions' }));
    await userEvent.click(screen.getByRole('button', { name: 'Show as table' }));
    const table = within(card).getByRole('table', { name: title });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(127); // header + 126 seconds
    expect(cells(rows[0]!)).toEqual(['Moment (m:ss)', 'Viewers', 'Views', 'Repeats']);
    expect(cells(rows[66]!)).toEqual(['1:05', '4', '6', '2']);
    expect(cells(rows[126]!)).toEqual(['2:05', '1', '1', '0']);

    await userEvent.click(within(card).getByRole('button', { name: 'Chart actions' }));
    await userEvent.click(within(card).getByRole('button', { name: 'Download CSV' }));
    expect(http.calls.at(-1)?.url).toBe(
      `https://stats.example.test/api/v1/courses/${encodeURIComponent(COURSE)}/videos/${encodeURIComponent(WELCOME)}/timeline?from=2025-09-01&to=2025-09-03&format=csv`,
    );
  });

  it('says so instead of drawing the timeline of a video of unknown duration', async () => {
    stubCourse();
    pageAt(RANGE);
    await userEvent.click(await screen.findByRole('button', { name: 'Lost footage' }));
    expect(
      await screen.findByText(
        'The duration of this video is unknown, so its timeline cannot be drawn.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Which parts of “Lost footage” do learners watch?' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(searchOf().get('video')).toBe(LOST);
  });

  it('downloads the table as CSV for the range', async () => {
    stubCourse();
    pageAt(RANGE);
    await screen.findByRole('table', { name: 'Which videos do learners watch?' });
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(http.calls.at(-1)?.url).toBe(
      `https://stats.example.test/api/v1/courses/${encodeURIComponent(COURSE)}/videos?from=2025-09-01&to=2025-09-03&format=csv`,
    );
    // No stub answers the CSV here: the failure is shown, not swallowed.
    expect(await screen.findByText(/^The download failed:/)).toBeInTheDocument();
  });

  it('says when nobody watched in the range and offers the whole run', async () => {
    stubCourse();
    http.answers[`${base}/videos`] = (params: Record<string, unknown>) =>
      params.from === '2025-09-01' && params.to === '2025-09-30'
        ? VIDEOS
        : VIDEOS.map((row) => ({ ...row, views: 0, viewers: 0, watch_s: 0, completed_viewers: 0 }));
    pageAt('?from=2025-09-02&to=2025-09-02');
    expect(await screen.findByText('No data from Sep 2, 2025 to Sep 2, 2025.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show the whole run' }));
    expect(await screen.findByRole('button', { name: 'Welcome' })).toBeInTheDocument();
    expect(http.calls.filter((call) => call.url.endsWith('/videos')).at(-1)?.params).toEqual({
      from: '2025-09-01',
      to: '2025-09-30',
    });
  });

  it('says when the course has no videos', async () => {
    stubCourse();
    http.answers[`${base}/videos`] = [];
    pageAt(RANGE);
    expect(await screen.findByText('This course has no videos.')).toBeInTheDocument();
    expect(screen.queryByText(/^Choose a video/)).not.toBeInTheDocument();
  });

  it('offers to retry the table and the timeline when they fail', async () => {
    stubCourse();
    http.answers[`${base}/videos`] = apiError(503, 'database_unavailable', 'the database is down');
    http.answers[timelinePath(WELCOME)] = apiError(503, 'database_unavailable', 'still down');
    pageAt(`${RANGE}&video=${encodeURIComponent(WELCOME)}`);
    expect(
      await screen.findByText('These numbers could not be loaded: the database is down'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('These numbers could not be loaded: still down'),
    ).toBeInTheDocument();
    http.answers[`${base}/videos`] = VIDEOS;
    http.answers[timelinePath(WELCOME)] = WELCOME_TIMELINE;
    for (const retry of screen.getAllByRole('button', { name: 'Retry' })) {
      await userEvent.click(retry);
    }
    expect(await screen.findByRole('button', { name: 'Welcome' })).toBeInTheDocument();
    expect(
      await screen.findByRole('img', { name: /most watched moment of “Welcome” is 1:05/ }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
  });

  it('speaks Spanish with its es-419 part', async () => {
    stubCourse();
    pageAt(`${RANGE}&video=${encodeURIComponent(WELCOME)}`, 'es-419');
    const table = await screen.findByRole('table', { name: '¿Qué videos ven los estudiantes?' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual([
      'Posición',
      'Video',
      'Duración',
      'Reproducciones',
      'Espectadores',
      'Minutos vistos',
      'Completado',
    ]);
    const [welcome, , lost] = bodyRows(table).map(cells);
    expect(welcome).toEqual([
      '1.1.1',
      'Welcome',
      '2:05',
      '10',
      '4',
      '15',
      expect.stringMatching(/^75\s?%$/),
    ]);
    expect(lost?.[2]).toBe('desconocida');
    expect(lost?.[5]).toBe(new Intl.NumberFormat('es-419').format(0.5));
    expect(
      await screen.findByRole('img', {
        name: 'El momento más visto de “Welcome” es el 1:05, visto por 4 estudiantes.',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: '¿Qué partes de “Welcome” ven los estudiantes?' }),
    ).toBeInTheDocument();
  });
});

describe('the videos page helpers', () => {
  it('compile the timeline with vega-lite: stacked areas, m:ss axis, the duration marked', () => {
    const spec = timelineSpec(
      WELCOME_TIMELINE,
      {
        time: 'Time (m:ss)',
        second: 'Moment',
        views: 'Views',
        viewers: 'Viewers',
        repeats: 'Repeats',
        viewsAxis: 'Views of each second',
        end: 'End',
      },
      (s) => `${Math.floor(s / 60)}:${String(Math.round(s) % 60).padStart(2, '0')}`,
    ) as TopLevelSpec & { layer: Record<string, unknown>[] };
    expect(() => compile(spec)).not.toThrow();
    const text = JSON.stringify(spec);
    expect(text).not.toMatch(/#[0-9a-f]{6}/i);
    expect(spec).toMatchObject({
      width: 'container',
      autosize: { type: 'fit', contains: 'padding' },
    });
    const [area, hover, end] = spec.layer as {
      mark: { type: string };
      data: { values: Record<string, unknown>[] };
      encoding: Record<string, unknown>;
    }[];
    expect(area!.mark.type).toBe('area');
    expect(area!.encoding.y).toMatchObject({ stack: 'zero', title: 'Views of each second' });
    expect(area!.data.values.slice(130, 132)).toEqual([
      { s: 65, series: 'Viewers', order: 0, count: 4 },
      { s: 65, series: 'Repeats', order: 1, count: 2 },
    ]);
    expect(hover!.data.values[65]).toMatchObject({
      clock: '1:05',
      viewers: 4,
      views: 6,
      repeats: 2,
    });
    expect(end!.data.values).toEqual([{ s: 125.4, clock: '2:05' }]);
    expect(String((area!.encoding.x as { axis: { labelExpr: string } }).axis.labelExpr)).toContain(
      'floor(datum.value / 60)',
    );
    expect(mostWatched(WELCOME_TIMELINE)).toEqual({ s: 65, viewers: 4, views: 6, repeats: 2 });
    expect(mostWatched({ duration: 3, seconds: [] })).toBeUndefined();
  });

  it('read the sort from the URL: course order unless it names a column of the table', () => {
    const read = (query: string) => sortFromSearch(new URLSearchParams(query));
    expect(read('')).toEqual({ column: 'position', order: 'asc' });
    expect(read('sort=viewers&order=desc')).toEqual({ column: 'viewers', order: 'desc' });
    expect(read('sort=viewers&order=sideways')).toEqual({ column: 'viewers', order: 'asc' });
    // the learners table's columns are not this table's
    expect(read('sort=sessions&order=desc')).toEqual({ column: 'position', order: 'asc' });
    const written = withSort(new URLSearchParams('from=2025-09-01&sort=views&order=desc'), {
      column: 'position',
      order: 'asc',
    });
    expect(written.toString()).toBe('from=2025-09-01');
    expect(withSort(written, { column: 'completed', order: 'desc' }).toString()).toBe(
      'from=2025-09-01&sort=completed&order=desc',
    );
  });

  it('sorts empty values last either way, ties in course order', () => {
    const lines = videoLines(VIDEOS);
    const order = (column: 'completed' | 'name', direction: 'asc' | 'desc') =>
      sortLines(lines, { column, order: direction }, 'en').map((line) => line.label);
    expect(order('completed', 'asc')).toEqual(['2.1.1', '1.2.1', '1.1.1']);
    expect(order('name', 'desc')).toEqual(['1.1.1', '2.1.1', '1.2.1']);
    const silent = videoLines([{ ...VIDEOS[0]!, viewers: 0 }, VIDEOS[1]!]);
    expect(silent[0]!.completed).toBeNull();
    expect(
      sortLines(silent, { column: 'completed', order: 'desc' }, 'en').map((l) => l.label),
    ).toEqual(['1.2.1', '1.1.1']);
  });
});
