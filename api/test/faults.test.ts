import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test-support/database.ts';
import { REDIS_URL, redisRequiredOrReachable } from '../../test-support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../../test-support/tcp-proxy.ts';
import { announceDataVersions } from '../../processor/src/kpis/index.ts';
import { COURSE, courseDatabase, FROM, startTestApi, TO } from './harness.ts';

const overview = `/api/v1/courses/${encodeURIComponent(COURSE)}/overview?from=${FROM}&to=${TO}`;

const redisUrl = (await redisRequiredOrReachable('the API cache test with Redis'))
  ? REDIS_URL
  : undefined;

describe('the API when its services fail (issue: API, tests)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await courseDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('answers 200 with Redis unreachable, and says the cache is down', async () => {
    const api = await startTestApi(db, { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      expect((await api.get(overview, { as: 'staff' })).status).toBe(200);
      expect((await api.get(overview, { as: 'staff' })).status).toBe(200);
      const health = await api.get('/api/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'degraded',
        database: 'ok',
        cache: 'down',
      });
    } finally {
      await api.close();
    }
  });

  it('answers 503 within 2 s while PostgreSQL is away, and recovers without a restart', async () => {
    const proxy: TcpProxy = await startTcpProxy(...databaseAddress(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const api = await startTestApi({ url: url.toString() });
    try {
      expect((await api.get(overview, { as: 'admin' })).status).toBe(200);
      await proxy.cut();
      for (const path of [`${overview}&x=1`, overview.replace('overview', 'units')]) {
        const started = performance.now();
        const response = await api.get(path, { as: 'admin' });
        expect(response.status).toBe(503);
        expect((await response.json()).error.code).toBe('database_unavailable');
        expect(performance.now() - started).toBeLessThan(2000);
      }
      const health = await api.get('/api/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'down', database: 'down' });
      await proxy.restore();
      expect((await api.get(overview.replace('overview', 'units'), { as: 'admin' })).status).toBe(
        200,
      );
      expect((await api.get('/api/health')).status).toBe(200);
    } finally {
      await api.close();
      await proxy.close();
    }
  });

  it('answers 503 when the LMS key set cannot be fetched and none is cached', async () => {
    const api = await startTestApi(db);
    try {
      api.lms.fault('jwks', { status: 502 }, Infinity);
      const response = await api.get('/api/v1/me', { as: 'staff' });
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('lms_unavailable');
    } finally {
      await api.close();
    }
  });

  it.runIf(redisUrl)(
    'keeps answers in Redis and drops them when the processor announces new data',
    async () => {
      const api = await startTestApi(db, { env: { REDIS_URL: redisUrl! } });
      try {
        const before = await (await api.get(overview, { as: 'staff' })).json();
        const changed = await db.sql`UPDATE learner_day SET time_s = time_s + 500
        WHERE course_id = ${COURSE} AND day = ${TO}`;
        expect(changed.count).toBeGreaterThan(0);
        expect(await (await api.get(overview, { as: 'staff' })).json()).toEqual(before);
        const [row] = await db.sql<{ version: number }[]>`
        UPDATE course_processing SET data_version = data_version + 1
        WHERE course_id = ${COURSE} RETURNING data_version::float8 AS version`;
        expect(
          await announceDataVersions(redisUrl!, [
            { course_id: COURSE, data_version: row!.version },
          ]),
        ).toBeUndefined();
        // The publication reaches the API's subscription within moments.
        let after = before;
        for (let i = 0; i < 50 && after.time_s === before.time_s; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          after = await (await api.get(overview, { as: 'staff' })).json();
        }
        expect(after.time_s).toBeCloseTo(before.time_s + 500 * changed.count, 6);
        expect(await (await api.get('/api/health')).json()).toMatchObject({
          status: 'ok',
          cache: 'ok',
        });
      } finally {
        await api.close();
      }
    },
  );
});

function databaseAddress(url: string): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port || 5432)];
}
