// The API's error answers (interfaces.md §2): {"error": {"code", "message"}} with the status that
// says what went wrong. Handlers throw ApiError; anything else is a 500, or a 503 when it is the
// database that cannot be reached.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badParameter = (name: string, problem: string) =>
  new ApiError(400, 'bad_parameter', `${name}: ${problem}`);

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** The codes of errors that mean PostgreSQL is not there (or went away mid-request). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
]);

export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status);
  }
  if (isDatabaseUnreachable(error)) {
    return c.json(
      { error: { code: 'database_unavailable', message: 'the database cannot be reached' } },
      503,
    );
  }
  console.error(error);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
