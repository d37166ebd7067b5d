import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP relay to a real server that a test can cut (every connection dropped, new ones refused)
 * and restore on the same port: how a database or cache "goes away" under the code being tested.
 */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const newServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(targetPort, targetHost);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  let server = newServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  let open = true;

  async function cut() {
    if (!open) return;
    open = false;
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  }
  return {
    port,
    cut,
    async restore() {
      if (open) return;
      server = newServer();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      open = true;
    },
    close: cut,
  };
}
