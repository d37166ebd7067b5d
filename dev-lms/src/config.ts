import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DevLmsCourse, DevLmsOptions } from './types.ts';

/** Reads DEV_LMS_CONFIG; a course may name a `blocksFile` (relative to the config file). */
export function readConfig(file: string): DevLmsOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read DEV_LMS_CONFIG ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`DEV_LMS_CONFIG ${file}: expected a JSON object`);
  }
  const config = parsed as DevLmsOptions;
  for (const name of ['users', 'roles', 'courses', 'oauthClients', 'allowedRedirectOrigins']) {
    const value = (config as Record<string, unknown>)[name];
    if (value !== undefined && !Array.isArray(value)) {
      throw new Error(`DEV_LMS_CONFIG ${file}: "${name}" must be an array`);
    }
  }
  for (const user of config.users ?? []) {
    if (typeof user?.username !== 'string' || typeof user.userId !== 'number') {
      throw new Error(
        `DEV_LMS_CONFIG ${file}: every user needs a string username and a number userId`,
      );
    }
  }
  if (config.courses) {
    const courses = config.courses as (DevLmsCourse & { blocksFile?: string })[];
    config.courses = courses.map((entry) => {
      if (typeof entry?.course_id !== 'string' || typeof entry.name !== 'string') {
        throw new Error(`DEV_LMS_CONFIG ${file}: every course needs a course_id and a name`);
      }
      const { blocksFile, ...course } = entry;
      if (blocksFile === undefined) return course;
      const blocksPath = path.resolve(path.dirname(file), blocksFile);
      try {
        return { ...course, blocks: JSON.parse(readFileSync(blocksPath, 'utf8')) as unknown };
      } catch (error) {
        throw new Error(`cannot read blocksFile ${blocksPath}: ${(error as Error).message}`);
      }
    });
  }
  return config;
}
