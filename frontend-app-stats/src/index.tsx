// The micro-frontend's entry: frontend-platform reads the configuration, makes sure the user is
// signed in to the LMS (else sends them to its login), loads the messages, then the app renders.
import { APP_INIT_ERROR, APP_READY, initialize, subscribe } from '@edx/frontend-platform';
import { AppProvider, ErrorPage } from '@edx/frontend-platform/react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createStore } from './app/store.ts';
import { loadAppConfig } from './config.ts';
import { showFavicon } from './favicon.ts';
import messages from './i18n/index.ts';
import './index.scss';

showFavicon(process.env.FAVICON_URL);
const root = createRoot(document.getElementById('root')!);

subscribe(APP_READY, () => {
  root.render(
    <AppProvider store={createStore()}>
      <App />
    </AppProvider>,
  );
});

subscribe(APP_INIT_ERROR, (_message: string, error: unknown) => {
  root.render(<ErrorPage message={(error as Error).message} />);
});

initialize({
  messages,
  requireAuthenticatedUser: true,
  // Nothing here shows the account's profile (name, e-mail, picture): the header's username comes
  // from the sign-in token. Hydrating would cost a request to the LMS on every page load.
  hydrateAuthenticatedUser: false,
  handlers: { config: loadAppConfig },
});
