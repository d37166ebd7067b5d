import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Open edX LMS endpoints the processor calls (lms-protocol.md): the
 * OAuth2 client-credentials token endpoint, the Course Blocks API and the Courses API. It is
 * strict about what a correct client sends (form fields, `Authorization: JWT <token>`, every query
 * parameter) and answers as the LMS does, in status and body shape. Faults are programmable.
 */
export interface FakeLms {
  /** `http://127.0.0.1:<port>`, to use as LMS_BASE_URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  /** The courses the LMS knows, by course key; change freely between requests. */
  courses: Map<string, FakeLmsCourse>;
  /** Every request received, in order. */
  requests: FakeLmsRequest[];
  /** The next `times` requests to `endpoint` (for `courseId` only, when given) meet `fault`. */
  fault(endpoint: FakeLmsEndpoint, fault: FakeLmsFault, options?: FaultOptions): void;
  /** Every token issued so far is now expired: the next request with one gets a 401. */
  expireTokens(): void;
  close(): Promise<void>;
}

export interface FakeLmsCourse {
  /** The Course Blocks API answer (`{"root", "blocks"}`), sent as it is. */
  answer: unknown;
  name?: string;
  /** ISO 8601 or null, as the Courses API gives them. */
  start?: string | null;
  end?: string | null;
}

export type FakeLmsEndpoint = 'token' | 'blocks' | 'course';

export type FakeLmsFault =
  /**
   * Answer with this status (and `Retry-After: retryAfter` seconds when given); the body is sent
   * as JSON, or as HTML when it is a string (5xx default to HTML, as a proxy sends them).
   */
  | { status: number; retryAfter?: number; body?: unknown }
  /** Send nothing for this long, then answer normally (a client with a shorter timeout gives up). */
  | { hangMs: number };

export interface FaultOptions {
  /** How many requests meet the fault; default 1. */
  times?: number;
  courseId?: string;
}

export interface FakeLmsRequest {
  endpoint: FakeLmsEndpoint | 'unknown';
  method: string;
  path: string;
  courseId?: string;
  authorization?: string;
  status: number;
}

export interface FakeLmsOptions {
  clientId?: string;
  clientSecret?: string;
  /** `expires_in` of the tokens, in seconds; default 3600 (the LMS's JWT_EXPIRATION). */
  tokenLifetime?: number;
  courses?: Record<string, FakeLmsCourse>;
}

/** The query the Course Blocks API must receive, besides course_id (lms-protocol.md). */
export const EXPECTED_BLOCKS_QUERY: Readonly<Record<string, string>> = {
  depth: 'all',
  all_blocks: 'true',
  requested_fields: 'children,display_name,type,graded,format,student_view_data',
  student_view_data: 'video',
  return_type: 'dict',
};

interface PendingFault {
  endpoint: FakeLmsEndpoint;
  fault: FakeLmsFault;
  remaining: number;
  courseId?: string;
}

export async function startFakeLms(options: FakeLmsOptions = {}): Promise<FakeLms> {
  const clientId = options.clientId ?? 'stats-processor';
  const clientSecret = options.clientSecret ?? randomBytes(12).toString('hex');
  const lifetime = options.tokenLifetime ?? 3600;
  const courses = new Map(Object.entries(options.courses ?? {}));
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const faults: PendingFault[] = [];
  const requests: FakeLmsRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let issued = 0;

  function takeFault(endpoint: FakeLmsEndpoint, courseId?: string): FakeLmsFault | undefined {
    const pending = faults.find(
      (f) =>
        f.endpoint === endpoint &&
        f.remaining > 0 &&
        (f.courseId === undefined || f.courseId === courseId),
    );
    if (!pending) return undefined;
    pending.remaining--;
    return pending.fault;
  }

  function issueToken(): string {
    issued++;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + lifetime;
    const token = `${part({ alg: 'RS512', typ: 'JWT' })}.${part({ iss: 'fake-lms/oauth2', exp, n: issued, sub: clientId })}.${randomBytes(16).toString('base64url')}`;
    tokens.set(token, Date.now() + lifetime * 1000);
    return token;
  }

  /** DRF + edx-drf-extensions' JwtAuthentication: undefined when authenticated, else the 401. */
  function authenticate(header: string | undefined, required: boolean): Answer | undefined {
    if (header === undefined) {
      return required
        ? answer(401, { detail: 'Authentication credentials were not provided.' })
        : undefined;
    }
    const [scheme, token, extra] = header.split(' ');
    if (scheme !== 'JWT' || !token || extra !== undefined) {
      return answer(401, { detail: 'Authentication credentials were not provided.' });
    }
    const expiry = tokens.get(token);
    if (expiry === undefined) return answer(401, { detail: 'Error decoding token.' });
    if (Date.now() >= expiry) return answer(401, { detail: 'Signature has expired.' });
    return undefined;
  }

  function tokenEndpoint(req: http.IncomingMessage, body: string): Answer {
    if (req.method !== 'POST')
      return answer(405, { detail: `Method "${req.method}" not allowed.` });
    if (
      req.headers['content-type']?.split(';')[0]?.trim() !== 'application/x-www-form-urlencoded'
    ) {
      return answer(400, {
        error: 'invalid_request',
        error_description: 'form-encoded body expected',
      });
    }
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return answer(400, { error: 'unsupported_grant_type' });
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return answer(401, { error: 'invalid_client' });
    }
    if (form.get('token_type') !== 'jwt') {
      // The real LMS would issue an opaque Bearer token; the processor must ask for a JWT.
      return answer(400, {
        error: 'invalid_request',
        error_description: 'token_type=jwt expected',
      });
    }
    return answer(200, {
      access_token: issueToken(),
      expires_in: lifetime,
      token_type: 'JWT',
      scope: 'read write profile email',
    });
  }

  function blocksEndpoint(req: http.IncomingMessage, url: URL): Answer {
    if (req.method !== 'GET') return answer(405, { detail: `Method "${req.method}" not allowed.` });
    const denied = authenticate(req.headers.authorization, true);
    if (denied) return denied;
    for (const [name, value] of Object.entries(EXPECTED_BLOCKS_QUERY)) {
      if (url.searchParams.get(name) !== value) {
        return answer(400, { detail: `fake LMS: query parameter ${name} must be ${value}` });
      }
    }
    const courseId = url.searchParams.get('course_id');
    if (!courseId) return answer(400, { course_id: ['This field is required.'] });
    const course = courses.get(courseId);
    if (!course) return answer(404, { detail: `Block not found: ${courseId}` });
    return answer(200, course.answer);
  }

  function courseEndpoint(req: http.IncomingMessage, courseId: string): Answer {
    if (req.method !== 'GET') return answer(405, { detail: `Method "${req.method}" not allowed.` });
    // Public for visible courses, but a token that is sent must be valid.
    const denied = authenticate(req.headers.authorization, false);
    if (denied) return denied;
    const course = courses.get(courseId);
    if (!course) return answer(404, { detail: 'Not found.' });
    const [org, number, run] = courseId.replace(/^course-v1:/, '').split('+');
    return answer(200, {
      blocks_url: `${lms.url}/api/courses/v1/blocks/?course_id=${encodeURIComponent(courseId)}`,
      effort: null,
      end: course.end ?? null,
      enrollment_start: null,
      enrollment_end: null,
      id: courseId,
      media: { image: { raw: '', small: '', large: '' } },
      name: course.name ?? 'Course',
      number,
      org,
      short_description: '',
      start: course.start ?? null,
      start_display: null,
      start_type: 'empty',
      pacing: 'instructor',
      mobile_available: false,
      hidden: false,
      invitation_only: false,
      course_id: courseId,
      run,
    });
  }

  function route(url: URL): { endpoint: FakeLmsEndpoint | 'unknown'; courseId?: string } {
    if (/^\/oauth2\/access_token\/?$/.test(url.pathname)) return { endpoint: 'token' };
    if (url.pathname === '/api/courses/v1/blocks/') {
      return { endpoint: 'blocks', courseId: url.searchParams.get('course_id') ?? undefined };
    }
    const course = /^\/api\/courses\/v1\/courses\/([^/]+)\/?$/.exec(url.pathname);
    if (course) return { endpoint: 'course', courseId: decodeURIComponent(course[1]!) };
    return { endpoint: 'unknown' };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake-lms');
      const { endpoint, courseId } = route(url);
      const record: FakeLmsRequest = {
        endpoint,
        method: req.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        courseId,
        authorization: req.headers.authorization,
        status: 0,
      };
      requests.push(record);
      const respond = () => {
        const result =
          endpoint === 'token'
            ? tokenEndpoint(req, Buffer.concat(chunks).toString('utf8'))
            : endpoint === 'blocks'
              ? blocksEndpoint(req, url)
              : endpoint === 'course'
                ? courseEndpoint(req, courseId!)
                : answer(404, { detail: 'Not found.' });
        send(res, result, record);
      };
      const fault = endpoint === 'unknown' ? undefined : takeFault(endpoint, courseId);
      if (fault === undefined) return respond();
      if ('hangMs' in fault) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) respond();
        }, fault.hangMs);
        timers.add(timer);
        return;
      }
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      send(res, answer(fault.status, fault.body ?? defaultBody(fault.status), headers), record);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const lms: FakeLms = {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    courses,
    requests,
    fault(endpoint, fault, faultOptions = {}) {
      faults.push({
        endpoint,
        fault,
        remaining: faultOptions.times ?? 1,
        courseId: faultOptions.courseId,
      });
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 0);
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

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, body, headers };
}

function defaultBody(status: number): unknown {
  if (status === 403) return { detail: 'You do not have permission to perform this action.' };
  if (status === 404) return { detail: 'Not found.' };
  if (status === 429) return { detail: 'Request was throttled. Expected available in 1 second.' };
  // A 5xx usually comes from the proxy in front of the LMS, as HTML.
  if (status >= 500) return `<html><body><h1>${status}</h1></body></html>`;
  return { detail: `fake LMS fault ${status}` };
}

function send(res: http.ServerResponse, result: Answer, record: FakeLmsRequest): void {
  record.status = result.status;
  const html = typeof result.body === 'string';
  const body = html ? (result.body as string) : JSON.stringify(result.body);
  res.writeHead(result.status, {
    'Content-Type': html ? 'text/html' : 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...result.headers,
  });
  res.end(body);
}
