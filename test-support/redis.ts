import { Redis } from 'ioredis';

/** The Redis of the tests: REDIS_URL, else the default port of this machine. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Redis is required where REDIS_URL names one (CI sets it); on a machine with nothing but
 * Node.js and no Redis on the default port, the tests that need it are skipped, and say so.
 */
export async function redisRequiredOrReachable(what: string): Promise<boolean> {
  if (process.env.REDIS_URL) return true;
  const probe = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return true;
  } catch {
    console.warn(`no Redis at ${REDIS_URL} and REDIS_URL unset: skipping ${what}`);
    return false;
  } finally {
    probe.disconnect();
  }
}
