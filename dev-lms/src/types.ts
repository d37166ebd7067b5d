/** A user account of the stand-in LMS. */
export interface DevLmsUser {
  username: string;
  userId: number;
  /** Default `<username>@example.com`. */
  email?: string;
  /** The full name (`UserProfile.name`); default the username. */
  name?: string;
  /** Global staff (`User.is_staff`): the `administrator` claim and `is_staff` of the roles API. */
  administrator?: boolean;
  superuser?: boolean;
}

/** A course access role (`CourseAccessRole`). */
export interface DevLmsRole {
  username: string;
  course_id: string;
  role: string;
  /** Defaults to the org of the course key. */
  org?: string;
}

export interface DevLmsCourse {
  course_id: string;
  name: string;
  /** ISO 8601, or null as the Courses API gives it. */
  start?: string | null;
  end?: string | null;
  /** The course image URL (absolute, or a path on the stand-in); default a placeholder. */
  image?: string | null;
  /** The Course Blocks API answer `{root, blocks}`, sent as it is. */
  blocks?: unknown;
}

export interface DevLmsOAuthClient {
  clientId: string;
  clientSecret: string;
  /** The service user the client-credentials tokens are for. */
  username: string;
}

export interface DevLmsOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The URL browsers use, default http://host:port. */
  publicUrl?: string;
  /** Default `${publicUrl}/oauth2`. */
  issuer?: string;
  /** Default 'lms-key' (the LMS default JWT_AUDIENCE). */
  audience?: string;
  /** Default RS512. */
  algorithm?: 'RS512' | 'RS256';
  /** Lifetime of the login JWT and its cookies; default 3600 (JWT_IN_COOKIE_EXPIRATION). */
  tokenLifetimeSeconds?: number;
  /**
   * Lifetime of the LMS session (`sessionid`, `edxloggedin`, `edx-user-info`); default 1209600
   * (Django's SESSION_COOKIE_AGE, two weeks), so that `/login_refresh` outlives the JWT cookies.
   */
  sessionLifetimeSeconds?: number;
  /** Domain= of the cookies; default none (host-only). */
  cookieDomain?: string;
  /** Default DEMO_USERS. */
  users?: DevLmsUser[];
  /** Default DEMO_ROLES. */
  roles?: DevLmsRole[];
  /** Default DEMO_COURSES. */
  courses?: DevLmsCourse[];
  /** Client-credentials applications; default DEMO_OAUTH_CLIENTS. */
  oauthClients?: DevLmsOAuthClient[];
  /**
   * Like LOGIN_REDIRECT_WHITELIST (where /login and /logout may send the browser back to, besides
   * relative paths) and CORS_ORIGIN_WHITELIST with CORS_ALLOW_CREDENTIALS (which origins may call
   * the stand-in from a browser with credentials): origins such as 'http://localhost:8080'.
   */
  allowedRedirectOrigins?: string[];
}

export type DevLmsEndpoint =
  | 'jwks'
  | 'login'
  | 'login_refresh'
  | 'logout'
  | 'roles'
  | 'token'
  | 'blocks'
  | 'courses'
  | 'csrf'
  | 'accounts';

export type DevLmsFault =
  /** Answer with this status; the body is sent as JSON, or as HTML when it is a string. */
  | { status: number; body?: unknown }
  /** Send nothing for this long, then answer normally. */
  | { hangMs: number }
  /** Destroy the socket without an answer. */
  | { reset: true };

export interface DevLmsRequest {
  endpoint: DevLmsEndpoint | 'unknown';
  method: string;
  /** Path with query. */
  path: string;
  authorization?: string;
  /** The status answered; 0 while pending or when the socket was reset. */
  status: number;
}

export interface DevLmsTokenOptions {
  /** Overrides or adds claims; an `undefined` value removes the claim. */
  claims?: Record<string, unknown>;
  /** Seconds from now; negative = already expired. Default tokenLifetimeSeconds. */
  expiresIn?: number;
  /** Seconds from now: sets `nbf`. */
  notBefore?: number;
}

export interface DevLms {
  /** The LMS base URL (publicUrl when given). */
  url: string;
  /** Where the server actually listens, `http://host:port` (equals `url` without publicUrl). */
  localUrl: string;
  issuer: string;
  audience: string;
  /** The public key set, as /auth/jwks.json serves it (JWT_PUBLIC_SIGNING_JWK_SET form). */
  jwks: { keys: Record<string, unknown>[] };
  /** By username, mutable between requests. */
  users: Map<string, DevLmsUser>;
  /** Mutable between requests. */
  roles: DevLmsRole[];
  /** By course key, mutable. */
  courses: Map<string, DevLmsCourse>;
  /** The JWT the LMS would issue to this user at login (claims per lms-protocol.md). */
  tokenFor(username: string, options?: DevLmsTokenOptions): Promise<string>;
  /** A `Cookie:` request header value carrying the two JWT cookies for this token. */
  cookieHeader(token: string): string;
  /** Replace the signing key (key rotation): new kid; the old key leaves the JWKS unless keepOld. */
  rotateKey(options?: { keepOld?: boolean }): Promise<void>;
  /** The next `times` (default 1; Infinity allowed) requests to `endpoint` meet `fault`. */
  fault(endpoint: DevLmsEndpoint, fault: DevLmsFault, times?: number): void;
  clearFaults(): void;
  /** Every request received, in order. */
  requests: DevLmsRequest[];
  close(): Promise<void>;
}
