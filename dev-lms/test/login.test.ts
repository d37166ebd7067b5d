import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COURSE_ID, startDevLms, type DevLms } from '../src/index.ts';
import { cookieHeaderFrom, decodeSegment, login, setCookies } from './helpers.ts';

const MFE = 'http://localhost:8080';
const LOGIN_COOKIES = [
  'edx-jwt-cookie-header-payload',
  'edx-jwt-cookie-signature',
  'edx-user-info',
  'edxloggedin',
  'sessionid',
];

describe('login, refresh, logout', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms({ allowedRedirectOrigins: [MFE] });
  });
  afterAll(async () => {
    await lms.close();
  });

  it('GET /login shows one submit button per user, saying what each user is', async () => {
    const response = await fetch(`${lms.url}/login?next=${encodeURIComponent('/courses/x')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toMatch(/<form method="post" action="\/login">/);
    expect(page).toContain('<input type="hidden" name="next" value="/courses/x">');
    const buttons = page.match(/<button type="submit" name="username" value="[^"]+">/g) ?? [];
    expect(buttons).toHaveLength(6);
    expect(page).toMatch(/<strong>staff<\/strong> — course staff of Statistics 101/);
    expect(page).toContain(DEMO_COURSE_ID);
    expect(page).toMatch(/<strong>admin<\/strong> — global staff \(administrator\)/);
    expect(page).toMatch(/<strong>learner<\/strong> — learner, no course role/);
    expect(page).toMatch(/<strong>researcher<\/strong> — data researcher of/);
  });

  it('POST /login sets exactly the login cookies, with the right flags, and redirects', async () => {
    const { response, cookies } = await login(lms.url, 'staff', '/after?x=1');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/after?x=1');
    expect([...cookies.keys()].sort()).toEqual(LOGIN_COOKIES);
    const httpOnly = [...cookies.values()].filter((c) => c.attributes.has('httponly'));
    expect(httpOnly.map((c) => c.name).sort()).toEqual(['edx-jwt-cookie-signature', 'sessionid']);
    for (const cookie of cookies.values()) {
      expect(cookie.attributes.get('path')).toBe('/');
      expect(cookie.attributes.get('samesite')).toBe('Lax');
      expect(cookie.attributes.has('domain')).toBe(false);
      expect(cookie.attributes.has('secure')).toBe(false);
    }
    expect(cookies.get('edx-jwt-cookie-header-payload')!.attributes.get('max-age')).toBe('3600');
    expect(cookies.get('edx-jwt-cookie-signature')!.attributes.get('max-age')).toBe('3600');
    expect(cookies.get('edxloggedin')!.value).toBe('true');
    expect(cookies.get('sessionid')!.value).toMatch(/^[0-9a-f]{48}$/);
  });

  it('the two JWT cookies joined with "." are a valid JWT of the user', async () => {
    const { cookies } = await login(lms.url, 'instructor');
    const headerPayload = cookies.get('edx-jwt-cookie-header-payload')!.value;
    const signature = cookies.get('edx-jwt-cookie-signature')!.value;
    expect(headerPayload.split('.')).toHaveLength(2);
    const jwks = createRemoteJWKSet(new URL(`${lms.url}/auth/jwks.json`));
    const { payload } = await jwtVerify(`${headerPayload}.${signature}`, jwks, {
      issuer: lms.issuer,
      audience: lms.audience,
    });
    expect(payload).toMatchObject({ preferred_username: 'instructor', user_id: 2 });
    // Scripts can read the payload from the non-HttpOnly cookie, as frontend-platform does.
    expect(decodeSegment(headerPayload.split('.')[1]!).preferred_username).toBe('instructor');
  });

  it('edx-user-info is URL-encoded JSON with username, version and header_urls', async () => {
    const { cookies } = await login(lms.url, 'researcher');
    const info = JSON.parse(decodeURIComponent(cookies.get('edx-user-info')!.value)) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({
      version: 1,
      username: 'researcher',
      header_urls: { logout: `${lms.url}/logout` },
    });
  });

  it('redirects only to relative paths and allowed origins', async () => {
    const cases: [string, string][] = [
      ['https://evil.example.com/steal', '/'],
      ['//evil.example.com/x', '/'],
      ['/\\evil.example.com', '/'],
      ['javascript:alert(1)', '/'],
      [`${MFE}/courses/${DEMO_COURSE_ID}`, `${MFE}/courses/${DEMO_COURSE_ID}`],
      [`${lms.url}/somewhere`, `${lms.url}/somewhere`],
      ['/dashboard', '/dashboard'],
    ];
    for (const [next, expected] of cases) {
      const { response } = await login(lms.url, 'staff', next);
      expect(response.headers.get('location'), next).toBe(expected);
    }
    // The page's hidden field is sanitised the same way.
    const page = await (await fetch(`${lms.url}/login?next=https://evil.example.com/`)).text();
    expect(page).toContain('name="next" value="/"');
  });

  it('refuses an unknown user with a 400 page and no cookies', async () => {
    const { response, cookies } = await login(lms.url, 'mallory');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('mallory');
    expect(cookies.size).toBe(0);
  });

  it('login_refresh with the session: 200, new JWT cookies, response_epoch_seconds', async () => {
    const { cookies } = await login(lms.url, 'staff');
    const response = await fetch(`${lms.url}/login_refresh`, {
      method: 'POST',
      headers: { Cookie: `sessionid=${cookies.get('sessionid')!.value}`, 'USE-JWT-COOKIE': 'true' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(typeof body.response_epoch_seconds).toBe('number');
    expect(Math.abs((body.response_epoch_seconds as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(body.user_id).toBe(1);
    const refreshed = setCookies(response);
    expect([...refreshed.keys()].sort()).toEqual([
      'edx-jwt-cookie-header-payload',
      'edx-jwt-cookie-signature',
    ]);
    expect(refreshed.get('edx-jwt-cookie-signature')!.attributes.has('httponly')).toBe(true);
    expect(refreshed.get('edx-jwt-cookie-header-payload')!.attributes.has('httponly')).toBe(false);
    const token = `${refreshed.get('edx-jwt-cookie-header-payload')!.value}.${refreshed.get('edx-jwt-cookie-signature')!.value}`;
    const roles = await fetch(`${lms.url}/api/enrollment/v1/roles/`, {
      headers: { Cookie: lms.cookieHeader(token) },
    });
    expect(roles.status).toBe(200);
  });

  it('login_refresh without a session: 401 JSON; GET: 405', async () => {
    const none = await fetch(`${lms.url}/login_refresh`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await none.json()).toBe('Unauthorized');
    expect(setCookies(none).size).toBe(0);
    const bogus = await fetch(`${lms.url}/login_refresh`, {
      method: 'POST',
      headers: { Cookie: 'sessionid=not-a-session' },
    });
    expect(bogus.status).toBe(401);
    expect((await fetch(`${lms.url}/login_refresh`)).status).toBe(405);
  });

  it('logout clears every login cookie and the session, then redirects', async () => {
    const { cookies } = await login(lms.url, 'staff');
    const response = await fetch(`${lms.url}/logout`, {
      headers: { Cookie: cookieHeaderFrom(cookies) },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login');
    const cleared = setCookies(response);
    expect([...cleared.keys()].sort()).toEqual(LOGIN_COOKIES);
    for (const cookie of cleared.values()) {
      expect(cookie.value).toBe('');
      expect(cookie.attributes.get('max-age')).toBe('0');
      expect(cookie.attributes.get('path')).toBe('/');
    }
    const refresh = await fetch(`${lms.url}/login_refresh`, {
      method: 'POST',
      headers: { Cookie: `sessionid=${cookies.get('sessionid')!.value}` },
    });
    expect(refresh.status).toBe(401);

    const back = await fetch(`${lms.url}/logout?redirect_url=${encodeURIComponent(`${MFE}/`)}`, {
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toBe(`${MFE}/`);
    const foreign = await fetch(
      `${lms.url}/logout?redirect_url=${encodeURIComponent('https://evil.example.com/')}`,
      { redirect: 'manual' },
    );
    expect(foreign.headers.get('location')).toBe('/login');
  });

  it('GET /csrf/api/v1/token gives a csrfToken', async () => {
    const response = await fetch(`${lms.url}/csrf/api/v1/token`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { csrfToken: string };
    expect(body.csrfToken).toMatch(/^[\w-]{32,}$/);
    expect(setCookies(response).get('csrftoken')?.value).toBe(body.csrfToken);
  });

  it('answers CORS with credentials for allowed origins only', async () => {
    const allowed = await fetch(`${lms.url}/csrf/api/v1/token`, { headers: { Origin: MFE } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(MFE);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const preflight = await fetch(`${lms.url}/login_refresh`, {
      method: 'OPTIONS',
      headers: {
        Origin: MFE,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'use-jwt-cookie',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(MFE);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('use-jwt-cookie');
    const foreign = await fetch(`${lms.url}/csrf/api/v1/token`, {
      headers: { Origin: 'https://evil.example.com' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('cookie domain', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms({ cookieDomain: '.example.test', tokenLifetimeSeconds: 600 });
  });
  afterAll(async () => {
    await lms.close();
  });

  it('sets Domain= on every login, refresh and logout cookie', async () => {
    const { cookies } = await login(lms.url, 'staff');
    expect(cookies.size).toBe(5);
    for (const cookie of cookies.values()) {
      expect(cookie.attributes.get('domain')).toBe('.example.test');
    }
    expect(cookies.get('edx-jwt-cookie-signature')!.attributes.get('max-age')).toBe('600');
    const refreshed = setCookies(
      await fetch(`${lms.url}/login_refresh`, {
        method: 'POST',
        headers: { Cookie: cookieHeaderFrom(cookies) },
      }),
    );
    expect(refreshed.size).toBe(2);
    for (const cookie of refreshed.values()) {
      expect(cookie.attributes.get('domain')).toBe('.example.test');
    }
    const cleared = setCookies(await fetch(`${lms.url}/logout`, { redirect: 'manual' }));
    for (const cookie of cleared.values()) {
      expect(cookie.attributes.get('domain')).toBe('.example.test');
    }
  });
});
