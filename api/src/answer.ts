// How a course route answers: the read model's result, computed once per course data version and
// parameters and then served from the cache (a processor run changes the version, so new numbers
// show at once), as JSON or, on request, as CSV.
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import { takeCorsHeaders } from './cors.ts';
import { wantsCsv } from './csv.ts';
import { acceptsGzip, answerBytes } from './encoding.ts';
import { requestHeader } from './request.ts';

/** Old versions' answers are never asked for again; this only bounds how long they linger. */
const ANSWER_TTL_S = 24 * 3600;

/**
 * The JSON text of `query`'s result for this course, version and `params` (the validated
 * parameters, built by the route in a fixed order: equal parameters share an entry however the
 * URL spelled them).
 */
export async function cachedJson(
  c: Context<AppEnv>,
  name: string,
  params: Record<string, unknown>,
  query: () => Promise<unknown>,
): Promise<string> {
  const { cache } = c.get('services');
  const key = `answer:${c.get('courseId')}:${c.get('dataVersion')}:${name}:${JSON.stringify(params)}`;
  const cached = await cache.get(key);
  if (cached !== undefined) return cached;
  const json = JSON.stringify(await query());
  await cache.set(key, json, ANSWER_TTL_S);
  return json;
}

/** What every read model of the course takes besides its parameters. */
export function courseArgs(c: Context<AppEnv>) {
  return {
    courseId: c.get('courseId'),
    completionExcludedTypes: c.get('services').settings.completionExcludedTypes,
  };
}

/**
 * The cached JSON (gzipped when it is large and the client accepts gzip), or, when CSV is asked
 * for and the route has one, that CSV.
 */
export async function answer<T>(
  c: Context<AppEnv>,
  json: string,
  csv?: (data: T) => Response,
): Promise<Response> {
  if (csv && wantsCsv(c)) return csv(JSON.parse(json) as T);
  const bytes = answerBytes(json);
  const gzipped = bytes.gzip !== undefined && acceptsGzip(requestHeader(c, 'accept-encoding'));
  const body = gzipped ? await bytes.gzip!() : bytes.identity;
  // Plain header objects: @hono/node-server writes them as they are.
  const headers = takeCorsHeaders(c);
  headers['content-type'] = JSON_TYPE;
  if (bytes.gzip)
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
  if (gzipped) headers['content-encoding'] = 'gzip';
  return new Response(body, { headers });
}

const JSON_TYPE = 'application/json; charset=utf-8';
