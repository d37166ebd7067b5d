import { once } from 'node:events';
import net from 'node:net';
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** A pool or a transaction: what a query function needs to run its statement. */
export type Queryable = Sql | TransactionSql;

/** A postgres.js pool with the options every part of the project uses. */
export function connect(url: string, options: postgres.Options<Record<string, never>> = {}): Sql {
  const target = new URL(url);
  return postgres(url, {
    onnotice: () => {},
    connect_timeout: 10,
    // Unix sockets (?host=/path) and TLS keep postgres.js's own socket.
    ...(target.searchParams.has('host') || target.searchParams.has('sslmode')
      ? {}
      : { socket: noDelaySocket }),
    ...options,
  });
}

/**
 * A TCP connection with Nagle's algorithm off. postgres.js leaves it on, and then every COPY waits
 * about 40 ms twice for a delayed ACK before its last small message goes out.
 */
async function noDelaySocket(options: { host: string[]; port: number[] }): Promise<net.Socket> {
  const socket = net.connect({
    host: options.host[0] ?? 'localhost',
    port: options.port[0] ?? 5432,
  });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return socket;
}
