import { listen, type RunningApi } from '../api/src/node-server.ts';
import { readApiSettings } from '../api/src/settings.ts';

/** The API on Node with these settings, on `port` (0: any free one) of 127.0.0.1. */
export function serveApi(env: Record<string, string>, port = 0): Promise<RunningApi> {
  return listen({ ...readApiSettings(env), port, host: '127.0.0.1' });
}
