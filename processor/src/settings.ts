import { existsSync } from 'node:fs';
import { DEFAULT_KPI_SETTINGS, type KpiSettings } from './kpis/settings.ts';

/** The processor's settings, read from the environment (and `.env` when present). */
export interface ProcessorSettings {
  databaseUrl?: string;
  s3: { region?: string; endpoint?: string };
  /** The LMS, for `structure sync` (OAuth2 client credentials, lms-protocol.md). */
  lms: { baseUrl?: string; clientId?: string; clientSecret?: string };
  /** What `process` computes with: time zone, who is staff, the thresholds of kpis.md. */
  kpi: KpiSettings;
  /** Where `process` announces new data versions to the API's cache (unset: nowhere). */
  redisUrl?: string;
  /** The log sources `run` loads (STATS_LOG_SOURCES, comma-separated). */
  logSources: string[];
}

/** The LMS settings `structure sync` needs, all present. */
export interface LmsSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export class SettingError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env): ProcessorSettings {
  return {
    databaseUrl: optionalUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    s3: {
      region: env.AWS_REGION || undefined,
      endpoint: optionalUrl(env, 'AWS_S3_ENDPOINT_URL', ['http:', 'https:']),
    },
    lms: {
      baseUrl: optionalUrl(env, 'LMS_BASE_URL', ['http:', 'https:']),
      clientId: env.LMS_OAUTH_CLIENT_ID || undefined,
      clientSecret: env.LMS_OAUTH_CLIENT_SECRET || undefined,
    },
    kpi: {
      completionExcludedTypes: blockTypes(env, 'STATS_COMPLETION_EXCLUDED_TYPES', ['discussion']),
      timeZone: timeZone(env, 'STATS_TIME_ZONE'),
      studioHost: hostOf(optionalUrl(env, 'CMS_BASE_URL', ['http:', 'https:'])),
      excludeUsernames: list(env.STATS_EXCLUDE_USERNAMES),
      sessionGapSeconds:
        positiveNumber(
          env,
          'STATS_SESSION_TIMEOUT_MINUTES',
          DEFAULT_KPI_SETTINGS.sessionGapSeconds / 60,
        ) * 60,
      lastEventCreditSeconds:
        positiveNumber(
          env,
          'STATS_LAST_EVENT_MINUTES',
          DEFAULT_KPI_SETTINGS.lastEventCreditSeconds / 60,
        ) * 60,
      minViewingSeconds: positiveNumber(
        env,
        'STATS_MIN_VIEWING_SECONDS',
        DEFAULT_KPI_SETTINGS.minViewingSeconds,
      ),
    },
    redisUrl: optionalUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    logSources: list(env.STATS_LOG_SOURCES),
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function hostOf(url: string | undefined): string | undefined {
  return url === undefined ? undefined : new URL(url).hostname.toLowerCase();
}

/** An IANA time zone name (Postgres and Node share the same database of them). */
function timeZone(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) return DEFAULT_KPI_SETTINGS.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new SettingError(`${name} is not a time zone name like UTC or Europe/Madrid: ${value}`);
  }
  return value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new SettingError(`${name} must be a number above 0: ${value}`);
  }
  return number;
}

/** A comma-separated list of block types; unset or empty: the default. */
function blockTypes(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const types = value
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  if (types.some((type) => !/^[A-Za-z0-9_.-]+$/.test(type))) {
    throw new SettingError(`${name} must be block types separated by commas, like discussion,html`);
  }
  return types;
}

/** The LMS settings, or a SettingError naming the first one missing, for `what` (a command). */
export function requireLmsSettings(settings: ProcessorSettings, what: string): LmsSettings {
  const { baseUrl, clientId, clientSecret } = settings.lms;
  const missing = !baseUrl
    ? 'LMS_BASE_URL'
    : !clientId
      ? 'LMS_OAUTH_CLIENT_ID'
      : !clientSecret
        ? 'LMS_OAUTH_CLIENT_SECRET'
        : undefined;
  if (missing) throw new SettingError(`${missing} is not set; ${what} needs it`);
  return { baseUrl: baseUrl!, clientId: clientId!, clientSecret: clientSecret! };
}

/** Loads `.env` from the working folder; variables already set in the environment win. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

function optionalUrl(
  env: NodeJS.ProcessEnv,
  name: string,
  protocols: string[],
): string | undefined {
  const value = env[name];
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError(`${name} is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new SettingError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
  }
  return value;
}
