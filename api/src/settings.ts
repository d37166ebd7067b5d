// The API's settings (interfaces.md §3, docs/configuration.md#api), read once at start. A missing
// or malformed one throws a SettingError whose message is one line naming it.

export interface ApiSettings {
  port: number;
  host: string;
  databaseUrl: string;
  /** Unset: caches live in this process, data versions are read from PostgreSQL. */
  redisUrl?: string;
  lmsBaseUrl: string;
  discoveryBaseUrl?: string;
  jwt: {
    /** The key set's URL, or the key set itself (JWT_PUBLIC_SIGNING_JWK_SET). */
    keys: { url: string } | { set: { keys: Record<string, unknown>[] } };
    issuers: string[];
    audience?: string;
    algorithms: string[];
  };
  /** LMS course roles that may see a course's numbers. */
  allowedRoles: string[];
  /** Whether the token's `administrator` claim (LMS global staff) sees every course. */
  allowAdministrator: boolean;
  corsOrigins: string[];
  completionExcludedTypes: string[];
}

export class SettingError extends Error {}

const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

export function readApiSettings(env: Record<string, string | undefined>): ApiSettings {
  const lmsBaseUrl = url(env, 'LMS_BASE_URL', { required: true })!.replace(/\/+$/, '');
  return {
    port: port(env),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', {
      required: true,
      protocols: ['postgres:', 'postgresql:'],
    })!,
    redisUrl: url(env, 'REDIS_URL', { protocols: ['redis:', 'rediss:'] }),
    lmsBaseUrl,
    discoveryBaseUrl: url(env, 'DISCOVERY_API_BASE_URL')?.replace(/\/+$/, ''),
    jwt: {
      keys: signingKeys(env, lmsBaseUrl),
      issuers: list(env.JWT_ISSUER).length ? list(env.JWT_ISSUER) : [`${lmsBaseUrl}/oauth2`],
      audience: env.JWT_AUDIENCE?.trim() || undefined,
      algorithms: algorithms(env),
    },
    allowedRoles: list(env.STATS_ALLOWED_ROLES).length
      ? list(env.STATS_ALLOWED_ROLES)
      : ['staff', 'instructor', 'data_researcher'],
    allowAdministrator: flag(env, 'STATS_ALLOW_ADMINISTRATOR', true),
    corsOrigins: corsOrigins(env),
    completionExcludedTypes: blockTypes(env),
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function url(
  env: Record<string, string | undefined>,
  name: string,
  { required = false, protocols = ['http:', 'https:'] } = {},
): string | undefined {
  const value = env[name]?.trim();
  if (!value) {
    if (required) throw new SettingError(`${name} is not set`);
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new SettingError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new SettingError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
  }
  return value;
}

function port(env: Record<string, string | undefined>): number {
  const value = env.PORT?.trim();
  if (!value) return 8080;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65535) {
    throw new SettingError(`PORT must be a port number up to 65535 (0: any free port): ${value}`);
  }
  return number;
}

function signingKeys(
  env: Record<string, string | undefined>,
  lmsBaseUrl: string,
): ApiSettings['jwt']['keys'] {
  const inline = env.JWT_PUBLIC_SIGNING_JWK_SET?.trim();
  if (inline) {
    let set: unknown;
    try {
      set = JSON.parse(inline);
    } catch {
      throw new SettingError('JWT_PUBLIC_SIGNING_JWK_SET is not JSON');
    }
    const keys = (set as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'object')) {
      throw new SettingError('JWT_PUBLIC_SIGNING_JWK_SET must be a key set: {"keys": [...]}');
    }
    return { set: { keys } };
  }
  return { url: url(env, 'JWT_JWKS_URL') ?? `${lmsBaseUrl}/auth/jwks.json` };
}

function algorithms(env: Record<string, string | undefined>): string[] {
  const chosen = list(env.JWT_ALGORITHMS);
  if (chosen.length === 0) return ['RS512', 'RS256'];
  const unknown = chosen.find((name) => !ALGORITHMS.includes(name));
  if (unknown) {
    throw new SettingError(
      `JWT_ALGORITHMS may only name asymmetric algorithms (${ALGORITHMS.join(', ')}): ${unknown}`,
    );
  }
  return chosen;
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new SettingError(`${name} must be true or false: ${env[name]}`);
}

/** Origins allowed to call the API with credentials: exact origins, never a wildcard. */
function corsOrigins(env: Record<string, string | undefined>): string[] {
  return list(env.STATS_CORS_ORIGINS).map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new SettingError(
        `STATS_CORS_ORIGINS must list origins like https://apps.example.com (no path, no *): ${origin}`,
      );
    }
    return origin;
  });
}

function blockTypes(env: Record<string, string | undefined>): string[] {
  const types = list(env.STATS_COMPLETION_EXCLUDED_TYPES);
  if (types.length === 0) return ['discussion'];
  if (types.some((type) => !/^[A-Za-z0-9_.-]+$/.test(type))) {
    throw new SettingError(
      'STATS_COMPLETION_EXCLUDED_TYPES must be block types separated by commas, like discussion,html',
    );
  }
  return types;
}
