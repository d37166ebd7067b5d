// `npm start`: generates a demo course (once), loads its tracking logs into PostgreSQL (the
// embedded one unless DATABASE_URL is set), stores its structure, computes the KPIs and prints
// the course's report. The dashboard joins this script when the API and the frontend land.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../processor/src/embedded-postgres.ts';
import { main } from '../processor/src/cli.ts';

const courseFolder = path.join(repositoryRoot, '.data', 'demo-course');

if (!existsSync(path.join(courseFolder, 'course-blocks.json'))) {
  await run(['generate', courseFolder, '--learners', '300', '--days', '45', '--seed', '1']);
}
await run(['load', courseFolder]);
await run(['structure', 'import', path.join(courseFolder, 'course-blocks.json')]);
await run(['process']);
await run(['courses']);
await run([
  'report',
  'course-v1:DemoOrg+STATS101+2025_T1',
  '--from',
  '2025-09-01',
  '--to',
  '2025-10-15',
]);

async function run(args: string[]): Promise<void> {
  console.log(
    `\n$ stats-processor ${args.map((a) => (a.startsWith(courseFolder) ? path.relative(process.cwd(), a) : a)).join(' ')}`,
  );
  const code = await main(args);
  if (code !== 0) process.exit(code);
}
