// The authenticated HTTP client the app gets from frontend-platform, answering from `answers` by
// path (the contract is interfaces.md; the real API is exercised by the end-to-end test).
import { vi } from 'vitest';

export type Answers = Record<string, unknown | ((params: Record<string, unknown>) => unknown)>;

/** The authenticated client the app gets from frontend-platform, answering from `answers`. */
export const http = {
  answers: {} as Answers,
  calls: [] as { url: string; params?: Record<string, unknown> }[],
  get: vi.fn(async (url: string, config?: { params?: Record<string, unknown> }) => {
    http.calls.push({ url, params: config?.params });
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const answer = http.answers[decodeURIComponent(path)] ?? http.answers[path];
    if (answer === undefined) {
      throw Object.assign(new Error(`no stub for ${path}`), {
        response: {
          status: 404,
          data: { error: { code: 'not_found', message: `${path} not found` } },
        },
      });
    }
    if (answer instanceof Error) throw answer;
    return {
      data:
        typeof answer === 'function'
          ? (answer as (p: Record<string, unknown>) => unknown)(config?.params ?? {})
          : answer,
      headers: {},
    };
  }),
};

export function apiError(status: number, code: string, message: string) {
  return Object.assign(new Error(message), {
    response: { status, data: { error: { code, message } } },
  });
}
