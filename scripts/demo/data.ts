// The demo's data: a database (the embedded PostgreSQL unless DATABASE_URL is set) holding a
// generated course, loaded and processed by the processor's own commands.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { main as processor } from '../../processor/src/cli.ts';
import { startEmbeddedPostgres } from '../../processor/src/embedded-postgres.ts';
import type { DemoSettings } from './settings.ts';

export const DEMO_COURSE_ID = 'course-v1:DemoOrg+STATS101+2025_T1';

export class DemoStepError extends Error {}

export function startDatabase(
  settings: DemoSettings,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (settings.databaseUrl)
    return Promise.resolve({ url: settings.databaseUrl, stop: async () => {} });
  return startEmbeddedPostgres(path.join(settings.dataDir, 'postgres'), settings.ports.postgres);
}

/**
 * Generates the course once, then loads its logs, stores its structure and computes the KPIs:
 * on a second start every file is already loaded and there is nothing new to process.
 * Returns the course's Course Blocks API answer file.
 */
export async function prepareCourse(settings: DemoSettings, databaseUrl: string): Promise<string> {
  const folder = path.join(settings.dataDir, 'demo-course');
  const blocks = path.join(folder, 'course-blocks.json');
  // the processor's commands read DATABASE_URL from the environment
  process.env.DATABASE_URL = databaseUrl;
  if (!existsSync(blocks)) {
    const size = ['--learners', String(settings.learners), '--days', String(settings.days)];
    await run(['generate', folder, ...size, '--seed', '1', '--course', DEMO_COURSE_ID]);
  }
  await run(['load', folder]);
  await run(['structure', 'import', blocks]);
  await run(['process']);
  return blocks;
}

async function run(args: string[]): Promise<void> {
  const shown = args.map((arg) => (path.isAbsolute(arg) ? shortPath(arg) : arg));
  console.log(`\n$ stats-processor ${shown.join(' ')}`);
  const code = await processor(args);
  if (code !== 0) throw new DemoStepError(`stats-processor ${shown[0]} failed (exit code ${code})`);
}

/** Relative to the working folder when inside it. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
