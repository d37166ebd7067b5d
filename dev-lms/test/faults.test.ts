import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COURSE_ID, startDevLms, type DevLms } from '../src/index.ts';

describe('faults', () => {
  let lms: DevLms;
  let rolesUrl: string;
  let auth: { headers: { Authorization: string } };
  beforeAll(async () => {
    lms = await startDevLms();
    rolesUrl = `${lms.url}/api/enrollment/v1/roles/?course_id=${encodeURIComponent(DEMO_COURSE_ID)}`;
    auth = { headers: { Authorization: `JWT ${await lms.tokenFor('staff')}` } };
  });
  afterEach(() => {
    lms.clearFaults();
  });
  afterAll(async () => {
    await lms.close();
  });

  it('answers a status fault the given number of times, then normally', async () => {
    lms.fault('roles', { status: 503 }, 2);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(rolesUrl, auth);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect((await fetch(rolesUrl, auth)).status).toBe(200);
    expect(lms.requests.slice(-3).map((r) => [r.endpoint, r.status])).toEqual([
      ['roles', 503],
      ['roles', 503],
      ['roles', 200],
    ]);
  });

  it('sends a custom body as JSON, or as HTML when it is a string; default JSON for 4xx', async () => {
    lms.fault('jwks', { status: 500, body: { detail: 'boom' } });
    lms.fault('jwks', { status: 502, body: '<h1>Bad gateway</h1>' });
    lms.fault('jwks', { status: 429 });
    const json = await fetch(`${lms.url}/auth/jwks.json`);
    expect([json.status, await json.json()]).toEqual([500, { detail: 'boom' }]);
    const html = await fetch(`${lms.url}/auth/jwks.json`);
    expect([html.status, await html.text()]).toEqual([502, '<h1>Bad gateway</h1>']);
    const throttled = await fetch(`${lms.url}/auth/jwks.json`);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toEqual({ detail: expect.stringContaining('throttled') });
    expect((await fetch(`${lms.url}/auth/jwks.json`)).status).toBe(200);
  });

  it('applies faults before normal handling, to their endpoint only', async () => {
    lms.fault('login', { status: 500 });
    // Even a request the endpoint would refuse meets the fault.
    const login = await fetch(`${lms.url}/login`, { method: 'POST' });
    expect(login.status).toBe(500);
    lms.fault('token', { status: 401, body: { error: 'invalid_client' } });
    expect((await fetch(rolesUrl, auth)).status).toBe(200);
    const token = await fetch(`${lms.url}/oauth2/access_token`, { method: 'POST' });
    expect([token.status, await token.json()]).toEqual([401, { error: 'invalid_client' }]);
  });

  it('hangs, then answers normally; a client with a shorter timeout gives up', async () => {
    lms.fault('courses', { hangMs: 300 });
    const started = Date.now();
    const slow = await fetch(`${lms.url}/api/courses/v1/courses/${DEMO_COURSE_ID}`);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    lms.fault('blocks', { hangMs: 2000 });
    await expect(
      fetch(`${lms.url}/api/courses/v1/blocks/?course_id=x`, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
  });

  it('resets the connection', async () => {
    lms.fault('login_refresh', { reset: true });
    await expect(fetch(`${lms.url}/login_refresh`, { method: 'POST' })).rejects.toThrow(
      /fetch failed/,
    );
    expect(lms.requests.at(-1)).toMatchObject({ endpoint: 'login_refresh', status: 0 });
    expect((await fetch(`${lms.url}/login_refresh`, { method: 'POST' })).status).toBe(401);
  });

  it('keeps an Infinity fault until clearFaults', async () => {
    lms.fault('csrf', { status: 500 }, Infinity);
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${lms.url}/csrf/api/v1/token`)).status).toBe(500);
    }
    lms.clearFaults();
    expect((await fetch(`${lms.url}/csrf/api/v1/token`)).status).toBe(200);
  });

  it('does not fault CORS preflights', async () => {
    lms.fault('login_refresh', { status: 500 });
    const preflight = await fetch(`${lms.url}/login_refresh`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect((await fetch(`${lms.url}/login_refresh`, { method: 'POST' })).status).toBe(500);
  });
});
