import { parseArgs, type ParseArgsConfig } from 'node:util';
import { courseList, migrate, MigrationError } from '@course-stats/db';
import { openDatabase, type Database } from './database.ts';
import { parseEventTime } from './ingest/event-time.ts';
import { SourceError } from './ingest/folder-source.ts';
import { loadSources } from './ingest/load.ts';
import { loadProgress } from './progress.ts';
import { loadDotEnv, readSettings, SettingError, type ProcessorSettings } from './settings.ts';

const USAGE = `Usage: stats-processor <command> [options]

Commands:
  migrate                      bring the database schema up to date
  load <source>...             load tracking logs from files, folders or s3://bucket/prefix
      --since YYYY-MM-DD       skip rotated files dated before this day
      --course ID              keep only this course (repeatable)
  generate <folder>            write a synthetic course (course-blocks.json + gzipped logs)
      --learners N --days N --seed N --course ID --start YYYY-MM-DD
  courses                      list the courses that have events

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
  courses: {
    options: {},
    run: ({ settings }) =>
      withDatabase(settings, async ({ sql }) => {
        await migrate(sql);
        const rows = await courseList(sql);
        const json = rows.map((row) => ({ ...row, last_processed: null }));
        const text = table(
          ['course', 'events', 'learners', 'first event', 'last event', 'last processed'],
          json.map((r) => [
            r.course_id,
            r.events,
            r.learners,
            r.first_event.toISOString(),
            r.last_event.toISOString(),
            'never',
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
    const known = usage || error instanceof SourceError || error instanceof MigrationError;
    const message = known ? (error as Error).message : String((error as Error).stack ?? error);
    return fail(usage ? 2 : 1, `stats-processor ${name}: ${message}`);
  }
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
