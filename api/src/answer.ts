// How a course route answers: the read model's result, computed once per course data version and
// parameters and then served from the cache (a processor run changes the version, so new numbers
// show at once), as JSON or, on request, as CSV.
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import { wantsCsv } from './csv.ts';

/** Old versions' answers are never asked for again; this only bounds how long they linger. */
const ANSWER_TTL_S = 24 * 3600;

/**
 * The JSON text of `query`'s result for this course, version and `params` (the validated
 * parameters: equal parameters share an entry however the URL spelled them).
 */
export async function cachedJson(
  c: Context<AppEnv>,
  name: string,
  params: Record<string, unknown>,
  query: () => Promise<unknown>,
): Promise<string> {
  const { cache } = c.get('services');
  const key =
    `answer:${c.get('courseId')}:${c.get('dataVersion')}:${name}:` +
    JSON.stringify(params, Object.keys(params).sort());
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

/** The cached JSON as it is, or, when CSV is asked for and the route has one, that CSV. */
export async function answer<T>(
  c: Context<AppEnv>,
  json: string,
  csv?: (data: T) => Response,
): Promise<Response> {
  if (csv && wantsCsv(c)) {
    // Through the context, so that the headers set before the handler (CORS) are kept.
    const file = csv(JSON.parse(json) as T);
    return c.body(file.body!, 200, Object.fromEntries(file.headers));
  }
  return c.body(utf8(json), 200, { 'content-type': 'application/json; charset=utf-8' });
}

/**
 * The UTF-8 bytes of recent answers, so that a cached answer is not encoded again for every
 * request (the answer's text is the key: the cache in this process hands out the same string, so
 * its hash is computed once). Bounded by entries and bytes; the oldest go first.
 */
const encoded = new Map<string, Uint8Array<ArrayBuffer>>();
let encodedBytes = 0;
const MAX_ENCODED = 256;
const MAX_ENCODED_BYTES = 32 * 1024 * 1024;
const encoder = new TextEncoder();

function utf8(json: string): Uint8Array<ArrayBuffer> {
  let bytes = encoded.get(json);
  if (bytes) return bytes;
  bytes = encoder.encode(json);
  if (bytes.byteLength > MAX_ENCODED_BYTES) return bytes;
  encoded.set(json, bytes);
  encodedBytes += bytes.byteLength;
  while (encoded.size > MAX_ENCODED || encodedBytes > MAX_ENCODED_BYTES) {
    const [oldest, oldBytes] = encoded.entries().next().value!;
    encoded.delete(oldest);
    encodedBytes -= oldBytes.byteLength;
  }
  return bytes;
}
