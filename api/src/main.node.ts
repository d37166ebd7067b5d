// The API on Node: `npm start -w api` (settings from the environment and .env).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { listen } from './node-server.ts';
import { readApiSettings, SettingError } from './settings.ts';

// `npm start -w api` runs in api/; the .env is where npm was started (the repository root).
const dotEnv = path.join(process.env.INIT_CWD ?? process.cwd(), '.env');
if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
let settings;
try {
  settings = readApiSettings(process.env);
} catch (error) {
  if (!(error instanceof SettingError)) throw error;
  process.stderr.write(`stats-api: ${error.message}\n`);
  process.exit(2);
}
const api = await listen(settings);
process.stdout.write(`stats-api listening on ${api.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void api.close().then(() => process.exit(0)));
}
