/** Cookie names the LMS uses (edx-drf-extensions, frontend-platform, Django). */
export const COOKIE = {
  headerPayload: 'edx-jwt-cookie-header-payload',
  signature: 'edx-jwt-cookie-signature',
  session: 'sessionid',
  loggedIn: 'edxloggedin',
  userInfo: 'edx-user-info',
  csrf: 'csrftoken',
} as const;

/** Parses a `Cookie:` request header (the first value of a name wins, as in Django). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    let value = part.slice(at + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieAttributes {
  maxAge: number;
  domain?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

/** A `Set-Cookie:` value as Django writes it: Path=/, Max-Age and Expires, SameSite=Lax. */
export function setCookie(name: string, value: string, attributes: CookieAttributes): string {
  const expires =
    attributes.maxAge <= 0
      ? 'Thu, 01 Jan 1970 00:00:00 GMT'
      : new Date(Date.now() + attributes.maxAge * 1000).toUTCString();
  const parts = [`${name}=${value}`];
  if (attributes.domain) parts.push(`Domain=${attributes.domain}`);
  parts.push(`Expires=${expires}`, `Max-Age=${Math.max(0, attributes.maxAge)}`, 'Path=/');
  if (attributes.httpOnly) parts.push('HttpOnly');
  parts.push('SameSite=Lax');
  if (attributes.secure) parts.push('Secure');
  return parts.join('; ');
}
