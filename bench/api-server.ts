// The servers the API benchmark loads, all in this one process (started by bench/api.ts): the
// API as deployed; the same API with its answer cache switched off (every request runs its
// query; roles and versions are still cached); a bare Hono route answering {} (and /cpu, the
// process's CPU time); and the floor (below). Settings come from the environment; prints {"api", "uncached", "bare", "floor"} URLs
// on its first line.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createApp, createServices } from '../api/src/app.ts';
import type { Cache } from '../api/src/cache.ts';
import { requestHeader } from '../api/src/request.ts';
import { readApiSettings } from '../api/src/settings.ts';

const services = createServices(readApiSettings(process.env));
const withoutAnswers: Cache = {
  ...services.cache,
  get: (key) => (key.startsWith('answer:') ? Promise.resolve(undefined) : services.cache.get(key)),
  set: (key, value, ttl) =>
    key.startsWith('answer:') ? Promise.resolve() : services.cache.set(key, value, ttl),
};
const bare = new Hono()
  .get('/', (c) => c.json({}))
  // this process's CPU time so far (µs, user + system): the benchmark's CPU per request
  .get('/cpu', (c) => {
    const { user, system } = process.cpuUsage();
    return c.json(user + system);
  });
const api = createApp(services);

// The floor: the API's own answers (fetched from it once per URL, cookie and Accept-Encoding),
// then served with every check reduced to one Map lookup: no token verification, roles, data
// version, parameters or cache layers. No real check of a request can answer faster.
const floorAnswers = new Map<string, { body: Uint8Array; headers: Record<string, string> }>();
const floor = new Hono().get('*', async (c) => {
  const key = `${c.req.url} ${requestHeader(c, 'cookie')} ${requestHeader(c, 'accept-encoding')}`;
  let known = floorAnswers.get(key);
  if (!known) {
    // app.request hands back the bytes as sent: a compressed answer stays compressed.
    const answer = await api.request(c.req.raw, undefined, c.env);
    known = {
      body: new Uint8Array(await answer.arrayBuffer()),
      headers: Object.fromEntries(answer.headers),
    };
    floorAnswers.set(key, known);
  }
  return new Response(known.body, { headers: known.headers });
});

const urls = await Promise.all(
  [api.fetch, createApp({ ...services, cache: withoutAnswers }).fetch, bare.fetch, floor.fetch].map(
    (fetch) =>
      new Promise<string>((resolve) => {
        const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        );
      }),
  ),
);
process.stdout.write(
  `${JSON.stringify({ api: urls[0], uncached: urls[1], bare: urls[2], floor: urls[3] })}\n`,
);
process.once('SIGTERM', () => void services.close().then(() => process.exit(0)));
