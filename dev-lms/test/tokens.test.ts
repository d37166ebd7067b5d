import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COURSE_ID, startDevLms, type DevLms } from '../src/index.ts';

const ROLES_PATH = `/api/enrollment/v1/roles/?course_id=${encodeURIComponent(DEMO_COURSE_ID)}`;

describe('keys and tokens', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms();
  });
  afterAll(async () => {
    await lms.close();
  });

  it('serves the public key set at /auth/jwks.json, without private parts', async () => {
    const response = await fetch(`${lms.url}/auth/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(body).toEqual(lms.jwks);
    expect(body.keys).toHaveLength(1);
    const key = body.keys[0]!;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS512', e: 'AQAB' });
    // 2048-bit modulus: 256 bytes in base64url.
    expect(Buffer.from(key.n as string, 'base64url')).toHaveLength(256);
  });

  it('issues tokens that verify against the remote JWKS with the LMS claims', async () => {
    const token = await lms.tokenFor('staff');
    const jwks = createRemoteJWKSet(new URL(`${lms.url}/auth/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: `${lms.url}/oauth2`,
      audience: 'lms-key',
      algorithms: ['RS512'],
    });
    expect(protectedHeader).toEqual({ alg: 'RS512', kid: lms.jwks.keys[0]!.kid, typ: 'JWT' });
    expect(lms.issuer).toBe(`${lms.url}/oauth2`);
    expect(lms.audience).toBe('lms-key');
    expect(payload).toMatchObject({
      iss: lms.issuer,
      aud: 'lms-key',
      version: '1.2.0',
      scopes: ['user_id', 'email', 'profile'],
      filters: [],
      preferred_username: 'staff',
      user_id: 1,
      email: 'staff@example.com',
      name: 'Alice Staff',
      given_name: 'Alice',
      family_name: 'Staff',
      administrator: false,
      superuser: false,
      email_verified: true,
      is_restricted: false,
    });
    expect(payload.sub).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
    const admin = await jwtVerify(await lms.tokenFor('admin'), jwks);
    expect(admin.payload.administrator).toBe(true);
  });

  it('applies claim overrides, removals, expiresIn and notBefore', async () => {
    const jwks = createRemoteJWKSet(new URL(`${lms.url}/auth/jwks.json`));
    const custom = await lms.tokenFor('learner', {
      claims: { administrator: true, email: undefined, extra: 'x' },
      expiresIn: 60,
    });
    const { payload } = await jwtVerify(custom, jwks);
    expect(payload.administrator).toBe(true);
    expect(payload.extra).toBe('x');
    expect('email' in payload).toBe(false);
    expect(payload.exp! - payload.iat!).toBe(60);

    const expired = await lms.tokenFor('learner', { expiresIn: -10 });
    await expect(jwtVerify(expired, jwks)).rejects.toBeInstanceOf(errors.JWTExpired);
    const early = await lms.tokenFor('learner', { notBefore: 600 });
    await expect(jwtVerify(early, jwks)).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    await expect(lms.tokenFor('nobody')).rejects.toThrow(/no user named "nobody"/);
  });

  it('rotateKey: a new kid, the old key gone, its tokens refused by the roles API', async () => {
    const old = await lms.tokenFor('staff');
    const oldKid = lms.jwks.keys[0]!.kid;
    await lms.rotateKey();
    expect(lms.jwks.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(lms.jwks.keys).toHaveLength(1);
    const served = (await (await fetch(`${lms.url}/auth/jwks.json`)).json()) as typeof lms.jwks;
    expect(served).toEqual(lms.jwks);

    const refused = await fetch(`${lms.url}${ROLES_PATH}`, {
      headers: { Authorization: `JWT ${old}` },
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ detail: expect.any(String) });

    const fresh = await lms.tokenFor('staff');
    expect(decodeProtectedHeader(fresh).kid).toBe(lms.jwks.keys[0]!.kid);
    const accepted = await fetch(`${lms.url}${ROLES_PATH}`, {
      headers: { Authorization: `JWT ${fresh}` },
    });
    expect(accepted.status).toBe(200);
  });

  it('rotateKey with keepOld publishes both keys and still accepts old tokens', async () => {
    const old = await lms.tokenFor('staff');
    const oldKid = lms.jwks.keys[0]!.kid;
    await lms.rotateKey({ keepOld: true });
    expect(lms.jwks.keys.map((k) => k.kid)).toEqual([expect.any(String), oldKid]);
    expect(lms.jwks.keys[0]!.kid).not.toBe(oldKid);
    const response = await fetch(`${lms.url}${ROLES_PATH}`, {
      headers: { Authorization: `JWT ${old}` },
    });
    expect(response.status).toBe(200);
  });
});

describe('token options', () => {
  let lms: DevLms;
  beforeAll(async () => {
    lms = await startDevLms({
      algorithm: 'RS256',
      publicUrl: 'http://lms.example.test:18000/',
      audience: 'my-audience',
      tokenLifetimeSeconds: 120,
    });
  });
  afterAll(async () => {
    await lms.close();
  });

  it('uses the algorithm, public URL, audience and lifetime given', async () => {
    expect(lms.url).toBe('http://lms.example.test:18000');
    expect(lms.issuer).toBe('http://lms.example.test:18000/oauth2');
    expect(lms.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lms.jwks.keys[0]!.alg).toBe('RS256');
    const jwks = createRemoteJWKSet(new URL(`${lms.localUrl}/auth/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(await lms.tokenFor('staff'), jwks, {
      issuer: 'http://lms.example.test:18000/oauth2',
      audience: 'my-audience',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('accepts a separate issuer', async () => {
    const other = await startDevLms({ issuer: 'https://issuer.example.test/oauth2' });
    try {
      expect(other.issuer).toBe('https://issuer.example.test/oauth2');
      const jwks = createRemoteJWKSet(new URL(`${other.url}/auth/jwks.json`));
      const { payload } = await jwtVerify(await other.tokenFor('admin'), jwks, {
        issuer: 'https://issuer.example.test/oauth2',
      });
      expect(payload.preferred_username).toBe('admin');
    } finally {
      await other.close();
    }
  });
});
