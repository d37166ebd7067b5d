import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApiSettings, SettingError } from '../src/settings.ts';
import { runtime } from './harness.ts';

const REQUIRED = {
  DATABASE_URL: 'postgres://stats@127.0.0.1:5432/stats',
  LMS_BASE_URL: 'https://lms.example.com/',
};

describe('API settings (issue: API, startup fails with one line naming the setting)', () => {
  it('has the defaults of docs/configuration.md', () => {
    expect(readApiSettings(REQUIRED)).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: REQUIRED.DATABASE_URL,
      redisUrl: undefined,
      lmsBaseUrl: 'https://lms.example.com',
      discoveryBaseUrl: undefined,
      jwt: {
        keys: { url: 'https://lms.example.com/auth/jwks.json' },
        issuers: ['https://lms.example.com/oauth2'],
        audience: undefined,
        algorithms: ['RS512', 'RS256'],
      },
      allowedRoles: ['staff', 'instructor', 'data_researcher'],
      allowAdministrator: true,
      corsOrigins: [],
      completionExcludedTypes: ['discussion'],
    });
  });

  it('reads a key set given inline, several issuers and roles', () => {
    const settings = readApiSettings({
      ...REQUIRED,
      JWT_PUBLIC_SIGNING_JWK_SET: '{"keys": [{"kty": "RSA", "kid": "a", "n": "x", "e": "AQAB"}]}',
      JWT_ISSUER: 'https://lms.example.com/oauth2, https://old-lms.example.com/oauth2',
      STATS_ALLOWED_ROLES: 'staff,instructor',
      STATS_CORS_ORIGINS: 'https://apps.example.com,http://localhost:8080',
    });
    expect(settings.jwt.keys).toEqual({
      set: { keys: [{ kty: 'RSA', kid: 'a', n: 'x', e: 'AQAB' }] },
    });
    expect(settings.jwt.issuers).toEqual([
      'https://lms.example.com/oauth2',
      'https://old-lms.example.com/oauth2',
    ]);
    expect(settings.corsOrigins).toEqual(['https://apps.example.com', 'http://localhost:8080']);
  });

  it.each([
    [{ DATABASE_URL: '' }, /^DATABASE_URL is not set$/],
    [{ DATABASE_URL: 'mysql://db/x' }, /^DATABASE_URL must start with postgres:/],
    [{ LMS_BASE_URL: '' }, /^LMS_BASE_URL is not set$/],
    [{ LMS_BASE_URL: 'lms.example.com' }, /^LMS_BASE_URL is not a URL$/],
    [{ PORT: 'eighty' }, /^PORT must be a port number/],
    [{ PORT: '70000' }, /^PORT must be a port number/],
    [{ REDIS_URL: 'http://cache' }, /^REDIS_URL must start with redis:/],
    [{ JWT_PUBLIC_SIGNING_JWK_SET: '{keys' }, /^JWT_PUBLIC_SIGNING_JWK_SET is not JSON$/],
    [
      { JWT_PUBLIC_SIGNING_JWK_SET: '{"keys": []}' },
      /^JWT_PUBLIC_SIGNING_JWK_SET must be a key set/,
    ],
    [{ JWT_JWKS_URL: 'ftp://lms/jwks' }, /^JWT_JWKS_URL must start with http/],
    [{ JWT_ALGORITHMS: 'RS512,HS256' }, /^JWT_ALGORITHMS may only name asymmetric .*: HS256$/],
    [{ JWT_ALGORITHMS: 'none' }, /^JWT_ALGORITHMS may only name asymmetric .*: none$/],
    [{ STATS_ALLOW_ADMINISTRATOR: 'maybe' }, /^STATS_ALLOW_ADMINISTRATOR must be true or false/],
    [{ STATS_CORS_ORIGINS: '*' }, /^STATS_CORS_ORIGINS must list origins/],
    [{ STATS_CORS_ORIGINS: 'https://apps.example.com/' }, /^STATS_CORS_ORIGINS must list origins/],
    [{ DISCOVERY_API_BASE_URL: 'discovery' }, /^DISCOVERY_API_BASE_URL is not a URL$/],
    [{ STATS_COMPLETION_EXCLUDED_TYPES: 'html;video' }, /^STATS_COMPLETION_EXCLUDED_TYPES must be/],
  ])('refuses %j', (bad, message) => {
    expect(() => readApiSettings({ ...REQUIRED, ...bad })).toThrow(SettingError);
    expect(() => readApiSettings({ ...REQUIRED, ...bad })).toThrow(message);
  });

  it.runIf(runtime === 'node')('stops the Node entry with one line and exit code 2', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.resolve(import.meta.dirname, '../src/main.node.ts')],
      {
        cwd: import.meta.dirname, // no .env here
        env: { PATH: process.env.PATH, ...REQUIRED, JWT_ALGORITHMS: 'HS256' },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^stats-api: JWT_ALGORITHMS may only name asymmetric .*\n$/);
  });

  it.runIf(runtime === 'deno')('stops the Deno entry with one line and exit code 2', () => {
    const repositoryRoot = path.resolve(import.meta.dirname, '../..');
    const result = spawnSync(
      path.join(repositoryRoot, 'node_modules', '.bin', 'deno'),
      ['run', '-A', '--no-prompt', path.join(repositoryRoot, 'api', 'src', 'main.deno.ts')],
      {
        cwd: repositoryRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: REQUIRED.DATABASE_URL,
        },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('stats-api: LMS_BASE_URL is not set\n');
  });
});
