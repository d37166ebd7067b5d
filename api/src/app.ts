// The API as one Hono app, in the order a request meets it: CORS → error answers → health (open)
// → authentication → course gate → the course's resources. Runtime entries (main.node.ts,
// main.deno.ts) only serve `app.fetch`.
import { connect } from '@course-stats/db';
import { Hono } from 'hono';
import { courseAccess } from './auth/course-access.ts';
import { authenticate, courseGate } from './auth/middleware.ts';
import { tokenVerifier } from './auth/token.ts';
import { cacheNamespace, memoryCache, redisCache, tieredCache } from './cache.ts';
import type { AppEnv, Services } from './context.ts';
import { courseInfoSource } from './course-info.ts';
import { cors } from './cors.ts';
import { dataVersions } from './data-versions.ts';
import { ApiError, errorResponse } from './errors.ts';
import { courseList, structure } from './routes/courses.ts';
import { health } from './routes/health.ts';
import { learners, matrix } from './routes/learners.ts';
import { me } from './routes/me.ts';
import { overview } from './routes/overview.ts';
import { pages } from './routes/pages.ts';
import { units } from './routes/units.ts';
import { videos } from './routes/videos.ts';
import { visits } from './routes/visits.ts';
import type { ApiSettings } from './settings.ts';

export const API_VERSION = '0.1.0';

export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/api/*', cors(services.settings.corsOrigins));
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route ${c.req.path}`)));

  app.route('/api/health', health);
  app.use('/api/v1/*', authenticate);
  app.route('/api/v1/me', me);
  app.route('/api/v1/courses', courseList);
  const course = '/api/v1/courses/:course';
  app.use(`${course}/*`, courseGate);
  app.route(`${course}/structure`, structure);
  app.route(`${course}/overview`, overview);
  app.route(`${course}/units`, units);
  app.route(`${course}/pages`, pages);
  app.route(`${course}/visits`, visits);
  app.route(`${course}/videos`, videos);
  app.route(`${course}/learners`, learners);
  app.route(`${course}/matrix`, matrix);
  return app;
}

/** The services of a running API, built from its settings; `close` releases them. */
export function createServices(settings: ApiSettings): Services & { close(): Promise<void> } {
  // connect_timeout: a database that does not answer is a 503 within 2 s, not a hang. JIT off:
  // compiling the read models' plans costs up to 100 ms a query, more than it saves on them.
  const sql = connect(settings.databaseUrl, {
    max: 20,
    connect_timeout: 1.5,
    idle_timeout: 60,
    connection: { application_name: 'course-stats-api', jit: 'off', statement_timeout: 30_000 },
  });
  const cache = settings.redisUrl
    ? tieredCache(
        memoryCache(),
        redisCache(settings.redisUrl, cacheNamespace(settings.databaseUrl, settings.lmsBaseUrl)),
      )
    : memoryCache();
  const versions = dataVersions(sql, settings.redisUrl);
  return {
    settings,
    sql,
    cache,
    versions,
    verify: tokenVerifier(settings.jwt),
    access: courseAccess(settings, cache),
    courseInfo: courseInfoSource(settings, cache),
    version: API_VERSION,
    async close() {
      await versions.close();
      await cache.close();
      await sql.end({ timeout: 2 });
    },
  };
}
