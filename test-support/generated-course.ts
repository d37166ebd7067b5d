import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sql } from '../db/src/index.ts';
import { generateCourse, type GenerateOptions } from '../processor/src/generate/index.ts';
import { loadSources } from '../processor/src/ingest/load.ts';
import { DEFAULT_KPI_SETTINGS, processCourses } from '../processor/src/kpis/index.ts';
import { storeStructure } from '../processor/src/structure/index.ts';

/** A generated course with its structure, loaded and processed as `run` would do it. */
export async function loadGeneratedCourse(
  sql: Sql,
  options: Partial<GenerateOptions> & { courseId: string },
): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'generated-course-'));
  try {
    const course = await generateCourse(folder, options);
    await storeStructure(sql, JSON.parse(await readFile(course.blocksFile, 'utf8')), 'test');
    await loadSources(sql, course.logFiles);
    await processCourses(sql, DEFAULT_KPI_SETTINGS);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
