// frontend-platform as the app finds it after initialize(): this app's settings, and the mock
// auth service whose authenticated client answers from the stubs of http.ts. (Imported by
// render.tsx: from a Vitest setup file, frontend-platform would load outside Vite's transform.)
import { mergeConfig } from '@edx/frontend-platform';
import {
  configure as configureAuth,
  getAuthService,
  MockAuthService,
} from '@edx/frontend-platform/auth';
import { vi } from 'vitest';
import { http } from './http.ts';

mergeConfig({
  STATS_API_BASE_URL: 'https://stats.example.test',
  STATS_OPERATOR_DOCS_URL: 'https://docs.example.test/operators',
});

configureAuth(MockAuthService, {
  config: {
    BASE_URL: 'http://localhost',
    LMS_BASE_URL: 'http://lms.example.test',
    LOGIN_URL: 'http://lms.example.test/login',
    LOGOUT_URL: 'http://lms.example.test/logout',
    REFRESH_ACCESS_TOKEN_ENDPOINT: 'http://lms.example.test/login_refresh',
    ACCESS_TOKEN_COOKIE_NAME: 'edx-jwt-cookie-header-payload',
    CSRF_TOKEN_API_PATH: '/csrf/api/v1/token',
  },
  loggingService: { logInfo: vi.fn(), logError: vi.fn() },
});
(
  getAuthService() as unknown as { getAuthenticatedHttpClient: ReturnType<typeof vi.fn> }
).getAuthenticatedHttpClient.mockImplementation(() => http);
