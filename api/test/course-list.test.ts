import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test-support/database.ts';
import { COURSE, courseDatabase, startTestApi } from './harness.ts';

/** A course-discovery stand-in: `/api/v1/course_runs/?keys=...` as course-discovery answers. */
async function startDiscovery() {
  const requests: { url: string; authorization?: string }[] = [];
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url!, authorization: request.headers.authorization });
    const url = new URL(request.url!, 'http://discovery');
    if (url.pathname !== '/api/v1/course_runs/') {
      response.writeHead(404).end();
      return;
    }
    const keys = (url.searchParams.get('keys') ?? '').split(',');
    const results = keys
      .filter((key) => key === COURSE)
      .map((key) => ({
        key,
        title: 'Statistics 101 (from discovery)',
        short_description: '',
        image: { src: 'https://images.example.test/stats101.png' },
        start: '2025-09-01T00:00:00Z',
        end: '2026-01-31T00:00:00Z',
      }));
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ count: results.length, next: null, previous: null, results }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the course list (issue: API, names, dates and images without course-discovery)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await courseDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('takes names, dates and images from the LMS Courses API, once an hour', async () => {
    const api = await startTestApi(db);
    try {
      const rows = await (await api.get('/api/v1/courses', { as: 'staff' })).json();
      expect(rows).toEqual([
        {
          course_id: COURSE,
          name: 'Statistics 101: Learning from Data',
          start: '2025-09-01T00:00:00Z',
          end: '2025-12-31T00:00:00Z',
          image: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\//),
          learners: expect.any(Number),
          first_event: expect.stringMatching(/^2025-09-01T/),
          last_event: expect.stringMatching(/^2025-09-05T/),
          first_day: '2025-09-01',
          last_day: '2025-09-05',
          last_processed: expect.any(String),
        },
      ]);
      expect(rows[0].learners).toBeGreaterThan(10);
      await api.get('/api/v1/courses', { as: 'instructor' });
      const asked = api.lms.requests.filter((r) => r.endpoint === 'courses');
      expect(asked.length).toBe(1);
      expect(asked[0]!.path).toContain(`course_keys=${encodeURIComponent(COURSE)}`);
    } finally {
      await api.close();
    }
  });

  it('takes them from course-discovery when DISCOVERY_API_BASE_URL is set, with the caller token', async () => {
    const discovery = await startDiscovery();
    const api = await startTestApi(db, { env: { DISCOVERY_API_BASE_URL: discovery.url } });
    try {
      const [row] = await (await api.get('/api/v1/courses', { as: 'admin' })).json();
      expect(row).toMatchObject({
        course_id: COURSE,
        name: 'Statistics 101 (from discovery)',
        image: 'https://images.example.test/stats101.png',
        end: '2026-01-31T00:00:00Z',
      });
      expect(discovery.requests).toEqual([
        {
          url: expect.stringContaining(`keys=${encodeURIComponent(COURSE)}`),
          authorization: expect.stringMatching(/^JWT ey/),
        },
      ]);
      expect(api.lms.requests.filter((r) => r.endpoint === 'courses')).toEqual([]);
    } finally {
      await api.close();
      await discovery.close();
    }
  });

  it("keeps the stored structure's name when the LMS cannot say", async () => {
    const api = await startTestApi(db);
    try {
      api.lms.fault('courses', { status: 500 }, Infinity);
      const response = await api.get('/api/v1/courses', { as: 'staff' });
      expect(response.status).toBe(200);
      const [row] = await response.json();
      const [stored] = await db.sql<{ name: string }[]>`
        SELECT name FROM course_structures WHERE course_id = ${COURSE}`;
      expect(row).toMatchObject({
        course_id: COURSE,
        name: stored!.name,
        image: null,
        start: null,
      });
    } finally {
      await api.close();
    }
  });
});
