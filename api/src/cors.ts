// CORS for the dashboard's origin (STATS_CORS_ORIGINS): credentials allowed, exact origins only,
// never a wildcard. The headers are worked out before the handler and kept in the context: a
// cached answer writes them into its own plain header object (answer.ts; building a Fetch
// `Headers` for it cost a tenth of a cached answer), and any other response gets them once the
// handler is done (set on the response's headers, not with `c.header`, which after the handler
// makes @hono/node-server copy the body through a stream).
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.ts';
import { requestHeader } from './request.ts';

const ALLOW_HEADERS = 'Authorization, Content-Type, USE-JWT-COOKIE, X-CSRFToken';

export function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = requestHeader(c, 'origin');
    const preflight = c.req.method === 'OPTIONS';
    const headers = corsHeaders(
      origin !== undefined && allowed.has(origin) ? origin : undefined,
      preflight,
    );
    if (preflight) return c.body(null, 204, headers);
    c.set('corsHeaders', headers);
    await next();
    if (c.get('corsHeaders') === undefined) return; // the handler wrote them
    for (const name in headers) c.res.headers.set(name, headers[name]!);
  });
}

function corsHeaders(
  allowedOrigin: string | undefined,
  preflight: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {
    vary: preflight ? 'Origin, Access-Control-Request-Headers' : 'Origin',
  };
  if (allowedOrigin === undefined) return headers;
  headers['access-control-allow-origin'] = allowedOrigin;
  headers['access-control-allow-credentials'] = 'true';
  headers['access-control-expose-headers'] = 'Content-Disposition';
  if (preflight) {
    headers['access-control-allow-methods'] = 'GET, OPTIONS';
    headers['access-control-allow-headers'] = ALLOW_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  return headers;
}

/**
 * The CORS headers of this request, for a handler that builds its response's headers itself;
 * the middleware then adds nothing. A fresh object: the handler may add its own headers to it.
 */
export function takeCorsHeaders(c: Context<AppEnv>): Record<string, string> {
  const headers = c.get('corsHeaders') ?? {};
  c.set('corsHeaders', undefined);
  return headers;
}
