// The caller's LMS session JWT (lms-protocol.md): read from the cookie pair the LMS sets or from
// the Authorization header, verified with the LMS's public keys.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ApiError } from '../errors.ts';
import type { ApiSettings } from '../settings.ts';

export const HEADER_PAYLOAD_COOKIE = 'edx-jwt-cookie-header-payload';
export const SIGNATURE_COOKIE = 'edx-jwt-cookie-signature';

/** What the API uses of a verified token. */
export interface Caller {
  username: string;
  userId: number | null;
  administrator: boolean;
  /** The token itself: the LMS roles API is called with the caller's own credentials. */
  token: string;
}

export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/**
 * The token of a request: `Authorization: JWT|Bearer <token>`, else the two cookies joined with
 * '.'; undefined when there is none. One cookie of the pair alone is no token.
 */
export function requestToken(
  authorization: string | undefined,
  cookieHeader: string | undefined,
): string | undefined {
  if (authorization) {
    const match = /^(?:JWT|Bearer)\s+(\S+)$/i.exec(authorization.trim());
    if (!match)
      throw unauthorized('the Authorization header must be "JWT <token>" or "Bearer <token>"');
    return match[1];
  }
  const headerPayload = cookieValue(cookieHeader, HEADER_PAYLOAD_COOKIE);
  const signature = cookieValue(cookieHeader, SIGNATURE_COOKIE);
  if (headerPayload && signature) return `${headerPayload}.${signature}`;
  if (headerPayload || signature) {
    throw unauthorized(`both ${HEADER_PAYLOAD_COOKIE} and ${SIGNATURE_COOKIE} cookies are needed`);
  }
  return undefined;
}

/**
 * The first cookie `name` of a Cookie header, unquoted and percent-decoded (as hono/cookie reads
 * it), without splitting the header or checking the value's characters: the value is only ever
 * compared with or verified as a token. (hono/cookie's `parse(header, name)` does both: 2.6 µs
 * for the LMS pair in a browser's Cookie header, against 0.3 µs here.)
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (let at = header.indexOf(name); at !== -1; at = header.indexOf(name, at + 1)) {
    if (!startsCookie(header, at)) continue;
    let next = at + name.length;
    while (header[next] === ' ' || header[next] === '\t') next++;
    if (header[next] !== '=') continue;
    const end = header.indexOf(';', next);
    let value = header.slice(next + 1, end === -1 ? undefined : end).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    return value.includes('%') ? decodeOrKeep(value) : value;
  }
  return undefined;
}

/** Whether `at` starts a cookie name: the header's start, or only blanks back to a ';'. */
function startsCookie(header: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && (header[before] === ' ' || header[before] === '\t')) before--;
  return before < 0 || header[before] === ';';
}

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/** Leeway for `exp` and `nbf`: clocks of the LMS and the API may differ a little. */
const CLOCK_TOLERANCE_S = 30;

/**
 * A verifier for the configured key set. A remote key set is cached for an hour and fetched
 * again sooner when a token names an unknown `kid` (at most every 5 s), with a 3 s timeout.
 */
export function tokenVerifier(jwt: ApiSettings['jwt']): TokenVerifier {
  const keys: JWTVerifyGetKey =
    'url' in jwt.keys
      ? createRemoteJWKSet(new URL(jwt.keys.url), {
          timeoutDuration: 3000,
          cooldownDuration: 5_000,
          cacheMaxAge: 60 * 60_000,
        })
      : createLocalJWKSet(jwt.keys.set as Parameters<typeof createLocalJWKSet>[0]);
  const verified = new Map<string, { caller: Caller; until: number }>();
  const verify = async (token: string): Promise<Caller> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: jwt.issuers,
        audience: jwt.audience,
        algorithms: jwt.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw verificationError(error);
    }
    const username = payload.preferred_username;
    if (typeof username !== 'string' || username === '') {
      throw unauthorized('the token has no preferred_username');
    }
    const caller = {
      username,
      userId: typeof payload.user_id === 'number' ? payload.user_id : null,
      administrator: payload.administrator === true,
      token,
    };
    remember(verified, token, caller, payload.exp! * 1000);
    return caller;
  };
  return async (token) => {
    const known = verified.get(signatureOf(token));
    if (known && known.caller.token === token && known.until > Date.now()) return known.caller;
    return verify(token);
  };
}

/**
 * Tokens verified in the last minutes, by their signature (a third of the token: hashing the
 * whole token for every request cost more than the rest of the lookup); a hit must be the whole
 * token. A signature check costs more than the cached answer.
 */
const REMEMBER_MS = 5 * 60_000;
const REMEMBER_TOKENS = 10_000;

const signatureOf = (token: string) => token.slice(token.lastIndexOf('.') + 1);

function remember(
  verified: Map<string, { caller: Caller; until: number }>,
  token: string,
  caller: Caller,
  expiresAt: number,
) {
  if (verified.size >= REMEMBER_TOKENS) verified.delete(verified.keys().next().value!);
  verified.set(signatureOf(token), {
    caller,
    until: Math.min(expiresAt, Date.now() + REMEMBER_MS),
  });
}

/** 401 for a token that is not good; 503 when the LMS's key set cannot be fetched. */
function verificationError(error: unknown): ApiError {
  if (error instanceof joseErrors.JWKSTimeout || isFetchFailure(error)) {
    return new ApiError(503, 'lms_unavailable', 'the LMS key set cannot be fetched');
  }
  if (error instanceof joseErrors.JWTExpired) return unauthorized('the token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthorized(`the token's ${error.claim} claim is not accepted`);
  }
  return unauthorized('the token is not valid');
}

function isFetchFailure(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (error instanceof joseErrors.JOSEError &&
      error.code === 'ERR_JOSE_GENERIC' &&
      error.message.includes('JSON Web Key Set'))
  );
}
