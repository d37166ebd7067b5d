// CORS for the dashboard's origin (STATS_CORS_ORIGINS): credentials allowed, exact origins only,
// never a wildcard. Headers go on before the handler runs, so the answer is built once (changing
// a finished response's headers makes @hono/node-server copy it through a stream).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context.ts';
import { requestHeader } from './request.ts';

const ALLOW_HEADERS = 'Authorization, Content-Type, USE-JWT-COOKIE, X-CSRFToken';

export function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = requestHeader(c, 'origin');
    const preflight = c.req.method === 'OPTIONS';
    c.header('Vary', preflight ? 'Origin, Access-Control-Request-Headers' : 'Origin');
    if (origin !== undefined && allowed.has(origin)) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Expose-Headers', 'Content-Disposition');
      if (preflight) {
        c.header('Access-Control-Allow-Methods', 'GET, OPTIONS');
        c.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
        c.header('Access-Control-Max-Age', '600');
      }
    }
    if (preflight) return c.body(null, 204);
    await next();
  });
}
