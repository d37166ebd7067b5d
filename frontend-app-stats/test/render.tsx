// Rendering a component as the app does: the store, the messages, a router at a URL. The API's
// answers are stubbed per path in http.ts.
import { render } from '@testing-library/react';
import { IntlProvider } from '@edx/frontend-platform/i18n';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { CourseListItem } from '@course-stats/db/types';
import { createStore } from '../src/app/store.ts';
import './platform.ts';
import { appMessages } from '../src/i18n/index.ts';

export function renderAt(url: string, routes: React.ReactNode, locale = 'en') {
  const messages = locale === 'en' ? {} : appMessages[locale];
  return render(
    <IntlProvider locale={locale} messages={messages}>
      <Provider store={createStore()}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>{routes}</Routes>
          <Location />
        </MemoryRouter>
      </Provider>
    </IntlProvider>,
  );
}

export { Route };
export { apiError, http } from './http.ts';

/** The query of the current URL, for the tests of URL state (`screen.getByTestId('location')`). */
function Location() {
  return (
    <span hidden data-testid="location">
      {useLocation().search}
    </span>
  );
}

export const COURSE = 'course-v1:Org+Stats+2025';
/** The API path of the test course. */
export const courseApi = `/api/v1/courses/${COURSE}`;

/** The test course as the course list gives it: data from 2025-09-01 to 2025-09-30. */
export function courseFixture(extra: Partial<CourseListItem> = {}): CourseListItem {
  return {
    course_id: COURSE,
    name: 'Statistics',
    start: null,
    end: null,
    image: null,
    learners: 3,
    first_event: '2025-09-01T08:00:00.000Z',
    last_event: '2025-09-30T18:00:00.000Z',
    first_day: '2025-09-01',
    last_day: '2025-09-30',
    last_processed: '2025-10-01T06:00:00.000Z',
    ...extra,
  };
}
