// The servers the API benchmark loads, all in this one process (started by bench/api.ts): the
// API as deployed; the same API with its answer cache switched off (every request runs its
// query; roles and versions are still cached); and a bare Hono route answering {}. Settings come
// from the environment; prints {"api", "uncached", "bare"} URLs on its first line.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createApp, createServices } from '../api/src/app.ts';
import type { Cache } from '../api/src/cache.ts';
import { readApiSettings } from '../api/src/settings.ts';

const services = createServices(readApiSettings(process.env));
const withoutAnswers: Cache = {
  ...services.cache,
  get: (key) => (key.startsWith('answer:') ? Promise.resolve(undefined) : services.cache.get(key)),
  set: (key, value, ttl) =>
    key.startsWith('answer:') ? Promise.resolve() : services.cache.set(key, value, ttl),
};
const bare = new Hono().get('/', (c) => c.json({}));

const urls = await Promise.all(
  [
    createApp(services).fetch,
    createApp({ ...services, cache: withoutAnswers }).fetch,
    bare.fetch,
  ].map(
    (fetch) =>
      new Promise<string>((resolve) => {
        const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        );
      }),
  ),
);
process.stdout.write(`${JSON.stringify({ api: urls[0], uncached: urls[1], bare: urls[2] })}\n`);
process.once('SIGTERM', () => void services.close().then(() => process.exit(0)));
