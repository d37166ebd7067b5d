/** Small helpers of the dev-lms tests: real HTTP, cookies read from `Set-Cookie`. */
export interface SetCookie {
  name: string;
  value: string;
  /** Lower-case attribute names → values ('' for flags). */
  attributes: Map<string, string>;
}

export function setCookies(response: Response): Map<string, SetCookie> {
  const cookies = new Map<string, SetCookie>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const attributes = new Map<string, string>();
    for (const attr of attrs) {
      const eq = attr.indexOf('=');
      if (eq < 0) attributes.set(attr.toLowerCase(), '');
      else attributes.set(attr.slice(0, eq).toLowerCase(), attr.slice(eq + 1));
    }
    cookies.set(pair.slice(0, at), {
      name: pair.slice(0, at),
      value: pair.slice(at + 1),
      attributes,
    });
  }
  return cookies;
}

/** A `Cookie:` header from cookies set by a response (those with a value). */
export function cookieHeaderFrom(cookies: Map<string, SetCookie>): string {
  return [...cookies.values()]
    .filter((c) => c.value !== '')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

/** Signs in through the login form; the answer and its cookies. */
export async function login(
  baseUrl: string,
  username: string,
  next = '/',
): Promise<{ response: Response; cookies: Map<string, SetCookie> }> {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    body: new URLSearchParams({ username, next }),
    redirect: 'manual',
  });
  return { response, cookies: setCookies(response) };
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}
