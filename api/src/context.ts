// What every handler can reach: the app's services (set once) and what the middleware learned of
// the request (the verified caller, the course).
import type { Sql } from '@course-stats/db';
import type { CourseAccess } from './auth/course-access.ts';
import type { Caller, TokenVerifier } from './auth/token.ts';
import type { Cache } from './cache.ts';
import type { CourseInfoSource } from './course-info.ts';
import type { DataVersions } from './data-versions.ts';
import type { ApiSettings } from './settings.ts';

export interface Services {
  settings: ApiSettings;
  sql: Sql;
  cache: Cache;
  versions: DataVersions;
  verify: TokenVerifier;
  access: CourseAccess;
  courseInfo: CourseInfoSource;
  /** The API's version, for /api/health. */
  version: string;
}

export interface AppEnv {
  Variables: {
    services: Services;
    caller: Caller;
    /** Canonical id of the course in the path (course routes only). */
    courseId: string;
    /** Its data version, which cached answers are keyed by. */
    dataVersion: number;
    /** The CORS headers of the answer until a handler takes them (cors.ts). */
    corsHeaders: Record<string, string> | undefined;
  };
}
