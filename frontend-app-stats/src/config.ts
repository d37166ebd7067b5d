// This app's own settings, added to frontend-platform's configuration at start (getConfig()).
import { getConfig, mergeConfig } from '@edx/frontend-platform';

export function loadAppConfig(): void {
  mergeConfig({
    STATS_API_BASE_URL: process.env.STATS_API_BASE_URL ?? '',
    STATS_OPERATOR_DOCS_URL: process.env.STATS_OPERATOR_DOCS_URL ?? '',
  });
}

/** Where the statistics API answers, without a trailing slash. */
export function apiBaseUrl(): string {
  return String(getConfig().STATS_API_BASE_URL ?? '').replace(/\/+$/, '');
}

export function operatorDocsUrl(): string {
  return String(getConfig().STATS_OPERATOR_DOCS_URL ?? '');
}
