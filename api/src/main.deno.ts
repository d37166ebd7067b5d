// The API on Deno: `npx deno run -A api/src/main.deno.ts` (settings from the environment; pass
// `--env-file=.env` to Deno to read a .env file). The same app as on Node.
import { createApp, createServices } from './app.ts';
import { readApiSettings, SettingError } from './settings.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
};

let settings;
try {
  settings = readApiSettings(Deno.env.toObject());
} catch (error) {
  if (!(error instanceof SettingError)) throw error;
  console.error(`stats-api: ${error.message}`);
  Deno.exit(2);
}
const services = createServices(settings);
const app = createApp(services);
const server = Deno.serve(
  {
    port: settings.port,
    hostname: settings.host,
    onListen: ({ port }) =>
      console.log(`stats-api (deno) listening on http://${settings.host}:${port}`),
  },
  app.fetch,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    void server
      .shutdown()
      .then(() => services.close())
      .then(() => Deno.exit(0));
  });
}
