import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface S3Server {
  /** `http://127.0.0.1:<port>`, for path-style requests. */
  endpoint: string;
  /** Stops the server and removes its data; safe to call more than once. */
  stop(): Promise<void>;
}

/** The credentials s3rver accepts by default; set them as AWS_ACCESS_KEY_ID/SECRET. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const STARTUP_MS = 20_000;
const STOP_MS = 5_000;

// Runs in the child: starts s3rver on a free port and prints it; when its standard input closes,
// removes its data and exits, so that the server dies with the test process even when that one is
// killed outright.
const CHILD = `
const [, main, directory] = process.argv;
const S3rver = require(main);
new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true })
  .run()
  .then(({ port }) => process.stdout.write('s3rver-port ' + port + '\\n'))
  .catch((error) => { console.error(error); process.exit(1); });
const quit = () => {
  require('node:fs').rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', quit);
process.stdin.on('error', quit);
process.stdin.resume();
`;

/**
 * Starts a real S3 server (s3rver, in a child process: it needs `--openssl-legacy-provider` on
 * Node 20) on 127.0.0.1 with a free port and a temporary data folder, and resolves once it
 * answers HTTP requests.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '-e',
      CHILD,
      createRequire(import.meta.url).resolve('s3rver'),
      directory,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Should the test process end without stop() (a crash, process.exit), take the server along.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child, exited);
      await rm(directory, { recursive: true, force: true });
    })());

  try {
    const port = await announcedPort(child);
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint, child);
    return { endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_MS);
  });
  if (await Promise.race([exited.then(() => false), timedOut])) {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

/** The port the child prints once listening; rejects if it exits or stays silent first. */
function announcedPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(
      () => finish(new Error(`s3rver did not start within ${STARTUP_MS} ms: ${stderr}`)),
      STARTUP_MS,
    );
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /s3rver-port (\d+)\n/.exec(stdout);
      if (match) finish(undefined, Number(match[1]));
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`s3rver exited (${code ?? signal}) before listening: ${stderr}`));
    const finish = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout!.off('data', onStdout);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port!);
    };
    child.stdout!.on('data', onStdout);
    child.stderr!.on('data', onStderr);
    child.once('exit', onExit);
  });
}

/** Polls until the server answers any HTTP request (the bucket list needs no bucket). */
async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error('s3rver exited before answering');
    }
    try {
      const answer = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1_000) });
      await answer.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`s3rver at ${endpoint} did not answer: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
