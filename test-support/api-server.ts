import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, createServices } from '../api/src/app.ts';
import { readApiSettings } from '../api/src/settings.ts';

/** The API on Node with these settings, on `port` (0: any free one) of 127.0.0.1. */
export async function serveApi(
  env: Record<string, string>,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const services = createServices(readApiSettings(env));
  const server = serve({ fetch: createApp(services).fetch, port, hostname: '127.0.0.1' });
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await services.close();
    },
  };
}
