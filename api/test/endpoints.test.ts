import {
  courseStructure,
  overview,
  units,
  videos,
  type LearnersPage,
  type Overview,
} from '@course-stats/db';
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_FROM_BYTES } from '../src/encoding.ts';
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
const course = `/api/v1/courses/${enc(COURSE)}`;
const range = `from=${FROM}&to=${TO}`;
const completion = { completionExcludedTypes: ['discussion'] };

describe('the data endpoints (issue: API, data)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let video: string;
  let username: string;
  const get = async (path: string, init?: { headers?: Record<string, string> }) => {
    const response = await api.get(path, { as: 'staff', ...init });
    return response;
  };
  const json = async (path: string) => {
    const response = await get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return response.json();
  };

  beforeAll(async () => {
    db = await courseDatabase();
    api = await startTestApi(db);
    ({ video, username } = await sampleKeys(db));
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers exactly what the read models (and `report`) compute', async () => {
    const params = { courseId: COURSE, from: FROM, to: TO };
    expect(await json(`${course}/overview?${range}`)).toEqual(await overview(db.sql, params));
    expect(await json(`${course}/units?${range}`)).toEqual(
      await units(db.sql, { ...params, ...completion }),
    );
    expect(await json(`${course}/videos?${range}`)).toEqual(await videos(db.sql, params));
    expect(await json(`${course}/structure`)).toEqual(await courseStructure(db.sql, COURSE));
  });

  it('has every day of the range, zeros included, and the shapes of interfaces.md', async () => {
    const body = (await json(`${course}/overview?from=2025-08-30&to=${TO}`)) as Overview;
    expect(body.series.map((d) => d.date)).toEqual([
      '2025-08-30',
      '2025-08-31',
      '2025-09-01',
      '2025-09-02',
      '2025-09-03',
      '2025-09-04',
      '2025-09-05',
    ]);
    expect(body.series[0]).toEqual({
      date: '2025-08-30',
      active_learners: 0,
      time_s: 0,
      visits: 0,
      video_watch_s: 0,
    });
    expect(body.active_learners).toBeGreaterThan(10);
    expect(Object.keys(await json(`${course}/pages?${range}`)).sort()).toEqual([
      'discussion',
      'home',
      'other',
      'progress',
      'unplaced',
    ]);
    const daily = (await json(`${course}/visits/daily?${range}&group=chapter`)) as {
      date: string;
    }[];
    const chapters = (await json(`${course}/structure`)).chapters.length;
    expect(daily.length).toBe(5 * chapters);
    const timeline = await json(`${course}/videos/${enc(video)}/timeline?${range}`);
    expect(timeline.seconds.length).toBe(Math.ceil(timeline.duration));
    expect(timeline.seconds[0]).toEqual({
      s: 0,
      viewers: expect.any(Number),
      views: expect.any(Number),
      repeats: expect.any(Number),
    });
  });

  it('keeps course order in units, and groups one level up', async () => {
    const structure = await json(`${course}/structure`);
    const unitIds = structure.chapters.flatMap(
      (c: { sequentials: { units: { id: string }[] }[] }) =>
        c.sequentials.flatMap((s) => s.units.map((u) => u.id)),
    );
    const rows = (await json(`${course}/units?${range}`)) as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(unitIds);
    const chapters = (await json(`${course}/units?${range}&group=chapter`)) as { id: string }[];
    expect(chapters.map((r) => r.id)).toEqual(structure.chapters.map((c: { id: string }) => c.id));
  });

  it('pages, sorts and searches learners', async () => {
    const all = (await json(`${course}/learners?${range}&page_size=500`)) as LearnersPage;
    expect(all.total).toBe(all.rows.length);
    const page = (await json(
      `${course}/learners?${range}&page=2&page_size=5&sort=username&order=asc`,
    )) as LearnersPage;
    const byName = [...all.rows].map((r) => r.username).sort();
    expect(page.total).toBe(all.total);
    expect(page.rows.map((r) => r.username)).toEqual(
      [...all.rows]
        .sort((a, b) => (a.username! < b.username! ? -1 : 1))
        .slice(5, 10)
        .map((r) => r.username),
    );
    expect(byName.length).toBe(all.total);
    const found = (await json(`${course}/learners?${range}&q=${enc(username)}`)) as LearnersPage;
    expect(found.rows.map((r) => r.username)).toContain(username);
    const detail = await json(`${course}/learners/${enc(username)}?${range}`);
    expect(detail.username).toBe(username);
    expect(detail.units.length).toBeGreaterThan(0);
    const grid = await json(`${course}/matrix?${range}&metric=visits&group=chapter&page_size=3`);
    expect(grid.rows.length).toBe(3);
    expect(grid.rows[0].values.length).toBe(grid.columns.length);
  });

  it.each([
    [`${course}/overview?to=${TO}`, 'from'],
    [`${course}/overview?from=${FROM}`, 'to'],
    [`${course}/overview?from=2025-02-30&to=${TO}`, 'from'],
    [`${course}/overview?from=${FROM}&to=09/05/2025`, 'to'],
    [`${course}/overview?from=${TO}&to=${FROM}`, 'from'],
    [`${course}/overview?from=1900-01-01&to=2025-01-01`, 'to'],
    [`${course}/units?${range}&group=section`, 'group'],
    [`${course}/visits/daily?${range}&group=video`, 'group'],
    [`${course}/learners?${range}&page_size=501`, 'page_size'],
    [`${course}/learners?${range}&page=0`, 'page'],
    [`${course}/learners?${range}&page=1e3`, 'page'],
    [`${course}/learners?${range}&sort=password`, 'sort'],
    [`${course}/learners?${range}&order=sideways`, 'order'],
    [`${course}/learners?${range}&q=${'x'.repeat(151)}`, 'q'],
    [`${course}/matrix?${range}&metric=grades`, 'metric'],
    [
      `/api/v1/courses/${enc("course-v1:X'; DROP TABLE events;--+Y+Z")}/overview?${range}`,
      'course',
    ],
    [`/api/v1/courses/${enc('course-v1:X+Y+Z" OR "1"="1')}/overview?${range}`, 'course'],
    [
      `${course}/videos/${enc("block-v1:X+Y+Z+type@video+block@a' OR 1=1")}/timeline?${range}`,
      'video',
    ],
    [`${course}/videos/${enc('block-v1:X+Y+Z+type@html+block@a')}/timeline?${range}`, 'video'],
    [`${course}/learners/${enc("bob'--")}?${range}`, 'username'],
  ])('answers 400 naming the parameter: %s', async (path, parameter) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('bad_parameter');
    expect(error.message.startsWith(`${parameter}:`)).toBe(true);
  });

  it('answers 404 for an unknown course, video or learner', async () => {
    const unknownCourse = await api.get(
      `/api/v1/courses/${enc('course-v1:No+Such+Course')}/overview?${range}`,
      { as: 'admin' },
    );
    expect(unknownCourse.status).toBe(404);
    const unknownVideo = await get(
      `${course}/videos/${enc(video.replace(/block@.*/, 'block@nonexistent'))}/timeline?${range}`,
    );
    expect(unknownVideo.status).toBe(404);
    expect((await get(`${course}/learners/nobody_here?${range}`)).status).toBe(404);
    expect((await get('/api/v1/nothing')).status).toBe(404);
  });

  it('answers CSV with a header line, every row and a file name', async () => {
    const rows = (await json(`${course}/units?${range}`)) as Record<string, unknown>[];
    const response = await get(`${course}/units?${range}&format=csv`);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="DemoOrg-STATS101-2025_T1-units-${FROM}-to-${TO}.csv"`,
    );
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(Object.keys(rows[0]!).join(','));
    expect(lines.length).toBe(rows.length + 1);

    const viaAccept = await get(`${course}/learners?${range}&page_size=2`, {
      headers: { accept: 'text/csv' },
    });
    const total = ((await json(`${course}/learners?${range}`)) as LearnersPage).total;
    expect((await viaAccept.text()).trimEnd().split('\r\n').length).toBe(total + 1);
    for (const path of [
      `${course}/overview?${range}`,
      `${course}/pages?${range}`,
      `${course}/visits/daily?${range}`,
      `${course}/videos?${range}`,
      `${course}/videos/${enc(video)}/timeline?${range}`,
      `${course}/matrix?${range}`,
      '/api/v1/courses',
    ]) {
      const csv = await get(`${path}${path.includes('?') ? '&' : '?'}format=csv`);
      expect({ path, type: csv.headers.get('content-type') }).toEqual({
        path,
        type: 'text/csv; charset=utf-8',
      });
      expect((await csv.text()).split('\r\n').length).toBeGreaterThan(2);
    }
  });

  it('serves new numbers as soon as the processor changed the data version', async () => {
    const path = `${course}/overview?${range}`;
    const before = (await json(path)) as Overview;
    // A fact changes without a new version: the cached answer stays.
    await db.sql`UPDATE learner_day SET time_s = time_s + 1000
      WHERE course_id = ${COURSE} AND day = ${FROM}`;
    expect(((await json(path)) as Overview).time_s).toBe(before.time_s);
    await db.sql`UPDATE course_processing SET data_version = data_version + 1
      WHERE course_id = ${COURSE}`;
    const after = (await json(path)) as Overview;
    expect(after.time_s).toBeGreaterThan(before.time_s + 999);
  });

  it('sends a large answer gzipped to clients that accept gzip, the same JSON as to others', async () => {
    const cookie = api.lms.cookieHeader(await api.lms.tokenFor('staff'));
    const path = `${course}/units?${range}`;
    const plain = await rawGet(`${api.url}${path}`, { cookie });
    const gzipped = await rawGet(`${api.url}${path}`, {
      cookie,
      'accept-encoding': 'gzip, deflate, br, zstd',
    });
    const refused = await rawGet(`${api.url}${path}`, {
      cookie,
      'accept-encoding': 'br, gzip;q=0',
    });
    expect(plain.body.length).toBeGreaterThan(COMPRESS_FROM_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect(refused.body.equals(plain.body)).toBe(true);
    for (const answer of [plain, gzipped, refused]) {
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    }
    // A small answer is sent as it is.
    const small = `${api.url}${course}/overview?from=${TO}&to=${TO}`;
    expect((await rawGet(small, { cookie })).body.length).toBeLessThan(COMPRESS_FROM_BYTES);
    const smallGzip = await rawGet(small, { cookie, 'accept-encoding': 'gzip' });
    expect(smallGzip.headers['content-encoding']).toBeUndefined();
    expect(smallGzip.headers.vary).toBe('Origin');
  });

  it('allows the configured origin with credentials, and no other', async () => {
    const allowed = await api.get('/api/v1/me', {
      method: 'OPTIONS',
      headers: { origin: 'http://apps.example.test', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://apps.example.test');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const csv = await api.get(`${course}/overview?${range}&format=csv`, {
      as: 'staff',
      headers: { origin: 'http://apps.example.test' },
    });
    expect(csv.headers.get('access-control-allow-origin')).toBe('http://apps.example.test');
    expect(csv.headers.get('access-control-expose-headers')).toBe('Content-Disposition');
    // A JSON answer (computed, then cached) writes its own headers; an error gets them too.
    for (const path of [
      `${course}/units?${range}`,
      `${course}/units?${range}`,
      `${course}/nothing`,
    ]) {
      const response = await api.get(path, {
        as: 'staff',
        headers: { origin: 'http://apps.example.test' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBe('http://apps.example.test');
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('vary')).toMatch(/^Origin\b/);
    }
    const other = await api.get('/api/v1/me', {
      as: 'staff',
      headers: { origin: 'http://evil.example.test' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');
  });

  it('reports its health without credentials', async () => {
    const response = await api.get('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      database: 'ok',
      cache: 'off',
      version: expect.any(String),
    });
  });
});

/** A GET whose body is the bytes sent (fetch would decompress them). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
