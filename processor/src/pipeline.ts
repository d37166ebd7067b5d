import type { Sql } from '@course-stats/db';
import { loadSources, type LoadOptions } from './ingest/load.ts';
import {
  announceDataVersions,
  processCourses,
  type ProcessOptions,
  type ProcessSummary,
} from './kpis/index.ts';
import type { ProcessorSettings } from './settings.ts';
import { syncStructures, type StructureClient, type SyncOutcome } from './structure/index.ts';

export type PipelineStep = 'load' | 'structure' | 'process' | 'announce';

export interface RoundReport {
  started: string;
  load: { files: number; failed: number; stored: number } | 'no sources';
  structures: { synced: number; failed: number } | 'no LMS settings';
  process?: Omit<ProcessSummary, 'courses'> & { courses: string[] };
  /** What went wrong; each is retried by the next round (nothing is marked done when it fails). */
  failures: { step: PipelineStep; error: string }[];
  seconds: number;
}

export interface RoundDependencies {
  /** The LMS for structures; undefined when the LMS settings are incomplete. */
  lms?: StructureClient;
  progress?: LoadOptions['progress'];
}

/**
 * One round of the pipeline (`run`): load the configured log sources, fetch the structures of
 * courses that have none, process what changed, and tell the API's cache. A failing step is
 * reported and the next steps still run on what is there; the next round retries it.
 */
export async function runRound(
  sql: Sql,
  settings: ProcessorSettings,
  dependencies: RoundDependencies = {},
): Promise<RoundReport> {
  const started = new Date();
  const failures: RoundReport['failures'] = [];
  const attempt = async <T>(step: PipelineStep, work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      failures.push({ step, error: (error as Error).message });
      return undefined;
    }
  };

  let load: RoundReport['load'] = 'no sources';
  if (settings.logSources.length > 0) {
    const summary = await attempt('load', () =>
      loadSources(sql, settings.logSources, { s3: settings.s3, progress: dependencies.progress }),
    );
    load = { files: 0, failed: 0, stored: 0 };
    if (summary) {
      const failed = summary.outcomes.filter((o) => o.status === 'failed');
      for (const file of failed)
        failures.push({ step: 'load', error: `${file.location}: ${file.error}` });
      load = { files: summary.files.loaded, failed: failed.length, stored: summary.lines.stored };
    }
  }

  let structures: RoundReport['structures'] = 'no LMS settings';
  if (dependencies.lms) {
    const outcomes: SyncOutcome[] =
      (await attempt('structure', () =>
        syncStructures(sql, dependencies.lms!, undefined, { onlyMissing: true }),
      )) ?? [];
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') failures.push({ step: 'structure', error: outcome.error });
    }
    structures = {
      synced: outcomes.filter((o) => o.status === 'synced').length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
    };
  }

  const outcome = await attempt('process', () => processAndAnnounce(sql, settings));
  const processed = outcome?.summary;
  if (outcome?.announceError) failures.push({ step: 'announce', error: outcome.announceError });
  return {
    started: started.toISOString(),
    load,
    structures,
    ...(processed
      ? { process: { ...processed, courses: processed.courses.map((c) => c.course_id) } }
      : {}),
    failures,
    seconds: Math.round(Date.now() - started.getTime()) / 1000,
  };
}

/**
 * `process`, then the new data versions told to Redis (when REDIS_URL is set). A Redis that
 * cannot be reached costs the API's caches their freshness, not the numbers: it is returned as
 * `announceError` rather than thrown.
 */
export async function processAndAnnounce(
  sql: Sql,
  settings: Pick<ProcessorSettings, 'kpi' | 'redisUrl'>,
  options: ProcessOptions = {},
): Promise<{ summary: ProcessSummary; announceError?: string }> {
  const summary = await processCourses(sql, settings.kpi, options);
  const error = settings.redisUrl
    ? await announceDataVersions(settings.redisUrl, summary.courses)
    : undefined;
  return error ? { summary, announceError: error.message } : { summary };
}

/** `15m`, `30s`, `1h` → milliseconds; undefined when the text is no such interval. */
export function parseInterval(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return ms >= 1000 ? ms : undefined;
}

/**
 * Runs `round` now and then every `intervalMs` after each round's start (a round longer than
 * the interval is followed at once by the next), until `signal` aborts; a round in progress
 * finishes first.
 */
export async function repeat(
  intervalMs: number,
  round: () => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const started = Date.now();
    await round();
    const wait = Math.max(0, started + intervalMs - Date.now());
    if (signal.aborted) break;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
