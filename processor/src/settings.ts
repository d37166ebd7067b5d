import { existsSync } from 'node:fs';

/** The processor's settings, read from the environment (and `.env` when present). */
export interface ProcessorSettings {
  databaseUrl?: string;
  s3: { region?: string; endpoint?: string };
}

export class SettingError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env): ProcessorSettings {
  return {
    databaseUrl: optionalUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    s3: {
      region: env.AWS_REGION || undefined,
      endpoint: optionalUrl(env, 'AWS_S3_ENDPOINT_URL', ['http:', 'https:']),
    },
  };
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
