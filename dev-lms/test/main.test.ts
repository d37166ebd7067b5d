import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PRODUCTION_REFUSAL, readConfig, startDevLms } from '../src/index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainScript = path.join('dev-lms', 'src', 'main.ts');
const folder = mkdtempSync(path.join(tmpdir(), 'dev-lms-test-'));

function runMain(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', mainScript], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function collect(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('production guard', () => {
  it('startDevLms throws when NODE_ENV=production', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startDevLms()).rejects.toThrow(PRODUCTION_REFUSAL);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it('main.ts exits 2 with one line on stderr when NODE_ENV=production', async () => {
    const child = runMain({ NODE_ENV: 'production', DEV_LMS_PORT: '0' });
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const { code, stderr } = await collect(child);
    expect(code).toBe(2);
    expect(stderr).toBe(`${PRODUCTION_REFUSAL}\n`);
    expect(stdout).toBe('');
  });
});

describe('main.ts', () => {
  it('starts from DEV_LMS_PORT/DEV_LMS_CONFIG, prints its URL and stops on SIGTERM', async () => {
    const blocks = { root: 'block-v1:Cfg+C+R+type@course+block@course', blocks: {} };
    writeFileSync(path.join(folder, 'blocks.json'), JSON.stringify(blocks));
    const config = path.join(folder, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        users: [{ username: 'carol', userId: 7, name: 'Carol Config' }],
        roles: [{ username: 'carol', course_id: 'course-v1:Cfg+C+R', role: 'staff' }],
        courses: [
          { course_id: 'course-v1:Cfg+C+R', name: 'Configured', blocksFile: 'blocks.json' },
        ],
      }),
    );
    const child = runMain({ NODE_ENV: 'development', DEV_LMS_PORT: '0', DEV_LMS_CONFIG: config });
    children.push(child);
    const done = collect(child);
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    expect(stdout).toContain('users:     carol');

    const page = await (await fetch(`${url}/login`)).text();
    expect(page).toContain('<strong>carol</strong> — course staff of Configured');
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'carol', next: '/' }),
      redirect: 'manual',
    });
    const cookies = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const answer = await fetch(
      `${url}/api/courses/v1/blocks/?course_id=course-v1:Cfg%2BC%2BR&all_blocks=true`,
      {
        headers: { Cookie: cookies },
      },
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(blocks);

    child.kill('SIGTERM');
    const { code, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('readConfig reports a bad file clearly', () => {
    const bad = path.join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: {} }));
    expect(() => readConfig(bad)).toThrow(/"users" must be an array/);
    writeFileSync(
      bad,
      JSON.stringify({ courses: [{ course_id: 'x', name: 'X', blocksFile: 'nope.json' }] }),
    );
    expect(() => readConfig(bad)).toThrow(/cannot read blocksFile/);
    expect(() => readConfig(path.join(folder, 'missing.json'))).toThrow(
      /cannot read DEV_LMS_CONFIG/,
    );
  });
});
