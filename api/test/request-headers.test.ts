// Reading the request headers a cached answer depends on: the LMS cookies (read without parsing
// every cookie) and Accept-Encoding (RFC 9110 §12.5.3).
import { describe, expect, it } from 'vitest';
import { cookieValue, requestToken } from '../src/auth/token.ts';
import { acceptsGzip } from '../src/encoding.ts';

describe('cookieValue', () => {
  const name = 'edx-jwt-cookie-signature';

  it('finds the cookie wherever it is in the header, as hono/cookie reads it', () => {
    expect(cookieValue(`${name}=abc`, name)).toBe('abc');
    expect(cookieValue(`csrftoken=x; ${name}=abc; sessionid=y`, name)).toBe('abc');
    expect(cookieValue(`csrftoken=x;${name} = abc ;sessionid=y`, name)).toBe('abc');
    expect(cookieValue(`${name}="abc"`, name)).toBe('abc');
    expect(cookieValue(`${name}=a%2Eb`, name)).toBe('a.b');
    expect(cookieValue(`${name}=a%zzb`, name)).toBe('a%zzb');
    expect(cookieValue(`${name}=first; ${name}=second`, name)).toBe('first');
  });

  it('does not take another cookie whose name or value holds the name', () => {
    expect(cookieValue(`x${name}=abc`, name)).toBeUndefined();
    expect(cookieValue(`${name}x=abc`, name)).toBeUndefined();
    expect(cookieValue(`other=${name}=abc`, name)).toBeUndefined();
    expect(cookieValue(`other=${name}; ${name}=abc`, name)).toBe('abc');
    expect(cookieValue('', name)).toBeUndefined();
    expect(cookieValue(undefined, name)).toBeUndefined();
  });

  it('joins the LMS pair into the token, with other cookies around', () => {
    const cookies =
      'csrftoken=t; edx-jwt-cookie-header-payload=h.p; openedx-language-preference=es-419; ' +
      'edx-jwt-cookie-signature=s; edxloggedin=true';
    expect(requestToken(undefined, cookies)).toBe('h.p.s');
    expect(requestToken('JWT a.b.c', cookies)).toBe('a.b.c');
    expect(() => requestToken(undefined, 'edx-jwt-cookie-signature=s')).toThrow(/both/);
    expect(requestToken(undefined, 'csrftoken=t')).toBeUndefined();
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br, zstd', true],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['br, gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['*;q=0', false],
    ['deflate, br', false],
    ['identity', false],
    ['', false],
    [undefined, false],
  ] as const)('%j → %s', (header, accepted) => {
    expect(acceptsGzip(header)).toBe(accepted);
  });
});
