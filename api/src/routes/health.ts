// GET /api/health: whether the API can answer (no credentials). 503 only when the database is down.
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

const DATABASE_PING_MS = 1500;

export const health = new Hono<AppEnv>().get('/', async (c) => {
  const { sql, cache, version } = c.get('services');
  const database = await ping(() => sql`SELECT 1`);
  const cacheStatus = cache.status();
  const status = database === 'down' ? 'down' : cacheStatus === 'down' ? 'degraded' : 'ok';
  return c.json({ status, database, cache: cacheStatus, version }, database === 'down' ? 503 : 200);
});

async function ping(query: () => PromiseLike<unknown>): Promise<'ok' | 'down'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), DATABASE_PING_MS);
  });
  try {
    return await Promise.race([Promise.resolve(query()).then(() => 'ok' as const), timeout]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}
