import { createPublicKey } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test-support/database.ts';
import { COURSE, courseDatabase, FROM, startTestApi, TO, type TestApi } from './harness.ts';

const enc = encodeURIComponent;
const OVERVIEW = `/api/v1/courses/${enc(COURSE)}/overview?from=${FROM}&to=${TO}`;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string) =>
  JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString()) as Record<string, unknown>;
const headerOf = (token: string) =>
  JSON.parse(Buffer.from(parts(token)[0], 'base64url').toString()) as Record<string, unknown>;

describe('authentication (issue: API, forged-token corpus)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let good: string;

  beforeAll(async () => {
    db = await courseDatabase();
    api = await startTestApi(db);
    good = await api.lms.tokenFor('staff');
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  /** The same claims, signed by a key the LMS never published (with `kid` in the header). */
  async function signedByStranger(kid: string, alg = 'RS512') {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    return new SignJWT(payloadOf(good))
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .sign(privateKey);
  }

  const forged: [string, () => Promise<Record<string, string>>][] = [
    [
      'alg none, no signature',
      async () => auth(`${b64({ alg: 'none', typ: 'JWT' })}.${parts(good)[1]}.`),
    ],
    [
      'HS256 signed with the LMS public key as the secret',
      async () => {
        const jwk = api.lms.jwks.keys[0]!;
        const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        const token = await new SignJWT(payloadOf(good))
          .setProtectedHeader({ alg: 'HS256', kid: jwk.kid as string, typ: 'JWT' })
          .sign(new TextEncoder().encode(pem as string));
        return auth(token);
      },
    ],
    ['an unknown kid', async () => auth(await signedByStranger('no-such-kid'))],
    [
      "another key set's key under the LMS's kid",
      async () => auth(await signedByStranger(headerOf(good).kid as string)),
    ],
    ['expired a minute ago', async () => auth(await api.lms.tokenFor('staff', { expiresIn: -60 }))],
    [
      'not valid for another five minutes',
      async () => auth(await api.lms.tokenFor('staff', { notBefore: 300 })),
    ],
    [
      'another issuer',
      async () =>
        auth(await api.lms.tokenFor('staff', { claims: { iss: 'https://evil.example/oauth2' } })),
    ],
    [
      'another audience',
      async () => auth(await api.lms.tokenFor('staff', { claims: { aud: 'some-other-service' } })),
    ],
    [
      'payload changed after signing (administrator: true)',
      async () => {
        const [header, , signature] = parts(good);
        return auth(`${header}.${b64({ ...payloadOf(good), administrator: true })}.${signature}`);
      },
    ],
    [
      "another user's signature on this payload",
      async () => {
        const other = await api.lms.tokenFor('learner');
        return auth(`${parts(other)[0]}.${parts(other)[1]}.${parts(good)[2]}`);
      },
    ],
    [
      'no exp claim',
      async () => auth(await api.lms.tokenFor('staff', { claims: { exp: undefined } })),
    ],
    [
      'no preferred_username',
      async () =>
        auth(await api.lms.tokenFor('staff', { claims: { preferred_username: undefined } })),
    ],
    [
      'only the header-payload cookie',
      async () => ({
        cookie: `edx-jwt-cookie-header-payload=${parts(good).slice(0, 2).join('.')}`,
      }),
    ],
    [
      'only the signature cookie',
      async () => ({ cookie: `edx-jwt-cookie-signature=${parts(good)[2]}` }),
    ],
    ['garbage', async () => auth('this.is.not-a-token')],
    ['an empty token', async () => ({ authorization: 'JWT ' })],
    ['Basic credentials', async () => ({ authorization: 'Basic c3RhZmY6c3RhZmY=' })],
    ['no credentials at all', async () => ({})],
    [
      'cookies whose halves come from two tokens',
      async () => {
        const other = await api.lms.tokenFor('admin');
        return {
          cookie:
            `edx-jwt-cookie-header-payload=${parts(other).slice(0, 2).join('.')}; ` +
            `edx-jwt-cookie-signature=${parts(good)[2]}`,
        };
      },
    ],
  ];

  it('has a corpus of at least 15 forged or broken credentials', () => {
    expect(forged.length).toBeGreaterThanOrEqual(15);
  });

  it.each(forged)('answers 401 to %s', async (_name, credentials) => {
    const headers = await credentials();
    for (const path of ['/api/v1/me', OVERVIEW]) {
      const response = await api.get(path, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('location')).toBeNull();
      expect((await response.json()).error.code).toBe('unauthorized');
    }
  });

  it('accepts the real token as JWT, as Bearer and as the cookie pair', async () => {
    const ways: Record<string, string>[] = [
      { authorization: `JWT ${good}` },
      { authorization: `Bearer ${good}` },
      { cookie: api.lms.cookieHeader(good) },
    ];
    for (const headers of ways) {
      const response = await api.get('/api/v1/me', { headers });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ username: 'staff', administrator: false });
    }
  });

  it('tolerates a clock difference of a few seconds', async () => {
    const token = await api.lms.tokenFor('staff', { expiresIn: -10 });
    expect((await api.get('/api/v1/me', { headers: auth(token) })).status).toBe(200);
  });

  it('fetches the key set again when the LMS rotates its key (at most every 5 s)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5_100)); // the unknown-kid cases fetched it
    await api.lms.rotateKey();
    const fresh = await api.lms.tokenFor('admin');
    const response = await api.get('/api/v1/me', { headers: auth(fresh) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: 'admin', administrator: true });
  });
});

function auth(token: string): Record<string, string> {
  return { authorization: `JWT ${token}` };
}
