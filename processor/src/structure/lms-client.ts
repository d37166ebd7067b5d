import type { CourseDates } from './store.ts';

export interface LmsClientOptions {
  /** The LMS root, e.g. `https://lms.example.com` (a path prefix is kept). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request, headers and body included. Default 30 s. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 429 or 5xx. Default 3. */
  retries?: number;
  /** First backoff delay, doubled at each retry. Default 500 ms. */
  retryBaseMs?: number;
  /** Upper bound of any wait, `Retry-After` included. Default 60 s. */
  maxRetryDelayMs?: number;
}

/** What syncStructures needs from the LMS (LmsClient, or a stand-in in tests). */
export interface StructureClient {
  /** A human-readable name of where structures come from, stored as their source. */
  readonly source: string;
  /** The Course Blocks API answer of a course (parsed JSON, not validated). */
  courseBlocks(courseId: string): Promise<unknown>;
  /** Best effort: the course run's dates, or undefined when the LMS could not tell. */
  courseDates?(courseId: string): Promise<CourseDates | undefined>;
}

/** The LMS could not give what was asked: the message names the course and the reason. */
export class LmsError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** No access token could be had: every other course would fail the same way. */
    readonly allCourses = false,
  ) {
    super(message);
  }
}

interface Token {
  header: string;
  /** Date.now() after which a new token is fetched. */
  renewAt: number;
}

const REQUESTED_FIELDS = 'children,display_name,type,graded,format,student_view_data';

/**
 * The processor's access to the LMS (lms-protocol.md): an OAuth2 client-credentials JWT, cached
 * until shortly before it expires, then the Course Blocks and Courses APIs. Every request has a
 * timeout; network errors, timeouts, 429 and 5xx are retried with exponential backoff (honouring
 * `Retry-After`); a 401 fetches a new token once; any other 4xx is an error at once.
 */
export class LmsClient implements StructureClient {
  readonly source: string;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryDelayMs: number;
  private token: Promise<Token> | undefined;

  constructor(private readonly options: LmsClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.source = this.base.href.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  async courseBlocks(courseId: string): Promise<unknown> {
    const url = new URL('api/courses/v1/blocks/', this.base);
    url.search = new URLSearchParams({
      course_id: courseId,
      depth: 'all',
      all_blocks: 'true',
      requested_fields: REQUESTED_FIELDS,
      student_view_data: 'video',
      return_type: 'dict',
    }).toString();
    return this.getJson(url, `the course structure of ${courseId}`, this.retries);
  }

  async courseDates(courseId: string): Promise<CourseDates | undefined> {
    const url = new URL(`api/courses/v1/courses/${encodeCourseKey(courseId)}`, this.base);
    try {
      const course = await this.getJson(url, `the dates of ${courseId}`, Math.min(this.retries, 1));
      if (typeof course !== 'object' || course === null) return undefined;
      const { start, end } = course as { start?: unknown; end?: unknown };
      return { start: dateOrNull(start), end: dateOrNull(end) };
    } catch {
      return undefined;
    }
  }

  private async getJson(url: URL, what: string, retries: number): Promise<unknown> {
    let tokenRenewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const outcome = await this.attempt(url, { headers: { Authorization: token.header } });
      if (outcome.kind === 'response' && outcome.response.status === 401 && !tokenRenewed) {
        // Revoked or expired early: one new token, and the same request again.
        await discard(outcome.response);
        tokenRenewed = true;
        this.forgetToken(token);
        attempt--;
        continue;
      }
      const retry = this.retryDelay(outcome, attempt, retries);
      if (retry !== undefined) {
        if (outcome.kind === 'response') await discard(outcome.response);
        await sleep(retry);
        continue;
      }
      if (outcome.kind === 'failure') {
        throw new LmsError(
          `could not fetch ${what} from the LMS: ${outcome.reason}${attempts(attempt)}`,
        );
      }
      const { response } = outcome;
      if (!response.ok) {
        const { status } = response;
        const reason = `${status} ${response.statusText || statusText(status)}`;
        const detail = await errorDetail(response);
        throw new LmsError(
          status === 429 || status >= 500
            ? `LMS failed to give ${what}: ${reason}${detail}${attempts(attempt)}`
            : `LMS refused ${what}: ${reason}${detail}`,
          status,
        );
      }
      try {
        return await response.json();
      } catch (error) {
        if (error instanceof SyntaxError) {
          throw new LmsError(`LMS answered ${what} with something that is not JSON`);
        }
        // The body was cut (a timeout, a reset): retried like a failure before the headers.
        if (attempt < retries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        const reason = isTimeout(error) ? this.timeoutReason() : networkReason(error);
        throw new LmsError(`could not fetch ${what} from the LMS: ${reason}${attempts(attempt)}`);
      }
    }
  }

  /** The current token, fetched when there is none or it is about to expire. */
  private async accessToken(): Promise<Token> {
    const current = this.token;
    if (current) {
      const token = await current.catch(() => undefined);
      if (token && Date.now() < token.renewAt) return token;
      if (this.token === current) this.token = undefined;
    }
    this.token ??= this.fetchToken();
    const pending = this.token;
    pending.catch(() => {
      if (this.token === pending) this.token = undefined;
    });
    return pending;
  }

  /** Makes the next accessToken() fetch a new token instead of this one. */
  private forgetToken(token: Token): void {
    token.renewAt = 0;
  }

  private async fetchToken(): Promise<Token> {
    const url = new URL('oauth2/access_token', this.base);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      token_type: 'jwt',
    }).toString();
    const init: RequestOptions = {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    };
    for (let attempt = 0; ; attempt++) {
      const requestedAt = Date.now();
      const outcome = await this.attempt(url, init);
      const retry = this.retryDelay(outcome, attempt, this.retries);
      if (retry !== undefined) {
        if (outcome.kind === 'response') await discard(outcome.response);
        await sleep(retry);
        continue;
      }
      if (outcome.kind === 'failure') {
        throw new LmsError(
          `could not get an access token from the LMS: ${outcome.reason}${attempts(attempt)}`,
          undefined,
          true,
        );
      }
      const { response } = outcome;
      if (!response.ok) {
        const { status } = response;
        const reason = `${status} ${response.statusText || statusText(status)}`;
        const detail = await errorDetail(response);
        throw new LmsError(
          status === 429 || status >= 500
            ? `LMS failed to give an access token: ${reason}${detail}${attempts(attempt)}`
            : `LMS refused the client credentials of LMS_OAUTH_CLIENT_ID ${this.options.clientId}: ` +
                `${reason}${detail}`,
          status,
          true,
        );
      }
      const answer = (await response.json().catch(() => undefined)) as
        { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | undefined;
      if (typeof answer?.access_token !== 'string' || answer.access_token === '') {
        throw new LmsError(
          'LMS answered the access token request without an access_token',
          undefined,
          true,
        );
      }
      const expiresIn =
        typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 300;
      // Renewed a tenth of its lifetime (at most a minute) before it expires.
      const margin = Math.min(60, expiresIn / 10);
      const scheme =
        typeof answer.token_type === 'string' && answer.token_type.toLowerCase() === 'bearer'
          ? 'Bearer'
          : 'JWT';
      return {
        header: `${scheme} ${answer.access_token}`,
        renewAt: requestedAt + (expiresIn - margin) * 1000,
      };
    }
  }

  private async attempt(url: URL, init: RequestOptions): Promise<Outcome> {
    try {
      const response = await fetch(url, {
        ...init,
        headers: { Accept: 'application/json', ...init.headers },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { kind: 'response', response };
    } catch (error) {
      return {
        kind: 'failure',
        reason: isTimeout(error) ? this.timeoutReason() : networkReason(error),
      };
    }
  }

  /** How long to wait before trying again, or undefined when this outcome is final. */
  private retryDelay(outcome: Outcome, attempt: number, retries: number): number | undefined {
    if (attempt >= retries) return undefined;
    if (outcome.kind === 'failure') return this.backoff(attempt);
    const { status, headers } = outcome.response;
    if (status !== 429 && status < 500) return undefined;
    const retryAfter = parseRetryAfter(headers.get('retry-after'));
    return retryAfter === undefined
      ? this.backoff(attempt)
      : Math.min(retryAfter, this.maxRetryDelayMs);
  }

  private backoff(attempt: number): number {
    return Math.min(this.retryBaseMs * 2 ** attempt, this.maxRetryDelayMs);
  }

  private timeoutReason(): string {
    return `no answer within ${formatDuration(this.timeoutMs)}`;
  }
}

interface RequestOptions {
  method?: string;
  headers: Record<string, string>;
  body?: string;
}

type Outcome = { kind: 'response'; response: Response } | { kind: 'failure'; reason: string };

/** `course-v1:A+B+C` stays readable in the path; anything else is escaped. */
function encodeCourseKey(courseId: string): string {
  return encodeURIComponent(courseId).replace(/%3A/gi, ':').replace(/%2B/gi, '+');
}

/** Retry-After in seconds, or as an HTTP date; in milliseconds. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function dateOrNull(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `: <the LMS's own words>` from a DRF or OAuth2 error body, when there are some. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let detail: unknown;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    detail =
      body.detail ?? body.developer_message ?? body.error_description ?? body.error ?? undefined;
  } catch {
    return '';
  }
  if (typeof detail !== 'string' || detail.trim() === '') return '';
  const line = detail.replace(/\s+/g, ' ').trim();
  return ` (${line.length > 200 ? `${line.slice(0, 200)}…` : line})`;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function attempts(attempt: number): string {
  return attempt > 0 ? ` (${attempt + 1} attempts)` : '';
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** HTTP/2 answers carry no reason phrase. */
function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
