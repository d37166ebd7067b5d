import path from 'node:path';

/** What `npm start` may be told, all optional (docs/configuration.md#demo). */
export interface DemoSettings {
  /** The generated course, the embedded database and the dashboard build live here. */
  dataDir: string;
  ports: { lms: number; api: number; dashboard: number; postgres: number };
  learners: number;
  days: number;
  /** Set: this server instead of the embedded one. */
  databaseUrl?: string;
}

export class DemoSettingError extends Error {}

export function readDemoSettings(env: NodeJS.ProcessEnv, root: string): DemoSettings {
  if (env.NODE_ENV === 'production') {
    throw new DemoSettingError(
      'NODE_ENV=production: the demo signs anyone in without a password (dev-lms) and never runs with production settings',
    );
  }
  return {
    dataDir: path.resolve(root, env.DEMO_DATA_DIR || '.data'),
    ports: {
      lms: integer(env, 'DEMO_LMS_PORT', 18_000, 1, 65_535),
      api: integer(env, 'DEMO_API_PORT', 8080, 1, 65_535),
      dashboard: integer(env, 'DEMO_DASHBOARD_PORT', 8090, 1, 65_535),
      postgres: integer(env, 'DEMO_POSTGRES_PORT', 54_329, 1, 65_535),
    },
    learners: integer(env, 'DEMO_LEARNERS', 300, 1, 100_000),
    days: integer(env, 'DEMO_DAYS', 45, 1, 1000),
    databaseUrl: env.DATABASE_URL || undefined,
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new DemoSettingError(
      `${name} must be a whole number from ${min} to ${max}, not "${text}"`,
    );
  }
  return value;
}
