import { createHash, randomBytes } from 'node:crypto';
import {
  SignJWT,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { DevLmsUser } from './types.ts';

export type Algorithm = 'RS512' | 'RS256';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
}

/**
 * The LMS's asymmetric JWT signing key (JWT_PRIVATE_SIGNING_JWK) and the public key set it
 * publishes (JWT_PUBLIC_SIGNING_JWK_SET), with key rotation.
 */
export class KeyStore {
  /** The published set; its array is replaced (never mutated) on rotation. */
  readonly jwks: { keys: Record<string, unknown>[] } = { keys: [] };
  private current!: SigningKey;
  private verifyKeys: ReturnType<typeof createLocalJWKSet> = createLocalJWKSet({ keys: [] });

  private constructor(readonly algorithm: Algorithm) {}

  static async create(algorithm: Algorithm): Promise<KeyStore> {
    const store = new KeyStore(algorithm);
    await store.rotate(false);
    return store;
  }

  async rotate(keepOld: boolean): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair(this.algorithm, {
      extractable: true,
      modulusLength: 2048,
    });
    const kid = randomBytes(8).toString('hex');
    const { kty, n, e } = await exportJWK(publicKey);
    const publicJwk = { kty, kid, n, e, use: 'sig', alg: this.algorithm };
    this.current = { kid, privateKey, publicJwk };
    this.jwks.keys = keepOld ? [publicJwk, ...this.jwks.keys] : [publicJwk];
    this.verifyKeys = createLocalJWKSet({ keys: this.jwks.keys as JWK[] });
  }

  async sign(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: this.algorithm, kid: this.current.kid, typ: 'JWT' })
      .sign(this.current.privateKey);
  }

  /**
   * Verifies a token as edx-drf-extensions' JwtAuthentication does (signature against the
   * current key set, exp, nbf, issuer, audience); the DRF 401 message when it fails.
   */
  async verify(
    token: string,
    expected: { issuer: string; audience: string },
  ): Promise<{ payload: JWTPayload } | { error: string }> {
    try {
      const { payload } = await jwtVerify(token, this.verifyKeys, {
        issuer: expected.issuer,
        audience: expected.audience,
        algorithms: ['RS256', 'RS512'],
      });
      return { payload };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { error: 'Signature has expired.' };
      if (error instanceof errors.JWTClaimValidationFailed) return { error: 'Invalid token.' };
      if (
        error instanceof errors.JWSSignatureVerificationFailed ||
        error instanceof errors.JWKSNoMatchingKey
      ) {
        return { error: 'Error decoding signature.' };
      }
      return { error: 'Error decoding token.' };
    }
  }
}

/** A stable anonymous id (`anonymous_id_for_user`: 32 hex characters). */
export function anonymousId(user: DevLmsUser): string {
  return createHash('sha256').update(`dev-lms:${user.userId}`).digest('hex').slice(0, 32);
}

export function userEmail(user: DevLmsUser): string {
  return user.email ?? `${user.username}@example.com`;
}

export interface ClaimsInput {
  user: DevLmsUser;
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
  scopes: string[];
  grantType: string;
  notBefore?: number;
  overrides?: Record<string, unknown>;
}

/**
 * The claims of an LMS JWT (openedx oauth_dispatch/jwt.py): the base claims, then those of the
 * `user_id`, `email` and `profile` scopes.
 */
export function buildClaims(input: ClaimsInput): JWTPayload {
  const { user, scopes } = input;
  const now = Math.floor(Date.now() / 1000);
  const name = user.name ?? user.username;
  const [givenName = '', ...rest] = name.split(' ');
  const claims: Record<string, unknown> = {
    aud: input.audience,
    exp: now + input.lifetimeSeconds,
    grant_type: input.grantType,
    iat: now,
    iss: input.issuer,
    preferred_username: user.username,
    scopes,
    version: '1.2.0',
    sub: anonymousId(user),
    filters: [],
    is_restricted: false,
    email_verified: true,
  };
  if (scopes.includes('user_id')) claims.user_id = user.userId;
  if (scopes.includes('email')) claims.email = userEmail(user);
  if (scopes.includes('profile')) {
    claims.name = name;
    claims.given_name = givenName;
    claims.family_name = rest.join(' ');
    claims.administrator = user.administrator ?? false;
    claims.superuser = user.superuser ?? false;
  }
  if (input.notBefore !== undefined) claims.nbf = now + input.notBefore;
  for (const [key, value] of Object.entries(input.overrides ?? {})) {
    if (value === undefined) delete claims[key];
    else claims[key] = value;
  }
  return claims as JWTPayload;
}

/** Splits a JWT into the two cookie values: `header.payload` and `signature`. */
export function splitJwt(token: string): { headerPayload: string; signature: string } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWT');
  return { headerPayload: `${parts[0]}.${parts[1]}`, signature: parts[2]! };
}
