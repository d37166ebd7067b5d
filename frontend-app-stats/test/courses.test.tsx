import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { vi } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { CourseListItem } from '@course-stats/db/types';
import { CoursesPage } from '../src/features/courses/index.ts';
import { searchCourses, splitCourses } from '../src/features/courses/groups.ts';
import { apiError, http, renderAt, Route } from './render.tsx';

const course = (id: string, extra: Partial<CourseListItem> = {}): CourseListItem => ({
  course_id: id,
  name: `Course ${id.split('+')[1]}`,
  start: '2025-09-01T00:00:00Z',
  end: null,
  image: null,
  learners: 12,
  first_event: '2025-09-01T08:00:00.000Z',
  last_event: '2025-09-30T18:00:00.000Z',
  first_day: '2025-09-01',
  last_day: '2025-09-30',
  last_processed: '2025-10-01T06:00:00.000Z',
  ...extra,
});

const COURSES = [
  course('course-v1:Org+Stats+2025', { name: 'Estadística básica' }),
  course('course-v1:Org+Old+2020', {
    name: 'Old physics',
    end: '2020-12-31T00:00:00Z',
    last_event: '2020-12-01T00:00:00.000Z',
  }),
  course('course-v1:Org+Bio+2025', {
    name: 'Biology',
    last_event: '2025-10-30T00:00:00.000Z',
    image: 'https://img.example.test/bio.png',
  }),
];

const page = (locale = 'en') => renderAt('/', <Route path="/" element={<CoursesPage />} />, locale);

describe('the course list (/)', () => {
  it('splits current and archived courses, newest data first', () => {
    const { current, archived } = splitCourses(COURSES, new Date('2025-11-01T00:00:00Z'));
    expect(current.map((c) => c.course_id)).toEqual([
      'course-v1:Org+Bio+2025',
      'course-v1:Org+Stats+2025',
    ]);
    expect(archived.map((c) => c.course_id)).toEqual(['course-v1:Org+Old+2020']);
  });

  it('searches names and keys, case and accents aside', () => {
    expect(searchCourses(COURSES, 'ESTADISTICA').map((c) => c.name)).toEqual([
      'Estadística básica',
    ]);
    expect(searchCourses(COURSES, 'org old').map((c) => c.name)).toEqual(['Old physics']);
    expect(searchCourses(COURSES, '  ')).toHaveLength(3);
  });

  it('shows cards with a link, learners and the date of the data', async () => {
    http.answers['/api/v1/courses'] = COURSES;
    page();
    const current = await screen.findByRole('region', { name: 'Current courses (2)' });
    const links = within(current).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      `/courses/${encodeURIComponent('course-v1:Org+Bio+2025')}`,
      `/courses/${encodeURIComponent('course-v1:Org+Stats+2025')}`,
    ]);
    expect(within(current).getAllByText('12 learners')).toHaveLength(2);
    expect(within(current).getAllByText(/^Data up to /)).toHaveLength(2);
    expect(screen.getByRole('region', { name: 'Archived courses (1)' })).toBeInTheDocument();
  });

  it('filters as the user types', async () => {
    http.answers['/api/v1/courses'] = COURSES;
    page();
    const search = await screen.findByRole('searchbox');
    await userEvent.type(search, 'bio');
    expect(screen.getByRole('region', { name: 'Current courses (1)' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Archived/ })).toBeNull();
    await userEvent.clear(search);
    await userEvent.type(search, 'chemistry');
    expect(screen.getByRole('status')).toHaveTextContent('No course matches “chemistry”.');
  });

  it('says when there is no course, with the operators documentation', async () => {
    http.answers['/api/v1/courses'] = [];
    page();
    expect(
      await screen.findByText('You are not on the team of any course with data yet.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /How course data gets here/ })).toHaveAttribute(
      'href',
      'https://docs.example.test/operators',
    );
  });

  it('offers to retry when the list fails', async () => {
    http.answers['/api/v1/courses'] = apiError(
      503,
      'lms_unavailable',
      'the LMS cannot be asked for course roles; try again',
    );
    page();
    expect(
      await screen.findByText(/Your courses could not be loaded: the LMS cannot be asked/),
    ).toBeInTheDocument();
    http.answers['/api/v1/courses'] = COURSES;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'Current courses (2)' })).toBeInTheDocument();
  });

  it('speaks Spanish (es-419)', async () => {
    http.answers['/api/v1/courses'] = COURSES;
    page('es-419');
    expect(await screen.findByRole('region', { name: 'Cursos en curso (2)' })).toBeInTheDocument();
    expect(screen.getAllByText('12 estudiantes')).toHaveLength(3);
  });
});

describe('a session that ended', () => {
  it('sends the user to the LMS login, then back here (401)', async () => {
    const { getAuthService } = await import('@edx/frontend-platform/auth');
    const redirect = (getAuthService() as unknown as { redirectToLogin: ReturnType<typeof vi.fn> })
      .redirectToLogin;
    redirect.mockClear();
    http.answers['/api/v1/courses'] = apiError(401, 'unauthorized', 'the token has expired');
    page();
    await waitFor(() => expect(redirect).toHaveBeenCalledWith(globalThis.location.href));
  });
});
