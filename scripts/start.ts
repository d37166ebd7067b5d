// `npm start`: the demo (scripts/demo/). Ctrl-C stops every part of it and exits.
import path from 'node:path';
import { removeSignalHooks, repositoryRoot } from '../processor/src/embedded-postgres.ts';
import { loadDotEnv } from '../processor/src/settings.ts';
import {
  DemoSettingError,
  describeDemo,
  readDemoSettings,
  startDemo,
  Stoppers,
  type DemoSettings,
} from './demo/index.ts';

loadDotEnv(path.join(repositoryRoot, '.env'));
let settings: DemoSettings;
try {
  settings = readDemoSettings(process.env, repositoryRoot);
} catch (error) {
  if (!(error instanceof DemoSettingError)) throw error;
  process.stderr.write(`demo: ${error.message}\n`);
  process.exit(2);
}

const stoppers = new Stoppers();
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping the demo ...\n');
  await stoppers.stopAll();
  process.stdout.write('Stopped.\n');
  process.exit(code);
}
// embedded-postgres's own would exit before the servers above it stopped. (A terminal's Ctrl-C
// reaches npm, tsx and PostgreSQL too: a second signal must not cut the stop short.)
removeSignalHooks();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void stop(0));
}

try {
  process.stdout.write(describeDemo(await startDemo(settings, stoppers)));
} catch (error) {
  if (stopping) await new Promise(() => {}); // a signal is stopping everything already
  process.stderr.write(`\ndemo: ${(error as Error).message}\n`);
  await stop(1);
}
