// The API served by Node's HTTP server: `main.node.ts`, the demo and the tests start it this way.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, createServices } from './app.ts';
import type { ApiSettings } from './settings.ts';

export interface RunningApi {
  /** http://host:port where it listens */
  url: string;
  /** Stops listening, then releases the database, cache and LMS clients. */
  close(): Promise<void>;
}

export async function listen(settings: ApiSettings): Promise<RunningApi> {
  const services = createServices(settings);
  const server = serve({
    fetch: createApp(services).fetch,
    port: settings.port,
    hostname: settings.host,
  });
  try {
    await once(server, 'listening');
  } catch (error) {
    await services.close();
    throw error;
  }
  return {
    url: `http://${settings.host}:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await services.close();
    },
  };
}
