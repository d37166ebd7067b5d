import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test-support/database.ts';
import {
  COURSE,
  courseDatabase,
  FROM,
  sampleKeys,
  startTestApi,
  TO,
  type TestApi,
} from './harness.ts';

const enc = encodeURIComponent;
const range = `from=${FROM}&to=${TO}`;

describe('course access (issue: API, role matrix through the LMS stand-in)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let endpoints: string[];

  beforeAll(async () => {
    db = await courseDatabase();
    api = await startTestApi(db);
    const { video, username } = await sampleKeys(db);
    const course = `/api/v1/courses/${enc(COURSE)}`;
    endpoints = [
      `${course}/structure`,
      `${course}/overview?${range}`,
      `${course}/units?${range}`,
      `${course}/units?${range}&group=chapter`,
      `${course}/pages?${range}`,
      `${course}/visits/daily?${range}&group=chapter`,
      `${course}/videos?${range}`,
      `${course}/videos/${enc(video)}/timeline?${range}`,
      `${course}/learners?${range}`,
      `${course}/learners/${enc(username)}?${range}`,
      `${course}/matrix?${range}&metric=time&group=unit`,
    ];
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it.each([
    ['staff', 200],
    ['instructor', 200],
    ['researcher', 200],
    ['admin', 200],
    ['learner', 403],
    ['other_staff', 403],
  ])('answers %s with %i on every course endpoint', async (user, status) => {
    for (const endpoint of endpoints) {
      const response = await api.get(endpoint, { as: user });
      expect({ endpoint, status: response.status }).toEqual({ endpoint, status });
      if (status === 403) expect((await response.json()).error.code).toBe('forbidden');
    }
  });

  it.each([
    ['staff', [COURSE]],
    ['researcher', [COURSE]],
    ['admin', [COURSE]],
    ['learner', []],
    ['other_staff', []],
  ])('lists to %s the courses they may see', async (user, courses) => {
    const response = await api.get('/api/v1/courses', { as: user });
    expect(response.status).toBe(200);
    const rows = (await response.json()) as { course_id: string }[];
    expect(rows.map((row) => row.course_id)).toEqual(courses);
  });

  it('answers /me to everyone signed in', async () => {
    for (const user of ['staff', 'learner', 'admin']) {
      const response = await api.get('/api/v1/me', { as: user });
      expect(await response.json()).toEqual({ username: user, administrator: user === 'admin' });
    }
  });

  it("asks the LMS for a user's roles once in 5 minutes, with the user's own token", async () => {
    const before = api.lms.requests.filter((r) => r.endpoint === 'roles').length;
    for (let i = 0; i < 3; i++) await api.get(endpoints[1]!, { as: 'instructor' });
    const asked = api.lms.requests.filter((r) => r.endpoint === 'roles').slice(before);
    expect(asked.length).toBeLessThanOrEqual(1);
    for (const request of api.lms.requests.filter((r) => r.endpoint === 'roles')) {
      expect(request.authorization).toMatch(/^JWT ey/);
    }
  });
});

describe('course access when the LMS fails', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await courseDatabase();
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const overview = `/api/v1/courses/${enc(COURSE)}/overview?${range}`;

  it.each([
    ['answers 503', { status: 503 }],
    ['hangs', { hangMs: 5000 }],
    ['drops the connection', { reset: true as const }],
  ])('is 503, never 403 or 200, when the roles API %s and nothing is cached', async (_, fault) => {
    api.lms.fault('roles', fault, Infinity);
    try {
      const started = performance.now();
      const response = await api.get(overview, { as: 'staff' });
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('lms_unavailable');
      expect(performance.now() - started).toBeLessThan(4500); // the 3 s timeout, not the hang
      expect((await api.get('/api/v1/courses', { as: 'researcher' })).status).toBe(503);
    } finally {
      api.lms.clearFaults();
    }
  });

  it('still serves administrators (the token says so) and cached roles', async () => {
    expect((await api.get(overview, { as: 'instructor' })).status).toBe(200);
    api.lms.fault('roles', { status: 500 }, Infinity);
    try {
      expect((await api.get(overview, { as: 'admin' })).status).toBe(200);
      expect((await api.get(overview, { as: 'instructor' })).status).toBe(200);
    } finally {
      api.lms.clearFaults();
    }
  });

  it('is 401 when the LMS refuses the token it is shown', async () => {
    api.lms.fault('roles', { status: 401, body: { detail: 'Invalid token.' } }, 1);
    const response = await api.get(overview, { as: 'researcher' });
    expect(response.status).toBe(401);
  });
});

describe('STATS_ALLOW_ADMINISTRATOR=false', () => {
  it('gives LMS global staff no course without a course role', async () => {
    const db = await courseDatabase();
    const api = await startTestApi(db, { env: { STATS_ALLOW_ADMINISTRATOR: 'false' } });
    try {
      const response = await api.get(`/api/v1/courses/${enc(COURSE)}/overview?${range}`, {
        as: 'admin',
      });
      expect(response.status).toBe(403);
      expect(await (await api.get('/api/v1/courses', { as: 'admin' })).json()).toEqual([]);
    } finally {
      await api.close();
      await db.drop();
    }
  });
});
