import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { repositoryRoot, startEmbeddedPostgres } from '../processor/src/embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * The PostgreSQL server the tests use: DATABASE_URL when set (CI uses the machine's server), else
 * a private embedded one under .data/. Each test file makes its own database on it.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('postgresUrl', process.env.DATABASE_URL);
    return;
  }
  const server = await startEmbeddedPostgres(
    path.join(repositoryRoot, '.data', 'test-postgres'),
    54330,
  );
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
