// The Compose deployment: docker-compose.yml and its override files as Compose reads them
// (`docker-compose config`, no container engine needed), the Dockerfile, .dockerignore,
// .env.example, and the dashboard's build script.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copySources,
  dashboardSettingNames,
  dockerfileStages,
  documentedSettings,
  envExampleNames,
  interpolatedNames,
  passedThroughNames,
  readRepositoryFile,
  REPOSITORY,
  requiredEnvExampleNames,
  stageUser,
} from './files.ts';

const COMPOSE_FILE = 'docker-compose.yml';
const OVERRIDES = ['docker-compose.devstack.yml', 'docker-compose.tutor.yml'];
const NGINX_TEMPLATE = 'nginx/templates/course-stats.conf.template';
const SERVICES = ['api', 'frontend', 'postgres', 'processor', 'redis'];
const IMAGE_TARGETS = ['api', 'frontend', 'processor'];

/** Stand-ins for the settings .env.example leaves empty (Compose requires them). */
const REQUIRED_DUMMIES: Record<string, string> = {
  LMS_BASE_URL: 'https://lms.example.com',
  POSTGRES_PASSWORD: 'dummypassword0',
  STATS_TRACKING_LOGS_DIR: '/srv/tracking-logs',
  STATS_SERVER_NAME: 'stats.example.com',
  STATS_LMS_ORIGIN: 'https://lms.example.com',
  STATS_TLS_DIR: '/srv/tls',
};
/** ... and what only the Tutor override requires. */
const TUTOR_DUMMIES = { JWT_ISSUER: 'https://lms.example.com/oauth2' };

const envExample = readRepositoryFile('.env.example');
const composeFiles = [COMPOSE_FILE, ...OVERRIDES];
const template = readOptional(NGINX_TEMPLATE);

function readOptional(name: string): string | undefined {
  try {
    return readRepositoryFile(name);
  } catch {
    return undefined;
  }
}

describe('.env.example', () => {
  const listed = envExampleNames(envExample);

  it('lists every setting of docs/configuration.md', () => {
    const documented = documentedSettings(readRepositoryFile('docs/configuration.md'));
    expect(documented.size).toBeGreaterThan(40);
    expect([...documented].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists every variable the Compose files and the nginx template use', () => {
    const used = new Set<string>();
    for (const file of composeFiles) {
      const text = readRepositoryFile(file);
      for (const name of interpolatedNames(text)) used.add(name);
      for (const name of passedThroughNames(text)) used.add(name);
    }
    if (template === undefined) console.warn(`no ${NGINX_TEMPLATE} yet: its variables unchecked`);
    for (const name of interpolatedNames(template ?? '')) used.add(name);
    expect([...used].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists every build setting of the dashboard', () => {
    const names = dashboardSettingNames(readRepositoryFile('frontend-app-stats/vite.config.ts'));
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('leaves empty exactly the settings Compose requires, and holds no secret', () => {
    expect(requiredEnvExampleNames(envExample).sort()).toEqual(
      Object.keys(REQUIRED_DUMMIES).sort(),
    );
    // every uncommented line is one of them: the rest are examples, commented out
    const set = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];
    expect(set.filter(([, , value]) => value !== '').map(([line]) => line)).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages(readRepositoryFile('Dockerfile'));

  it('has the targets Compose builds', () => {
    expect(stages.map((stage) => stage.name)).toEqual(expect.arrayContaining(IMAGE_TARGETS));
    for (const target of composeTargets(readRepositoryFile(COMPOSE_FILE))) {
      expect(stages.map((stage) => stage.name)).toContain(target);
    }
  });

  it('runs every stage as an unprivileged user', () => {
    for (const stage of stages) {
      const user = stageUser(stages, stage);
      expect(user, `stage ${stage.name} sets no USER`).toBeDefined();
      expect(user!.split(':')[0], `stage ${stage.name}`).not.toMatch(/^(root|0)$/);
    }
  });

  it('never copies a .env file or the whole build context', () => {
    for (const stage of stages) {
      for (const [keyword, rest] of stage.instructions) {
        if (keyword !== 'COPY' && keyword !== 'ADD') continue;
        for (const source of copySources(rest).sources) {
          expect(path.basename(source), `${stage.name}: ${keyword} ${rest}`).not.toMatch(/^\.env/);
          expect(['.', './', '*'], `${stage.name}: ${keyword} ${rest}`).not.toContain(source);
        }
      }
    }
  });

  it('bakes in no secret', () => {
    const declared = stages.flatMap((stage) =>
      stage.instructions
        .filter(([keyword]) => keyword === 'ARG' || keyword === 'ENV')
        .map(([, rest]) => rest),
    );
    expect(declared.filter((line) => /PASSWORD|SECRET|AWS_|TOKEN(?!_)/.test(line))).toEqual([]);
  });

  it('takes every build setting of the dashboard as a build argument, as Compose passes them', () => {
    const frontendBuild = stages.find((stage) => stage.name === 'dashboard-build')!;
    const args = frontendBuild.instructions
      .filter(([keyword]) => keyword === 'ARG')
      .map(([, rest]) => rest.split('=')[0]!);
    const names = dashboardSettingNames(readRepositoryFile('frontend-app-stats/vite.config.ts'));
    expect(names.filter((name) => !args.includes(name))).toEqual([]);
    const composed = buildArgNames(readRepositoryFile(COMPOSE_FILE));
    expect(composed.sort()).toEqual([...args].sort());
  });
});

describe('.dockerignore', () => {
  const patterns = readRepositoryFile('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps local settings, data and installed packages out of the images', () => {
    expect(patterns).toEqual(
      expect.arrayContaining(['.env', '.data', 'node_modules', '**/node_modules', '**/.data']),
    );
  });

  it('lets in every file the Dockerfile copies from the build context', () => {
    const included = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const stages = dockerfileStages(readRepositoryFile('Dockerfile'));
    for (const stage of stages) {
      for (const [keyword, rest] of stage.instructions) {
        const copy = keyword === 'COPY' || keyword === 'ADD' ? copySources(rest) : undefined;
        if (!copy || copy.fromStage) continue;
        for (const source of copy.sources) {
          const clean = source.replace(/\/+$/, '');
          const allowed = included.some((p) => {
            const pattern = p.replace(/\/+$/, '');
            return clean === pattern || clean.startsWith(`${pattern}/`);
          });
          expect(allowed, `${stage.name}: ${source} is not let in by .dockerignore`).toBe(true);
        }
      }
    }
  });
});

describe('deploy/build-dashboard.mjs', () => {
  function run(env: Record<string, string>) {
    return spawnSync(process.execPath, ['deploy/build-dashboard.mjs', '--print'], {
      cwd: REPOSITORY,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });
  }

  it('fills in the addresses that follow from LMS_BASE_URL and STATS_SERVER_NAME', () => {
    const result = run({
      LMS_BASE_URL: 'https://lms.example.com/',
      STATS_SERVER_NAME: 'stats.example.com',
      CMS_BASE_URL: 'https://studio.example.com',
      LOGOUT_URL: 'https://sso.example.com/logout',
      SITE_NAME: '',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      LMS_BASE_URL: 'https://lms.example.com',
      BASE_URL: 'https://stats.example.com',
      LOGIN_URL: 'https://lms.example.com/login',
      LOGOUT_URL: 'https://sso.example.com/logout',
      REFRESH_ACCESS_TOKEN_ENDPOINT: 'https://lms.example.com/login_refresh',
      MARKETING_SITE_BASE_URL: 'https://lms.example.com',
      ORDER_HISTORY_URL: 'https://lms.example.com/orders',
      STUDIO_BASE_URL: 'https://studio.example.com',
      LOGO_URL: 'https://stats.example.com/logo.svg',
      LOGO_TRADEMARK_URL: 'https://stats.example.com/logo.svg',
      LOGO_WHITE_URL: 'https://stats.example.com/logo.svg',
      FAVICON_URL: 'https://stats.example.com/favicon.svg',
    });
  });

  it('stops naming a missing or malformed address', () => {
    const missing = run({ STATS_SERVER_NAME: 'stats.example.com', LMS_BASE_URL: ' ' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      'build-dashboard: LMS_BASE_URL is not set: the LMS root, https://lms.example.com\n',
    );
    const malformed = run({ LMS_BASE_URL: 'https://lms.example.com', BASE_URL: 'stats' });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toBe('build-dashboard: BASE_URL is not a URL: "stats"\n');
    const noSite = run({ LMS_BASE_URL: 'https://lms.example.com' });
    expect(noSite.stderr).toMatch(/^build-dashboard: BASE_URL is not set/);
  });
});

const composeVersion = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const composeAvailable = composeVersion.status === 0;
if (!composeAvailable) {
  console.warn('no docker-compose on PATH: skipping the Compose configuration tests');
}

describe.skipIf(!composeAvailable)('docker-compose config', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'stats-compose-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  let envFiles = 0;

  /** .env.example with `values` filled in, as a file of its own. */
  function envFile(values: Record<string, string>): string {
    let text = envExample;
    for (const [name, value] of Object.entries(values)) {
      text = text.replace(new RegExp(`^(?:# )?${name}=.*$`, 'm'), `${name}=${value}`);
    }
    const file = path.join(folder, `env-${++envFiles}`);
    writeFileSync(file, text);
    return file;
  }

  /** `docker-compose config` of these files with this .env, in a bare environment. */
  function config(files: string[], env: string) {
    return spawnSync(
      'docker-compose',
      [...files.flatMap((file) => ['-f', file]), '--env-file', env, 'config'],
      {
        cwd: REPOSITORY,
        env: { PATH: process.env.PATH ?? '', HOME: folder },
        encoding: 'utf8',
      },
    );
  }

  function parsedConfig(files: string[], values: Record<string, string>): ComposeConfig {
    const result = config(files, envFile(values));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return yamlToJson(result.stdout) as ComposeConfig;
  }

  it('stops naming each required setting left empty', () => {
    for (const name of Object.keys(REQUIRED_DUMMIES)) {
      const others = Object.entries(REQUIRED_DUMMIES).filter(([other]) => other !== name);
      const result = config([COMPOSE_FILE], envFile(Object.fromEntries(others)));
      expect(result.status, name).not.toBe(0);
      expect(result.stderr, name).toContain(`set ${name} in .env`);
    }
  });

  it('gives five services with healthchecks, restarts and a named volume for the data', () => {
    const compose = parsedConfig([COMPOSE_FILE], REQUIRED_DUMMIES);
    expect(Object.keys(compose.services).sort()).toEqual(SERVICES);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.restart, name).toBe('unless-stopped');
      if (service.user !== undefined)
        expect(service.user.split(':')[0], name).not.toMatch(/^(root|0)$/);
      if (name !== 'processor') expect(service.healthcheck?.test, name).toBeDefined();
    }
    expect(Object.keys(compose.volumes ?? {})).toContain('postgres-data');
    expect(compose.services.postgres!.volumes).toContainEqual(
      expect.stringMatching(/^postgres-data:\/var\/lib\/postgresql\/data/),
    );
    for (const name of ['api', 'processor']) {
      expect(compose.services[name]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(compose.services.frontend!.depends_on).toEqual({
      api: { condition: 'service_healthy' },
    });
  });

  it('builds the three images from the Dockerfile and wires them together', () => {
    const { services } = parsedConfig([COMPOSE_FILE], REQUIRED_DUMMIES);
    for (const name of IMAGE_TARGETS) {
      expect(services[name]!.build).toMatchObject({ context: REPOSITORY, target: name });
    }
    const databaseUrl = 'postgres://course_stats:dummypassword0@postgres:5432/course_stats';
    expect(services.api!.environment).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://redis:6379',
      LMS_BASE_URL: 'https://lms.example.com',
      JWT_ISSUER: null, // unset in .env: unset in the container, the API's default applies
    });
    expect(services.processor!.environment).toMatchObject({
      DATABASE_URL: databaseUrl,
      STATS_LOG_SOURCES: '/var/log/tracking',
    });
    expect(services.processor!.command).toEqual(['run', '--every', '15m']);
    expect(services.processor!.volumes).toContain('/srv/tracking-logs:/var/log/tracking:ro');
    expect(services.frontend!.build!.args).toMatchObject({
      LMS_BASE_URL: 'https://lms.example.com',
      STATS_SERVER_NAME: 'stats.example.com',
      STATS_API_BASE_URL: '',
    });
    expect(services.frontend!.environment).toMatchObject({
      STATS_SERVER_NAME: 'stats.example.com',
      STATS_LMS_ORIGIN: 'https://lms.example.com',
      STATS_FRAME_ANCESTORS: "'self'",
    });
    expect(services.frontend!.volumes).toContain('/srv/tls:/etc/nginx/tls:ro');
  });

  it('passes settings from .env, quoted ones included', () => {
    const { services } = parsedConfig([COMPOSE_FILE], {
      ...REQUIRED_DUMMIES,
      JWT_AUDIENCE: 'openedx',
      STATS_FRAME_ANCESTORS: `"'self' https://lms.example.com"`,
      STATS_RUN_EVERY: '1h',
    });
    expect(services.api!.environment!.JWT_AUDIENCE).toBe('openedx');
    expect(services.frontend!.environment!.STATS_FRAME_ANCESTORS).toBe(
      "'self' https://lms.example.com",
    );
    expect(services.processor!.command).toEqual(['run', '--every', '1h']);
  });

  it('gives the nginx template every variable it uses (the image sets the fixed ones)', () => {
    if (template === undefined) return;
    const { services } = parsedConfig([COMPOSE_FILE], REQUIRED_DUMMIES);
    const fromImage = dockerfileStages(readRepositoryFile('Dockerfile'))
      .find((stage) => stage.name === 'frontend')!
      .instructions.filter(([keyword]) => keyword === 'ENV')
      .flatMap(([, rest]) => [...rest.matchAll(/([A-Z_]+)=/g)].map((match) => match[1]!));
    const given = new Set([...Object.keys(services.frontend!.environment ?? {}), ...fromImage]);
    expect([...interpolatedNames(template)].filter((name) => !given.has(name))).toEqual([]);
  });

  it.each([
    ['docker-compose.devstack.yml', 'devstack_default', 'http://edx.devstack.lms:18000', {}],
    ['docker-compose.tutor.yml', 'tutor_local_default', 'http://lms:8000', TUTOR_DUMMIES],
  ])('%s joins %s, where the LMS is %s', (file, network, lms, extra) => {
    const compose = parsedConfig([COMPOSE_FILE, file], { ...REQUIRED_DUMMIES, ...extra });
    const networks = Object.entries(compose.networks ?? {});
    expect(networks).toHaveLength(1);
    const [key, definition] = networks[0]!;
    expect(definition).toEqual({ external: true, name: network });
    for (const name of ['api', 'processor']) {
      const service = compose.services[name]!;
      expect(Object.keys(service.networks ?? {}).sort()).toEqual(['default', key].sort());
      expect(service.environment!.LMS_BASE_URL).toBe(lms);
    }
    expect(compose.services.postgres!.networks).toBeUndefined();
  });

  it('stops the Tutor override without the public JWT issuer', () => {
    const result = config([COMPOSE_FILE, 'docker-compose.tutor.yml'], envFile(REQUIRED_DUMMIES));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set JWT_ISSUER in .env');
  });
});

interface ComposeService {
  build?: { context: string; target: string; args?: Record<string, string> };
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | null>;
  healthcheck?: { test: string[] };
  networks?: Record<string, unknown>;
  restart?: string;
  user?: string;
  volumes?: string[];
}

interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

/** docker-compose 1.x prints YAML only; Python's yaml module comes with it. */
function yamlToJson(yaml: string): unknown {
  const script = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const result = spawnSync('python3', ['-c', script], { input: yaml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`could not read the YAML: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The `target:` of every build in a Compose file. */
function composeTargets(text: string): string[] {
  return [...text.matchAll(/^\s+target:\s*(\S+)\s*$/gm)].map((match) => match[1]!);
}

/** The names under the frontend's `build: args:`. */
function buildArgNames(text: string): string[] {
  const args = /^ {6}args:\n((?: {8}.*\n| *#.*\n)+)/m.exec(text)?.[1];
  if (args === undefined) throw new Error(`${COMPOSE_FILE} has no build args`);
  return [...args.matchAll(/^ {8}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!);
}
