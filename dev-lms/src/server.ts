import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { COOKIE, parseCookies, setCookie } from './cookies.ts';
import { DEMO_COURSES, DEMO_OAUTH_CLIENTS, DEMO_ROLES, DEMO_USERS, demoBlocks } from './demo.ts';
import { renderHomePage, renderLoginPage, renderMessagePage } from './login-page.ts';
import { KeyStore, buildClaims, splitJwt, type ClaimsInput } from './tokens.ts';
import type {
  DevLms,
  DevLmsCourse,
  DevLmsEndpoint,
  DevLmsFault,
  DevLmsOptions,
  DevLmsRequest,
  DevLmsUser,
} from './types.ts';

export const PRODUCTION_REFUSAL =
  'dev-lms refuses to start with NODE_ENV=production: it is a development stand-in for the ' +
  'Open edX LMS that signs in anyone without a password';

/** Throws when NODE_ENV=production: the stand-in must never run there. */
export function assertNotProduction(): void {
  if (process.env.NODE_ENV === 'production') throw new Error(PRODUCTION_REFUSAL);
}

/** Scopes of the login JWT (user_authn/cookies.py `_create_jwt`). */
const LOGIN_SCOPES = ['user_id', 'email', 'profile'];
/** What a client-credentials application gets (`scope` of the answer, `scopes` of its JWT). */
const SERVICE_SCOPES = ['read', 'write', 'profile', 'email'];
/** OAUTH2_PROVIDER['ACCESS_TOKEN_EXPIRE_SECONDS'] of the LMS. */
const SERVICE_TOKEN_LIFETIME = 36000;
const SESSION_LIFETIME = 1_209_600;
const CSRF_COOKIE_AGE = 31_449_600;
const MAX_BODY_BYTES = 1 << 20;
const PLACEHOLDER_IMAGE = '/static/dev-lms/course-image.svg';
/** Roles that give course-staff access (has_access 'staff'). */
const STAFF_ROLES = new Set(['staff', 'instructor']);

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[]>;
}

function json(status: number, value: unknown, headers: Answer['headers'] = {}): Answer {
  return {
    status,
    body: JSON.stringify(value),
    headers: { 'Content-Type': 'application/json', ...headers },
  };
}

function html(status: number, text: string, headers: Answer['headers'] = {}): Answer {
  return {
    status,
    body: text,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers },
  };
}

function redirect(location: string, cookies: string[] = []): Answer {
  const headers: Answer['headers'] = { Location: location };
  if (cookies.length > 0) headers['Set-Cookie'] = cookies;
  return { status: 302, body: '', headers };
}

function notAllowed(method: string, allow: string): Answer {
  return json(405, { detail: `Method "${method}" not allowed.` }, { Allow: allow });
}

function defaultFaultBody(status: number): unknown {
  if (status === 401) return { detail: 'Authentication credentials were not provided.' };
  if (status === 403) return { detail: 'You do not have permission to perform this action.' };
  if (status === 404) return { detail: 'Not found.' };
  if (status === 429) return { detail: 'Request was throttled. Expected available in 1 second.' };
  // A 5xx usually comes from the proxy in front of the LMS, as HTML.
  if (status >= 500) return `<html><body><h1>${status}</h1></body></html>`;
  return { detail: `dev-lms fault ${status}` };
}

/** `course-v1:ORG+NUMBER+RUN` (or the old `ORG/NUMBER/RUN`) → its parts; undefined if neither. */
export function parseCourseKey(
  courseId: string,
): { org: string; number: string; run: string } | undefined {
  const match =
    /^course-v1:([^+/\s]+)\+([^+/\s]+)\+([^+/\s]+)$/.exec(courseId) ??
    /^([^+/:\s]+)\/([^+/:\s]+)\/([^+/:\s]+)$/.exec(courseId);
  if (!match) return undefined;
  return { org: match[1]!, number: match[2]!, run: match[3]! };
}

/** Control characters (browsers drop tabs and newlines from URLs) and backslashes. */
function hasUnsafeCharacters(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === '\\') return true;
  }
  return false;
}

function route(pathname: string): {
  endpoint: DevLmsEndpoint | 'unknown';
  courseKey?: string;
  username?: string;
} {
  if (pathname === '/auth/jwks.json') return { endpoint: 'jwks' };
  if (pathname === '/login' || pathname === '/login/') return { endpoint: 'login' };
  if (pathname === '/login_refresh' || pathname === '/login_refresh/') {
    return { endpoint: 'login_refresh' };
  }
  if (pathname === '/logout' || pathname === '/logout/') return { endpoint: 'logout' };
  if (pathname === '/csrf/api/v1/token') return { endpoint: 'csrf' };
  if (/^\/api\/enrollment\/v1\/roles\/?$/.test(pathname)) return { endpoint: 'roles' };
  const account = /^\/api\/user\/v1\/accounts\/([^/]+)\/?$/.exec(pathname);
  if (account) return { endpoint: 'accounts', username: safeDecode(account[1]!) };
  if (/^\/oauth2\/access_token\/?$/.test(pathname)) return { endpoint: 'token' };
  if (/^\/api\/courses\/v1\/blocks\/?$/.test(pathname)) return { endpoint: 'blocks' };
  if (/^\/api\/courses\/v1\/courses\/?$/.test(pathname)) return { endpoint: 'courses' };
  const course = /^\/api\/courses\/v1\/courses\/([^/]+)\/?$/.exec(pathname);
  if (course) return { endpoint: 'courses', courseKey: safeDecode(course[1]!) };
  return { endpoint: 'unknown' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

interface Identity {
  user: DevLmsUser;
  /** Global staff: the token's `administrator` claim (JWT_PAYLOAD_USER_ATTRIBUTE_MAPPING). */
  isStaff: boolean;
}

type AuthOutcome = { identity: Identity } | { denied: Answer } | { anonymous: true };

interface PendingFault {
  endpoint: DevLmsEndpoint;
  fault: DevLmsFault;
  remaining: number;
}

/** Starts the LMS stand-in (see README.md). Throws when NODE_ENV=production. */
export async function startDevLms(options: DevLmsOptions = {}): Promise<DevLms> {
  assertNotProduction();
  const host = options.host ?? '127.0.0.1';
  const audience = options.audience ?? 'lms-key';
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
  const sessionLifetime = options.sessionLifetimeSeconds ?? SESSION_LIFETIME;
  const cookieDomain = options.cookieDomain;
  const users = new Map((options.users ?? DEMO_USERS).map((u) => [u.username, { ...u }]));
  const roles = (options.roles ?? DEMO_ROLES).map((r) => ({ ...r }));
  const courses = new Map(
    (options.courses ?? DEMO_COURSES).map((c): [string, DevLmsCourse] => [
      c.course_id,
      structuredClone(c),
    ]),
  );
  const oauthClients = (options.oauthClients ?? DEMO_OAUTH_CLIENTS).map((c) => ({ ...c }));
  const allowedOrigins = new Set(
    (options.allowedRedirectOrigins ?? []).map((origin) => new URL(origin).origin),
  );
  const keys = await KeyStore.create(options.algorithm ?? 'RS512');

  const sessions = new Map<string, { username: string; expiresAt: number }>();
  const opaqueTokens = new Map<string, { username: string; expiresAt: number }>();
  const faults: PendingFault[] = [];
  const requests: DevLmsRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'), size > MAX_BODY_BYTES);
    });
  });
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const localUrl = `http://${urlHost}:${port}`;
  const url = (options.publicUrl ?? localUrl).replace(/\/+$/, '');
  const publicOrigin = new URL(url).origin;
  const secureCookies = url.startsWith('https:');
  const issuer = options.issuer ?? `${url}/oauth2`;

  // ---- helpers -------------------------------------------------------------------------------

  function absolute(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${url}${pathOrUrl}`;
  }

  /** Where /login and /logout may send the browser: a relative path or an allowed origin. */
  function safeRedirect(target: string | null, fallback: string): string {
    if (!target || hasUnsafeCharacters(target)) return fallback;
    if (target.startsWith('/') && !target.startsWith('//')) return target;
    try {
      const parsed = new URL(target);
      if (
        (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
        (parsed.origin === publicOrigin || allowedOrigins.has(parsed.origin))
      ) {
        return parsed.href;
      }
    } catch {
      // not a URL
    }
    return fallback;
  }

  function corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || !allowedOrigins.has(origin)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    };
  }

  function takeFault(endpoint: DevLmsEndpoint): DevLmsFault | undefined {
    const pending = faults.find((f) => f.endpoint === endpoint && f.remaining > 0);
    if (!pending) return undefined;
    pending.remaining--;
    return pending.fault;
  }

  async function signFor(user: DevLmsUser, lifetime: number, more: Partial<ClaimsInput> = {}) {
    return keys.sign(
      buildClaims({
        user,
        issuer,
        audience,
        lifetimeSeconds: lifetime,
        scopes: LOGIN_SCOPES,
        grantType: 'password',
        ...more,
      }),
    );
  }

  function jwtCookies(token: string): string[] {
    const { headerPayload, signature } = splitJwt(token);
    const attributes = { maxAge: tokenLifetime, domain: cookieDomain, secure: secureCookies };
    return [
      setCookie(COOKIE.headerPayload, headerPayload, attributes),
      setCookie(COOKIE.signature, signature, { ...attributes, httpOnly: true }),
    ];
  }

  function userInfoCookieValue(user: DevLmsUser): string {
    const info = {
      version: 1,
      username: user.username,
      email: user.email ?? `${user.username}@example.com`,
      header_urls: {
        logout: `${url}/logout`,
        account_settings: `${url}/account/settings`,
        learner_profile: `${url}/u/${encodeURIComponent(user.username)}`,
      },
      user_image_urls: {},
    };
    return encodeURIComponent(JSON.stringify(info));
  }

  function unauthorized(detail: string): Answer {
    return json(401, { detail }, { 'WWW-Authenticate': 'JWT realm="api"' });
  }

  async function identityFromJwt(token: string): Promise<AuthOutcome> {
    const result = await keys.verify(token, { issuer, audience });
    if ('error' in result) return { denied: unauthorized(result.error) };
    const claims = result.payload;
    const username = claims.preferred_username;
    if (typeof username !== 'string' || username === '') {
      return { denied: unauthorized('Invalid token.') };
    }
    // JwtAuthentication creates the user a valid token names when the LMS lacks it.
    const user = users.get(username) ?? {
      username,
      userId: typeof claims.user_id === 'number' ? claims.user_id : 0,
    };
    const isStaff =
      typeof claims.administrator === 'boolean' ? claims.administrator : !!user.administrator;
    return { identity: { user, isStaff } };
  }

  /** JwtAuthentication (header `JWT`, or the cookie pair), then BearerAuthentication. */
  async function authenticate(
    req: http.IncomingMessage,
    cookies: Map<string, string>,
  ): Promise<AuthOutcome> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const parts = header.trim().split(/\s+/);
      const scheme = parts[0]?.toLowerCase();
      if (scheme === 'jwt' || scheme === 'bearer') {
        if (parts.length === 1) {
          return { denied: unauthorized('Invalid Authorization header. No credentials provided.') };
        }
        if (parts.length > 2) {
          return {
            denied: unauthorized(
              'Invalid Authorization header. Credentials string should not contain spaces.',
            ),
          };
        }
        const token = parts[1]!;
        if (scheme === 'bearer') {
          const opaque = opaqueTokens.get(token);
          if (opaque) {
            const user = users.get(opaque.username);
            if (!user) return { denied: unauthorized('Invalid token.') };
            if (Date.now() >= opaque.expiresAt)
              return { denied: unauthorized('Token has expired.') };
            return { identity: { user, isStaff: !!user.administrator } };
          }
        }
        return identityFromJwt(token);
      }
    }
    const headerPayload = cookies.get(COOKIE.headerPayload);
    const signature = cookies.get(COOKIE.signature);
    if (headerPayload && signature) return identityFromJwt(`${headerPayload}.${signature}`);
    return { anonymous: true };
  }

  async function requireIdentity(
    req: http.IncomingMessage,
    cookies: Map<string, string>,
  ): Promise<Identity | Answer> {
    const outcome = await authenticate(req, cookies);
    if ('denied' in outcome) return outcome.denied;
    if ('anonymous' in outcome) {
      return unauthorized('Authentication credentials were not provided.');
    }
    return outcome.identity;
  }

  function canStaff(identity: Identity, courseId: string): boolean {
    return (
      identity.isStaff ||
      roles.some(
        (r) =>
          r.username === identity.user.username &&
          r.course_id === courseId &&
          STAFF_ROLES.has(r.role),
      )
    );
  }

  function sessionUser(cookies: Map<string, string>): DevLmsUser | undefined {
    const id = cookies.get(COOKIE.session);
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session) return undefined;
    if (Date.now() >= session.expiresAt) {
      sessions.delete(id);
      return undefined;
    }
    return users.get(session.username);
  }

  function courseJson(course: DevLmsCourse): Record<string, unknown> {
    const id = course.course_id;
    const key = parseCourseKey(id);
    const image = absolute(course.image ?? PLACEHOLDER_IMAGE);
    const start = course.start ?? null;
    return {
      blocks_url: `${url}/api/courses/v1/blocks/?course_id=${encodeURIComponent(id)}`,
      effort: null,
      end: course.end ?? null,
      enrollment_start: null,
      enrollment_end: null,
      id,
      media: {
        banner_image: { uri: image, uri_absolute: image },
        course_image: { uri: image },
        course_video: { uri: null },
        image: { raw: image, small: image, large: image },
      },
      name: course.name,
      number: key?.number ?? '',
      org: key?.org ?? '',
      short_description: '',
      start,
      start_display: start
        ? new Date(start).toLocaleDateString('en-US', {
            month: 'short',
            day: 'numeric',
            year: 'numeric',
            timeZone: 'UTC',
          })
        : null,
      start_type: start ? 'timestamp' : 'empty',
      pacing: 'instructor',
      mobile_available: false,
      hidden: false,
      invitation_only: false,
      course_id: id,
    };
  }

  // ---- endpoints -----------------------------------------------------------------------------

  function jwksEndpoint(method: string): Answer {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    return json(200, keys.jwks);
  }

  async function loginEndpoint(method: string, reqUrl: URL, body: string): Promise<Answer> {
    if (method === 'GET' || method === 'HEAD') {
      const next = safeRedirect(reqUrl.searchParams.get('next'), '/');
      return html(200, renderLoginPage({ users: users.values(), roles, courses, next }));
    }
    if (method !== 'POST') return notAllowed(method, 'GET, POST, HEAD, OPTIONS');
    const form = new URLSearchParams(body);
    const username = form.get('username') ?? '';
    const user = users.get(username);
    if (!user) {
      return html(
        400,
        renderMessagePage(
          'Sign-in failed',
          `There is no user named "${username}" on this dev-lms.`,
          '/login',
        ),
      );
    }
    const sessionId = randomBytes(24).toString('hex');
    sessions.set(sessionId, { username, expiresAt: Date.now() + sessionLifetime * 1000 });
    const token = await signFor(user, tokenLifetime);
    const sessionAttributes = {
      maxAge: sessionLifetime,
      domain: cookieDomain,
      secure: secureCookies,
    };
    return redirect(safeRedirect(form.get('next'), '/'), [
      setCookie(COOKIE.session, sessionId, { ...sessionAttributes, httpOnly: true }),
      setCookie(COOKIE.loggedIn, 'true', sessionAttributes),
      setCookie(COOKIE.userInfo, userInfoCookieValue(user), sessionAttributes),
      ...jwtCookies(token),
    ]);
  }

  async function loginRefreshEndpoint(
    method: string,
    cookies: Map<string, string>,
  ): Promise<Answer> {
    if (method !== 'POST') return html(405, '', { Allow: 'POST' });
    const user = sessionUser(cookies);
    if (!user) return json(401, 'Unauthorized');
    const token = await signFor(user, tokenLifetime);
    const now = Date.now() / 1000;
    const expires = now + tokenLifetime;
    return json(
      200,
      {
        success: true,
        user_id: user.userId,
        response_epoch_seconds: now,
        response_http_date: new Date(now * 1000).toUTCString(),
        expires: new Date(expires * 1000).toUTCString(),
        expires_epoch_seconds: Math.floor(expires),
      },
      { 'Set-Cookie': jwtCookies(token) },
    );
  }

  function logoutEndpoint(reqUrl: URL, cookies: Map<string, string>): Answer {
    const sessionId = cookies.get(COOKIE.session);
    if (sessionId) sessions.delete(sessionId);
    const gone = { maxAge: 0, domain: cookieDomain, secure: secureCookies };
    return redirect(safeRedirect(reqUrl.searchParams.get('redirect_url'), '/login'), [
      setCookie(COOKIE.headerPayload, '', gone),
      setCookie(COOKIE.signature, '', { ...gone, httpOnly: true }),
      setCookie(COOKIE.loggedIn, '', gone),
      setCookie(COOKIE.userInfo, '', gone),
      setCookie(COOKIE.session, '', { ...gone, httpOnly: true }),
    ]);
  }

  function csrfEndpoint(method: string): Answer {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    const csrfToken = randomBytes(32).toString('base64url').slice(0, 64);
    return json(
      200,
      { csrfToken },
      {
        'Set-Cookie': setCookie(COOKIE.csrf, csrfToken, {
          maxAge: CSRF_COOKIE_AGE,
          domain: cookieDomain,
          secure: secureCookies,
        }),
      },
    );
  }

  async function rolesEndpoint(
    method: string,
    req: http.IncomingMessage,
    reqUrl: URL,
    cookies: Map<string, string>,
  ): Promise<Answer> {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    const identity = await requireIdentity(req, cookies);
    if ('status' in identity) return identity;
    const courseId = reqUrl.searchParams.get('course_id');
    const mine = roles
      .filter(
        (r) => r.username === identity.user.username && (!courseId || r.course_id === courseId),
      )
      .map((r) => ({
        org: r.org ?? parseCourseKey(r.course_id)?.org ?? '',
        course_id: r.course_id,
        role: r.role,
      }));
    return json(200, { roles: mine, is_staff: identity.isStaff });
  }

  /**
   * The user accounts API, which frontend-platform asks at start (`hydrateAuthenticatedUser`):
   * the caller's own account in full; another's only to global staff (the LMS answers 404 when a
   * profile is not shared, as here).
   */
  async function accountsEndpoint(
    method: string,
    req: http.IncomingMessage,
    cookies: Map<string, string>,
    username: string,
  ): Promise<Answer> {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    const identity = await requireIdentity(req, cookies);
    if ('status' in identity) return identity;
    const user = users.get(username);
    if (!user || (user.username !== identity.user.username && !identity.isStaff)) {
      return json(404, { detail: 'Not found.' });
    }
    const noImage = absolute(PLACEHOLDER_IMAGE);
    return json(200, {
      username: user.username,
      name: user.name ?? user.username,
      email: user.email ?? `${user.username}@example.com`,
      id: user.userId,
      is_active: true,
      date_joined: '2025-01-01T00:00:00Z',
      country: null,
      language_proficiencies: [],
      year_of_birth: null,
      bio: null,
      time_zone: null,
      account_privacy: 'private',
      requires_parental_consent: false,
      profile_image: {
        has_image: false,
        image_url_full: noImage,
        image_url_large: noImage,
        image_url_medium: noImage,
        image_url_small: noImage,
      },
    });
  }

  async function tokenEndpoint(
    method: string,
    req: http.IncomingMessage,
    body: string,
  ): Promise<Answer> {
    if (method !== 'POST') return notAllowed(method, 'POST, OPTIONS');
    const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type' }, noStore);
    }
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = oauthClients.find(
      (c) => c.clientId === clientId && c.clientSecret === clientSecret,
    );
    const user = client ? users.get(client.username) : undefined;
    if (!client || !user) return json(401, { error: 'invalid_client' }, noStore);
    let accessToken: string;
    let tokenType: string;
    if (form.get('token_type')?.toLowerCase() === 'jwt') {
      accessToken = await signFor(user, SERVICE_TOKEN_LIFETIME, {
        scopes: SERVICE_SCOPES,
        grantType: 'client-credentials',
      });
      tokenType = 'JWT';
    } else {
      // Without token_type=jwt, django-oauth-toolkit issues an opaque Bearer token.
      accessToken = randomBytes(15).toString('hex');
      opaqueTokens.set(accessToken, {
        username: user.username,
        expiresAt: Date.now() + SERVICE_TOKEN_LIFETIME * 1000,
      });
      tokenType = 'Bearer';
    }
    return json(
      200,
      {
        access_token: accessToken,
        expires_in: SERVICE_TOKEN_LIFETIME,
        token_type: tokenType,
        scope: SERVICE_SCOPES.join(' '),
      },
      noStore,
    );
  }

  async function blocksEndpoint(
    method: string,
    req: http.IncomingMessage,
    reqUrl: URL,
    cookies: Map<string, string>,
  ): Promise<Answer> {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    const identity = await requireIdentity(req, cookies);
    if ('status' in identity) return identity;
    const params = reqUrl.searchParams;
    const courseId = params.get('course_id');
    if (!courseId) return json(400, { course_id: ['This field is required.'] });
    if (!parseCourseKey(courseId)) return json(400, [`'${courseId}' is not a valid course key.`]);
    if (params.get('all_blocks')?.toLowerCase() === 'true') {
      // all_blocks needs course staff or global staff, even to learn whether the course exists.
      if (!canStaff(identity, courseId)) {
        return json(403, { detail: 'You do not have permission to perform this action.' });
      }
    } else {
      const username = params.get('username');
      if (!username) {
        return json(400, { username: ['This field is required unless all_blocks is requested.'] });
      }
      if (username !== identity.user.username && !canStaff(identity, courseId)) {
        return json(403, { detail: 'You do not have permission to perform this action.' });
      }
    }
    const course = courses.get(courseId);
    if (!course) {
      const root = `block-v1:${courseId.replace(/^course-v1:/, '')}+type@course+block@course`;
      return json(404, { detail: `Block not found: ${root}` });
    }
    return json(200, course.blocks ?? demoBlocks(courseId, course.name, url));
  }

  async function coursesEndpoint(
    method: string,
    req: http.IncomingMessage,
    reqUrl: URL,
    cookies: Map<string, string>,
    courseKey: string | undefined,
  ): Promise<Answer> {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(method, 'GET, HEAD, OPTIONS');
    // Public for visible courses, but credentials that are sent must be valid.
    const outcome = await authenticate(req, cookies);
    if ('denied' in outcome) return outcome.denied;
    if (courseKey !== undefined) {
      const course = courses.get(courseKey);
      if (!course) return json(404, { detail: 'Not found.' });
      return json(200, courseJson(course));
    }
    const params = reqUrl.searchParams;
    let list = [...courses.values()];
    const keysParam = params.get('course_keys');
    if (keysParam) {
      const wanted = new Set(keysParam.split(',').map((k) => k.trim()));
      list = list.filter((c) => wanted.has(c.course_id));
    }
    const org = params.get('org');
    if (org) list = list.filter((c) => parseCourseKey(c.course_id)?.org === org);
    const username = params.get('username');
    if (username) {
      const identity = 'identity' in outcome ? outcome.identity : undefined;
      if (!identity || (identity.user.username !== username && !identity.isStaff)) {
        return json(403, { detail: 'You do not have permission to perform this action.' });
      }
      if (params.get('permissions') === 'staff') {
        const target = users.get(username);
        const subject: Identity = {
          user: target ?? identity.user,
          isStaff: username === identity.user.username ? identity.isStaff : !!target?.administrator,
        };
        list = list.filter((c) => canStaff(subject, c.course_id));
      }
    }
    const sizeParam = Number.parseInt(params.get('page_size') ?? '', 10);
    const pageSize = Number.isFinite(sizeParam) && sizeParam > 0 ? Math.min(sizeParam, 100) : 10;
    const pageParam = params.get('page');
    const page = pageParam === null ? 1 : Number(pageParam);
    const numPages = Math.max(1, Math.ceil(list.length / pageSize));
    if (!Number.isInteger(page) || page < 1 || page > numPages) {
      return json(404, { detail: 'Invalid page.' });
    }
    const pageUrl = (p: number): string => {
      const query = new URLSearchParams(params);
      query.set('page', String(p));
      return `${url}${reqUrl.pathname}?${query.toString()}`;
    };
    return json(200, {
      results: list.slice((page - 1) * pageSize, page * pageSize).map(courseJson),
      pagination: {
        next: page < numPages ? pageUrl(page + 1) : null,
        previous: page > 1 ? pageUrl(page - 1) : null,
        count: list.length,
        num_pages: numPages,
      },
    });
  }

  function otherEndpoint(method: string, reqUrl: URL, cookies: Map<string, string>): Answer {
    if ((method === 'GET' || method === 'HEAD') && reqUrl.pathname === '/') {
      return html(200, renderHomePage(sessionUser(cookies)?.username));
    }
    if ((method === 'GET' || method === 'HEAD') && reqUrl.pathname === PLACEHOLDER_IMAGE) {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="378" height="225" viewBox="0 0 378 225">' +
        '<rect width="378" height="225" fill="#23419f"/><text x="189" y="120" fill="#fff" ' +
        'font-family="sans-serif" font-size="28" text-anchor="middle">dev-lms course</text></svg>';
      return { status: 200, body: svg, headers: { 'Content-Type': 'image/svg+xml' } };
    }
    return json(404, { detail: 'Not found.' });
  }

  // ---- dispatch ------------------------------------------------------------------------------

  async function dispatch(
    req: http.IncomingMessage,
    reqUrl: URL,
    body: string,
    target: ReturnType<typeof route>,
  ): Promise<Answer> {
    const method = req.method ?? 'GET';
    const cookies = parseCookies(req.headers.cookie);
    switch (target.endpoint) {
      case 'jwks':
        return jwksEndpoint(method);
      case 'login':
        return loginEndpoint(method, reqUrl, body);
      case 'login_refresh':
        return loginRefreshEndpoint(method, cookies);
      case 'logout':
        return logoutEndpoint(reqUrl, cookies);
      case 'csrf':
        return csrfEndpoint(method);
      case 'roles':
        return rolesEndpoint(method, req, reqUrl, cookies);
      case 'accounts':
        return accountsEndpoint(method, req, cookies, target.username!);
      case 'token':
        return tokenEndpoint(method, req, body);
      case 'blocks':
        return blocksEndpoint(method, req, reqUrl, cookies);
      case 'courses':
        return coursesEndpoint(method, req, reqUrl, cookies, target.courseKey);
      case 'unknown':
        return otherEndpoint(method, reqUrl, cookies);
    }
  }

  function send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    answer: Answer,
    record: DevLmsRequest,
  ): void {
    if (res.destroyed || res.headersSent) return;
    record.status = answer.status;
    const body = req.method === 'HEAD' ? '' : answer.body;
    res.writeHead(answer.status, {
      ...answer.headers,
      ...corsHeaders(req),
      'Content-Length': Buffer.byteLength(answer.body),
    });
    res.end(body);
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
    tooLarge: boolean,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const reqUrl = new URL(req.url ?? '/', 'http://dev-lms');
    const target = route(reqUrl.pathname);
    const record: DevLmsRequest = {
      endpoint: target.endpoint,
      method,
      path: `${reqUrl.pathname}${reqUrl.search}`,
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(record);

    // CORS preflight (django-cors-headers): answered before any view, never faulted.
    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      const headers: Answer['headers'] = {};
      if (Object.keys(corsHeaders(req)).length > 0) {
        headers['Access-Control-Allow-Methods'] = 'DELETE, GET, OPTIONS, PATCH, POST, PUT';
        headers['Access-Control-Allow-Headers'] =
          req.headers['access-control-request-headers'] ??
          'accept, authorization, content-type, use-jwt-cookie, x-csrftoken, x-requested-with';
        headers['Access-Control-Max-Age'] = '86400';
      }
      send(req, res, { status: 200, body: '', headers }, record);
      return;
    }

    const respond = async (): Promise<void> => {
      let answer: Answer;
      try {
        answer = tooLarge
          ? json(413, { detail: 'Request body too large.' })
          : await dispatch(req, reqUrl, body, target);
      } catch (error) {
        answer = json(500, { detail: `dev-lms error: ${(error as Error).message}` });
      }
      send(req, res, answer, record);
    };

    const fault = target.endpoint === 'unknown' ? undefined : takeFault(target.endpoint);
    if (fault === undefined) return respond();
    if ('reset' in fault) {
      req.socket.destroy();
      return;
    }
    if ('hangMs' in fault) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) void respond();
      }, fault.hangMs);
      timers.add(timer);
      return;
    }
    const faultBody = fault.body ?? defaultFaultBody(fault.status);
    send(
      req,
      res,
      typeof faultBody === 'string' ? html(fault.status, faultBody) : json(fault.status, faultBody),
      record,
    );
  }

  // ---- the handle ----------------------------------------------------------------------------

  const lms: DevLms = {
    url,
    localUrl,
    issuer,
    audience,
    jwks: keys.jwks,
    users,
    roles,
    courses,
    requests,
    async tokenFor(username, tokenOptions = {}) {
      const user = users.get(username);
      if (!user) throw new Error(`dev-lms: no user named ${JSON.stringify(username)}`);
      return signFor(user, tokenOptions.expiresIn ?? tokenLifetime, {
        notBefore: tokenOptions.notBefore,
        overrides: tokenOptions.claims,
      });
    },
    cookieHeader(token) {
      const { headerPayload, signature } = splitJwt(token);
      return `${COOKIE.headerPayload}=${headerPayload}; ${COOKIE.signature}=${signature}`;
    },
    async rotateKey(rotateOptions = {}) {
      await keys.rotate(rotateOptions.keepOld ?? false);
    },
    fault(endpoint, fault, times = 1) {
      faults.push({ endpoint, fault, remaining: times });
    },
    clearFaults() {
      faults.length = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return lms;
}
