// `npm start`: generates a demo course (once), loads its tracking logs into PostgreSQL (the
// embedded one unless DATABASE_URL is set) and prints what was loaded. The dashboard joins this
// script when the API and the frontend land.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../processor/src/embedded-postgres.ts';
import { main } from '../processor/src/cli.ts';

const courseFolder = path.join(repositoryRoot, '.data', 'demo-course');

if (!existsSync(path.join(courseFolder, 'course-blocks.json'))) {
  await run(['generate', courseFolder, '--learners', '300', '--days', '45', '--seed', '1']);
}
await run(['load', courseFolder]);
await run(['courses']);

async function run(args: string[]): Promise<void> {
  console.log(
    `\n$ stats-processor ${args.map((a) => (a === courseFolder ? path.relative(process.cwd(), a) : a)).join(' ')}`,
  );
  const code = await main(args);
  if (code !== 0) process.exit(code);
}
