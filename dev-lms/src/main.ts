// `tsx dev-lms/src/main.ts`: starts the LMS stand-in from the environment (see README.md).
//   DEV_LMS_PORT (default 18000), DEV_LMS_HOST (default 127.0.0.1),
//   DEV_LMS_CONFIG: a JSON file of DevLmsOptions (users, roles, courses, ...; default the demo).
import { readConfig } from './config.ts';
import { PRODUCTION_REFUSAL, startDevLms } from './server.ts';
import type { DevLmsOptions } from './types.ts';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') fail(PRODUCTION_REFUSAL, 2);
  let options: DevLmsOptions = {};
  try {
    if (process.env.DEV_LMS_CONFIG) options = readConfig(process.env.DEV_LMS_CONFIG);
  } catch (error) {
    fail(`dev-lms: ${(error as Error).message}`, 1);
  }
  const portText = process.env.DEV_LMS_PORT;
  const port =
    portText === undefined || portText === '' ? (options.port ?? 18000) : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`dev-lms: DEV_LMS_PORT must be a port number, not ${JSON.stringify(portText)}`, 1);
  }
  const host = process.env.DEV_LMS_HOST || options.host || '127.0.0.1';

  let lms;
  try {
    lms = await startDevLms({ ...options, port, host });
  } catch (error) {
    fail(`dev-lms: cannot start: ${(error as Error).message}`, 1);
  }
  const users = [...lms.users.keys()].join(', ');
  process.stdout.write(
    `dev-lms (Open edX LMS stand-in, development only) listening on ${lms.url}\n` +
      (lms.localUrl !== lms.url ? `  bound to:  ${lms.localUrl}\n` : '') +
      `  sign in:   ${lms.url}/login\n` +
      `  JWKS:      ${lms.url}/auth/jwks.json\n` +
      `  issuer:    ${lms.issuer} (audience ${lms.audience})\n` +
      `  users:     ${users}\n`,
  );
  const stop = () => {
    void lms.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
