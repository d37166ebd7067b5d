import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { http } from './http.ts';

// frontend-platform's mock services call jest.fn() (lms-protocol.md).
(globalThis as unknown as { jest: typeof vi }).jest = vi;

afterEach(() => {
  cleanup();
  http.answers = {};
  http.calls.length = 0;
});

// Charts draw with vega in a browser; in these tests a chart is its text alternative, and keeps
// its spec at hand for the tests that look at what would be drawn.
vi.mock('../src/charts/VegaChart.tsx', () => ({
  default: ({ description, spec }: { description: string; spec: unknown }) => (
    <div role="img" aria-label={description} data-spec={JSON.stringify(spec)} />
  ),
}));
