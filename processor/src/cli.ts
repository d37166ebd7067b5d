import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { courseList, migrate, MigrationError } from '@course-stats/db';
import { openDatabase, type Database } from './database.ts';
import { parseEventTime } from './ingest/event-time.ts';
import { SourceError } from './ingest/folder-source.ts';
import { loadSources } from './ingest/load.ts';
import type { CourseResult, DayRange } from './kpis/index.ts';
import {
  parseInterval,
  processAndAnnounce,
  repeat,
  runRound,
  type RoundReport,
} from './pipeline.ts';
import { loadProgress } from './progress.ts';
import {
  loadDotEnv,
  readSettings,
  requireLmsSettings,
  SettingError,
  type ProcessorSettings,
} from './settings.ts';
import {
  LmsClient,
  readAnswersFile,
  storeStructure,
  StructureError,
  syncStructures,
  type StoreResult,
  type SyncOutcome,
} from './structure/index.ts';

const USAGE = `Usage: stats-processor <command> [options]

Commands:
  migrate                      bring the database schema up to date
  load <source>...             load tracking logs from files, folders or s3://bucket/prefix
      --since YYYY-MM-DD       skip rotated files dated before this day
      --course ID              keep only this course (repeatable)
  structure import <file>      store course structures from saved Course Blocks API answers
                               (one JSON answer, or several one per line)
  structure sync [ID...]       fetch course structures from the LMS, for these courses or for
                               every course seen in the logs
      --missing                only the courses that have no stored structure yet
  generate <folder>            write a synthetic course (course-blocks.json + gzipped logs)
      --learners N --days N --seed N --course ID --start YYYY-MM-DD
  process                      compute the KPIs of what new data changed
      --course ID              only this course (repeatable)
      --full                   recompute everything (of the selected courses)
      --from YYYY-MM-DD        also recompute the facts of the days from this one ...
      --to YYYY-MM-DD          ... to this one, inclusive (either may be left open)
  run                          load STATS_LOG_SOURCES, sync missing structures, process
      --every 15m              repeat forever (s, m or h), as a service
  courses                      list the courses that have events
  report <course>              a course's overview, units and videos as tables
      --from YYYY-MM-DD        first day of the range (required)
      --to YYYY-MM-DD          last day of the range, inclusive (required)

Every command takes --json (one JSON object on stdout at the end) and --help.
Settings come from the environment or .env (docs/configuration.md).`;

export class UsageError extends Error {}

type Options = ParseArgsConfig['options'];
type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  options: Options;
  run(args: {
    positionals: string[];
    values: Values;
    settings: ProcessorSettings;
  }): Promise<CommandResult>;
}

interface CommandResult {
  json: unknown;
  text?: string;
  exitCode?: number;
}

const COMMANDS: Record<string, Command> = {
  migrate: {
    options: {},
    run: ({ settings }) =>
      withDatabase(settings, async ({ sql }) => {
        const result = await migrate(sql);
        const text = result.applied.length
          ? `applied ${result.applied.join(', ')}`
          : `the schema is up to date (${result.alreadyApplied} migrations)`;
        return { json: result, text };
      }),
  },
  load: {
    options: { since: { type: 'string' }, course: { type: 'string', multiple: true } },
    run: ({ positionals, values, settings }) => {
      if (positionals.length === 0) throw new UsageError('load needs at least one source');
      const since = values.since as string | undefined;
      if (since !== undefined && !isDate(since)) throw new UsageError('--since must be YYYY-MM-DD');
      const courses = values.course as string[] | undefined;
      return withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const summary = await loadSources(sql, positionals, {
          since,
          courses: courses && new Set(courses),
          s3: settings.s3,
          progress: values.json ? undefined : loadProgress(),
        });
        const { outcomes, ...json } = summary;
        const failed = outcomes.filter((o) => o.status === 'failed');
        const { files, lines } = json;
        const text = [
          `${files.loaded} files loaded, ${files.already_loaded} already loaded, ${files.failed} failed; ` +
            `lines: ${lines.stored} stored, ${lines.skipped} skipped, ${lines.rejected} rejected (${json.seconds} s)`,
          ...failed.map((o) => `failed: ${o.location}: ${o.error}`),
        ].join('\n');
        return {
          json: { ...json, failures: failed.map((o) => ({ file: o.location, error: o.error })) },
          text,
          exitCode: failed.length > 0 ? 1 : 0,
        };
      });
    },
  },
  generate: {
    options: {
      learners: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      course: { type: 'string' },
      start: { type: 'string' },
    },
    run: async ({ positionals, values }) => {
      if (positionals.length !== 1) throw new UsageError('generate needs one folder');
      const start = values.start as string | undefined;
      if (start !== undefined && !isDate(start)) throw new UsageError('--start must be YYYY-MM-DD');
      const { generateCourse, GenerateOptionsError } = await import('./generate/index.ts');
      const summary = await generateCourse(positionals[0]!, {
        learners: positiveInteger(values.learners, '--learners'),
        days: positiveInteger(values.days, '--days'),
        seed: positiveInteger(values.seed, '--seed'),
        courseId: values.course as string | undefined,
        startDate: start,
      }).catch((error: unknown) => {
        throw error instanceof GenerateOptionsError ? new UsageError(error.message) : error;
      });
      return {
        json: summary,
        text: `wrote ${summary.events} events for ${summary.learners} learners of ${summary.courseId} in ${summary.logFiles.length} files under ${positionals[0]}`,
      };
    },
  },
  structure: {
    options: { missing: { type: 'boolean' } },
    run: ({ positionals, values, settings }) => {
      const [action, ...args] = positionals;
      if (action === 'import') {
        if (args.length !== 1) throw new UsageError('structure import needs one file');
        if (values.missing) throw new UsageError('--missing is an option of structure sync');
        return structureImport(args[0]!, settings);
      }
      if (action === 'sync') return structureSync(args, Boolean(values.missing), values, settings);
      throw new UsageError(
        action === undefined
          ? 'structure needs import <file> or sync [ID...]'
          : `unknown structure command ${action}; use import or sync`,
      );
    },
  },
  report: {
    options: { from: { type: 'string' }, to: { type: 'string' } },
    run: async ({ positionals, values, settings }) => {
      if (positionals.length !== 1) throw new UsageError('report needs one course id');
      const { from, to } = dayRange(values) ?? {};
      if (from === undefined) throw new UsageError('--from YYYY-MM-DD is required');
      if (to === undefined) throw new UsageError('--to YYYY-MM-DD is required');
      const { courseReport } = await import('./report.ts');
      return withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const { completionExcludedTypes } = settings.kpi;
        return courseReport(sql, positionals[0]!, { from, to, completionExcludedTypes });
      });
    },
  },
  process: {
    options: {
      course: { type: 'string', multiple: true },
      full: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    run: ({ positionals, values, settings }) => {
      if (positionals.length > 0) throw new UsageError('process takes no arguments; use --course');
      const days = dayRange(values);
      if (days && values.full) {
        throw new UsageError('--full recomputes every day; leave out --from and --to');
      }
      return withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const courses = values.course as string[] | undefined;
        const { summary, announceError } = await processAndAnnounce(sql, settings, {
          courses,
          full: Boolean(values.full),
          days,
          onCourse: values.json ? undefined : processProgress,
        });
        const warnings = announceError ? [announceError] : [];
        const text =
          `${summary.courses.length} courses processed in ${summary.seconds} s` +
          warnings.map((w) => `\nwarning: ${w}`).join('');
        return { json: { ...summary, warnings }, text };
      });
    },
  },
  run: {
    options: { every: { type: 'string' } },
    run: ({ positionals, values, settings }) => {
      if (positionals.length > 0)
        throw new UsageError('run takes no arguments; set STATS_LOG_SOURCES');
      const every = values.every as string | undefined;
      const interval = every === undefined ? undefined : parseInterval(every);
      if (every !== undefined && interval === undefined) {
        throw new UsageError('--every must be a duration like 30s, 15m or 1h (at least 1 s)');
      }
      const lmsSettings = settings.lms.clientId ? requireLmsSettings(settings, 'run') : undefined;
      const lms = lmsSettings && new LmsClient(lmsSettings);
      return withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const round = () => runRound(sql, settings, { lms });
        if (interval === undefined) {
          const report = await round();
          return {
            json: report,
            text: roundLine(report),
            exitCode: report.failures.length ? 1 : 0,
          };
        }
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
        try {
          await repeat(
            interval,
            async () => {
              const report = await round();
              process.stdout.write(`${values.json ? JSON.stringify(report) : roundLine(report)}\n`);
            },
            stop.signal,
          );
        } finally {
          process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
        }
        return { json: { stopped: true }, text: 'stopped' };
      });
    },
  },
  courses: {
    options: {},
    run: ({ settings }) =>
      withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const rows = await courseList(sql);
        const json = rows;
        const text = table(
          ['course', 'events', 'learners', 'first event', 'last event', 'last processed'],
          json.map((r) => [
            r.course_id,
            r.events,
            r.learners,
            r.first_event.toISOString(),
            r.last_event.toISOString(),
            r.last_processed?.toISOString() ?? 'never',
          ]),
        );
        return { json, text };
      }),
  },
};

/** Runs the command line; returns the exit code (0 success, 1 failure, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) return fail(2, `unknown command ${name}\n\n${USAGE}`);
  let json = false;
  try {
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...command.options,
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    json = Boolean(values.json);
    loadDotEnv();
    const result = await command.run({ positionals, values, settings: readSettings() });
    if (json) process.stdout.write(`${JSON.stringify(result.json)}\n`);
    else process.stdout.write(`${result.text ?? JSON.stringify(result.json, null, 2)}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    const usage =
      error instanceof UsageError || error instanceof SettingError || isParseArgsError(error);
    const known =
      usage ||
      error instanceof SourceError ||
      error instanceof MigrationError ||
      error instanceof StructureError;
    const message = known ? (error as Error).message : String((error as Error).stack ?? error);
    return fail(usage ? 2 : 1, `stats-processor ${name}: ${message}`);
  }
}

type StructureRow =
  | ({ course_id: string; status: 'stored' | 'synced' } & Omit<StoreResult, 'courseId'>)
  | { course_id: string | null; line?: number; status: 'failed'; error: string };

async function structureImport(file: string, settings: ProcessorSettings): Promise<CommandResult> {
  const answers = await readAnswersFile(file);
  const source = pathToFileURL(path.resolve(file)).href;
  return withDatabase(settings, async ({ sql }) => {
    await migrate(sql);
    const courses: StructureRow[] = [];
    for (const { line, answer, error } of answers) {
      if (error !== undefined) {
        courses.push({ course_id: null, line, status: 'failed', error });
        continue;
      }
      try {
        const { courseId, ...stored } = await storeStructure(sql, answer, source);
        courses.push({ course_id: courseId, status: 'stored', ...stored });
      } catch (failure) {
        if (!(failure instanceof StructureError)) throw failure;
        const where = line === undefined ? '' : `line ${line}: `;
        courses.push({ course_id: null, line, status: 'failed', error: where + failure.message });
      }
    }
    return structureResult(courses, 'stored');
  });
}

async function structureSync(
  ids: string[],
  onlyMissing: boolean,
  values: Values,
  settings: ProcessorSettings,
): Promise<CommandResult> {
  const lms = requireLmsSettings(settings, 'structure sync');
  const client = new LmsClient(lms);
  const started = performance.now();
  const progress = !values.json && process.stderr.isTTY;
  return withDatabase(settings, async ({ sql }) => {
    await migrate(sql);
    const outcomes = await syncStructures(sql, client, ids.length > 0 ? ids : undefined, {
      onlyMissing,
      onCourse: progress
        ? (outcome, done, total) =>
            process.stderr.write(`\r\x1b[2Ksynced ${done}/${total}: ${outcome.courseId}`)
        : undefined,
    });
    if (progress) process.stderr.write('\r\x1b[2K');
    const result = structureResult(outcomes.map(syncRow), 'synced');
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    return { ...result, json: { ...(result.json as object), seconds } };
  });
}

function syncRow(outcome: SyncOutcome): StructureRow {
  const { courseId, ...rest } = outcome;
  return { course_id: courseId, ...rest };
}

function structureResult(courses: StructureRow[], done: 'stored' | 'synced'): CommandResult {
  const failed = courses.filter((c) => c.status === 'failed').length;
  const ok = courses.length - failed;
  const summary =
    courses.length === 0
      ? 'no course to sync'
      : `${ok} ${ok === 1 ? 'course' : 'courses'} ${done}, ${failed} failed`;
  return {
    json: { courses, [done]: ok, failed },
    text: [...courses.map(structureLine), summary].join('\n'),
    exitCode: failed > 0 ? 1 : 0,
  };
}

function structureLine(row: StructureRow): string {
  if (row.status === 'failed') return `failed: ${row.course_id ?? 'answer'}: ${row.error}`;
  const inactive = row.inactive > 0 ? `, ${row.inactive} inactive` : '';
  return (
    `${row.status} ${row.course_id}${row.name ? ` (${row.name})` : ''}: ` +
    `${row.active} blocks, ${row.units} units${inactive}, ${row.changed ? 'changed' : 'unchanged'}`
  );
}

async function withDatabase<T>(
  settings: ProcessorSettings,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(settings.databaseUrl);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function processProgress(result: CourseResult): void {
  const how = result.full
    ? `in full (${result.reason})`
    : result.from_day
      ? `days ${result.from_day} to ${result.to_day}`
      : 'nothing new';
  process.stderr.write(
    `processed ${result.course_id} ${how}: ${result.learners} learners, ${result.events} events\n`,
  );
}

function roundLine(report: RoundReport): string {
  const load =
    typeof report.load === 'string'
      ? report.load
      : `${report.load.files} files loaded (${report.load.stored} events)`;
  const structures =
    typeof report.structures === 'string'
      ? report.structures
      : `${report.structures.synced} structures synced`;
  const processed = report.process
    ? `${report.process.courses.length} courses processed`
    : 'not processed';
  return [
    `${report.started}: ${load}; ${structures}; ${processed} (${report.seconds} s)`,
    ...report.failures.map((f) => `  failed ${f.step}: ${f.error}`),
  ].join('\n');
}

function fail(code: number, message: string): number {
  process.stderr.write(`${message}\n`);
  return code;
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'string' &&
    (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  );
}

/** --from and --to as days (YYYY-MM-DD, either may be left out), in order. */
function dayRange(values: Values): DayRange | undefined {
  const [from, to] = (['from', 'to'] as const).map((name) => {
    const value = values[name];
    if (value !== undefined && (typeof value !== 'string' || !isDate(value))) {
      throw new UsageError(`--${name} must be YYYY-MM-DD`);
    }
    return value;
  });
  if (from !== undefined && to !== undefined && from > to) {
    throw new UsageError('--from must not be after --to');
  }
  return from !== undefined || to !== undefined ? { from, to } : undefined;
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseEventTime(`${value}T00:00:00Z`) !== undefined;
}

function positiveInteger(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${name} must be a positive integer`);
  }
  return Number(value);
}

function table(header: string[], rows: unknown[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
