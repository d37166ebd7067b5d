// Where the API keeps what it may answer again: LMS roles (5 min), course metadata, and query
// results keyed by the course's data version. Redis when REDIS_URL is set, shared by every API
// process; else a bounded map in this process. A cache that fails is a miss, never an error.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** 'off' for the in-process cache. */
  status(): 'ok' | 'down' | 'off';
  close(): Promise<void>;
}

/**
 * The namespace of one installation's keys in a shared Redis: a digest of its database and LMS,
 * so that two installations (or two test databases) never read each other's answers.
 */
export function cacheNamespace(databaseUrl: string, lmsBaseUrl: string): string {
  const db = new URL(databaseUrl);
  const where = `${db.hostname}:${db.port}${db.pathname}|${lmsBaseUrl}`;
  return `course-stats:${createHash('sha256').update(where).digest('hex').slice(0, 12)}:`;
}

/**
 * A cache in this process, bounded by entries and by the characters it holds: the oldest
 * entries go first.
 */
export function memoryCache({ maxEntries = 10_000, maxChars = 64 * 1024 * 1024 } = {}): Cache {
  const entries = new Map<string, { value: string; expires: number }>();
  let chars = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    chars -= entry.value.length;
    entries.delete(key);
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        remove(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      remove(key);
      if (value.length > maxChars) return;
      entries.set(key, { value, expires: Date.now() + ttlSeconds * 1000 });
      chars += value.length;
      // Maps keep insertion order: the first key is the oldest.
      while (entries.size > maxEntries || chars > maxChars) remove(entries.keys().next().value!);
    },
    status: () => 'off',
    async close() {
      entries.clear();
      chars = 0;
    },
  };
}

/**
 * Redis behind a small cache in this process: a hit there costs no round trip. Entries stay near
 * for at most `nearSeconds`, so what Redis forgets is forgotten here soon after.
 */
export function tieredCache(near: Cache, far: Cache, nearSeconds = 30): Cache {
  return {
    async get(key) {
      const nearValue = await near.get(key);
      if (nearValue !== undefined) return nearValue;
      const value = await far.get(key);
      if (value !== undefined) await near.set(key, value, nearSeconds);
      return value;
    },
    async set(key, value, ttlSeconds) {
      await near.set(key, value, Math.min(ttlSeconds, nearSeconds));
      await far.set(key, value, ttlSeconds);
    },
    status: () => far.status(),
    async close() {
      await near.close();
      await far.close();
    },
  };
}

/** Redis commands give up after this long: a slow cache must not slow the answers. */
const COMMAND_TIMEOUT_MS = 300;

export function redisCache(url: string, namespace: string): Cache {
  const redis = newRedis(url);
  return {
    async get(key) {
      if (redis.status !== 'ready') return undefined;
      try {
        return (await redis.get(namespace + key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      if (redis.status !== 'ready') return;
      try {
        await redis.set(namespace + key, value, 'EX', Math.max(1, Math.round(ttlSeconds)));
      } catch {
        // a lost write is a later miss
      }
    },
    status: () => (redis.status === 'ready' ? 'ok' : 'down'),
    async close() {
      redis.disconnect();
    },
  };
}

/** A connection that never queues commands while down and keeps reconnecting (≤ 2 s apart). */
export function newRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => {
    // reported by status(); ioredis reconnects by itself
  });
  return redis;
}
