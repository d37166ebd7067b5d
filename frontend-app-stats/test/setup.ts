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
