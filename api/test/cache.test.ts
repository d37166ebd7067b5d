import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryCache, tieredCache } from '../src/cache.ts';

describe('the cache in front of Redis', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets what Redis forgot within 30 s, however often it is read', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const redis = memoryCache();
    const cache = tieredCache(memoryCache(), redis, 30);
    await redis.set('roles:ada', '["staff"]', 300);
    expect(await cache.get('roles:ada')).toBe('["staff"]');
    // Redis loses the entry (its TTL, an eviction): reads every 5 s see it for 30 s at most
    await redis.close();
    const seen: (string | undefined)[] = [];
    for (let second = 5; second <= 45; second += 5) {
      vi.setSystemTime(new Date(Date.parse('2026-01-01T00:00:00Z') + second * 1000));
      seen.push(await cache.get('roles:ada'));
    }
    expect(seen.slice(0, 5)).toEqual(Array(5).fill('["staff"]'));
    expect(seen.slice(6)).toEqual([undefined, undefined, undefined]);
  });
});
