// Rendering a component as the app does: the store, the messages, a router at a URL. The API's
// answers are stubbed per path in http.ts.
import { render } from '@testing-library/react';
import { IntlProvider } from '@edx/frontend-platform/i18n';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
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
        </MemoryRouter>
      </Provider>
    </IntlProvider>,
  );
}

export { Route };
export { apiError, http } from './http.ts';
