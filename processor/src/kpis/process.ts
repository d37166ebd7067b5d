import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Sql, TransactionSql } from '@course-stats/db';
import { canonicalCourseId } from '../structure/index.ts';
import type { KpiSettings } from './settings.ts';

export interface ProcessOptions {
  /** Only these courses (canonical or legacy ids); undefined = every course with new data. */
  courses?: readonly string[];
  /** Recompute everything of the selected courses (or of every course). */
  full?: boolean;
  /**
   * Recompute the facts of these local days (YYYY-MM-DD, inclusive; either may be open) for
   * every selected course, besides what new data changed.
   */
  days?: DayRange;
  onCourse?: (result: CourseResult) => void;
  /** Keep every activity event's session, place and credit in event_credits (diagnostics). */
  keepEventCredits?: boolean;
}

export interface DayRange {
  from?: string;
  to?: string;
}

export interface CourseResult {
  course_id: string;
  full: boolean;
  /** Why the course was recomputed in full, when it was. */
  reason?: string;
  learners: number;
  events: number;
  /** The first and last local days whose facts were rebuilt (null: nothing rebuilt). */
  from_day: string | null;
  to_day: string | null;
  data_version: number;
}

export interface ProcessSummary {
  courses: CourseResult[];
  seconds: number;
}

const SQL_FOLDER = path.join(import.meta.dirname, 'sql');
const sqlFiles = new Map(
  readdirSync(SQL_FOLDER)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => [
      name.replace(/^\d+_|\.sql$/g, ''),
      readFileSync(path.join(SQL_FOLDER, name), 'utf8'),
    ]),
);

/** A layer's SQL failed; the message names the layer, the cause is the database's error. */
export class KpiLayerError extends Error {
  constructor(
    readonly layer: string,
    cause: unknown,
  ) {
    super(`KPI layer ${layer}: ${(cause as Error).message ?? String(cause)}`, { cause });
  }
}

/** The layers of one course's run, in order (sql/NN_name.sql). */
const COURSE_LAYERS = [
  'structure_lookup',
  'locations',
  'event_names',
  'block_references',
  'course_events',
  'scope',
  'scope_history',
  'clear',
  'container_places',
  'sessions',
  'video_viewings',
  'facts',
  'completions',
  'course_facts',
  'exclusions',
  'rollups',
];

async function runLayer(tx: TransactionSql, name: string): Promise<void> {
  const started = performance.now();
  try {
    await tx.unsafe(layer(name)).simple();
    if (process.env.STATS_DEBUG_LAYERS) {
      process.stderr.write(`${name}: ${Math.round(performance.now() - started)} ms\n`);
    }
  } catch (error) {
    throw new KpiLayerError(name, error);
  }
}

function layer(name: string): string {
  const text = sqlFiles.get(name);
  if (text === undefined) throw new Error(`missing KPI layer ${name}.sql`);
  return text;
}

/** Serialises runs of `process`: two at once would extend the same histories twice. */
const PROCESS_LOCK = 7_345_112;

/**
 * Computes the KPI facts of every course with new data (or the selected ones): registers new
 * files and learner names, then works course by course, each in its own transaction, through
 * the SQL layers of `sql/`. A course is recomputed in full when asked, when its structure or
 * the time zone changed since its last run, or the first time.
 */
export async function processCourses(
  sql: Sql,
  settings: KpiSettings,
  options: ProcessOptions = {},
): Promise<ProcessSummary> {
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${PROCESS_LOCK})`;
    await tuneTransaction(tx);
    for (const name of ['functions', 'file_courses', 'learner_identity']) await runLayer(tx, name);
    // Fresh statistics after a load that grew the events by a tenth or more (as autovacuum
    // would), so that the layers' plans see how many events there are now; a day's file on a
    // long history does not pay for sampling the whole table.
    const [fresh] = await tx<{ files: number; grown: boolean }[]>`
      SELECT count(*)::int AS files,
        coalesce(sum(fc.events), 0) >= 0.1 * (SELECT reltuples FROM pg_class
          WHERE oid = 'events'::regclass) AS grown
      FROM new_files n JOIN file_courses fc USING (file_id)`;
    // (the columns the layers join on: not the arrays of lookup values, slow to sample)
    if (fresh!.files > 0)
      await tx`ANALYZE file_courses (file_id, course_id, raw_course_id, processed_at)`;
    if (fresh!.grown) await tx`ANALYZE events`;
    // session_places is UNLOGGED: after a crash it is empty, and so is the sentinel.
    await tx`
      WITH lost AS (
        UPDATE course_processing SET full_pending = true
        WHERE NOT EXISTS (SELECT FROM process_sentinel)
      )
      INSERT INTO process_sentinel VALUES (true) ON CONFLICT DO NOTHING`;
  });
  const selected = options.courses?.map(canonicalCourseId);
  const plans = await planCourses(sql, settings, selected, options.full ?? false, options.days);
  const courses: CourseResult[] = [];
  for (const plan of plans) {
    const result = await processCourse(sql, settings, plan, options);
    courses.push(result);
    options.onCourse?.(result);
  }
  return { courses, seconds: Math.round(performance.now() - started) / 1000 };
}

interface CoursePlan {
  courseId: string;
  full: boolean;
  reason?: string;
}

async function planCourses(
  sql: Sql,
  settings: KpiSettings,
  selected: string[] | undefined,
  full: boolean,
  days: DayRange | undefined,
): Promise<CoursePlan[]> {
  const rows = await sql<
    {
      course_id: string;
      processed: boolean;
      tz_changed: boolean;
      structure_changed: boolean;
      full_pending: boolean;
      settings_changed: boolean;
      has_work: boolean;
    }[]
  >`
    WITH known AS (
      SELECT course_id FROM file_courses
      UNION SELECT course_id FROM course_processing
      UNION SELECT course_id FROM pending_learners
    )
    SELECT k.course_id,
      p.course_id IS NOT NULL AS processed,
      coalesce(p.time_zone <> ${settings.timeZone}, false) AS tz_changed,
      coalesce(s.changed_at IS DISTINCT FROM p.structure_changed_at, false) AS structure_changed,
      coalesce(p.full_pending, false) AS full_pending,
      coalesce(p.settings_sha256 <> ${settingsHash(settings)}, false) AS settings_changed,
      EXISTS (SELECT FROM file_courses f WHERE f.course_id = k.course_id AND f.processed_at IS NULL)
        OR EXISTS (SELECT FROM pending_learners l WHERE l.course_id = k.course_id) AS has_work
    FROM known k
    LEFT JOIN course_processing p ON p.course_id = k.course_id
    LEFT JOIN course_structures s ON s.course_id = k.course_id
    WHERE ${selected ?? null}::text[] IS NULL OR k.course_id = ANY (${selected ?? null}::text[])
    ORDER BY k.course_id`;
  const plans: CoursePlan[] = [];
  for (const row of rows) {
    const reason = full
      ? 'requested'
      : !row.processed
        ? 'first run'
        : row.full_pending
          ? 'session rows lost in a database crash'
          : row.tz_changed
            ? 'time zone changed'
            : row.structure_changed
              ? 'structure changed'
              : undefined;
    if (reason) plans.push({ courseId: row.course_id, full: true, reason });
    // New settings without new data still rebuild the exclusions (the last layer).
    else if (row.has_work || row.settings_changed) {
      plans.push({ courseId: row.course_id, full: false });
    } else if (selected || days) plans.push({ courseId: row.course_id, full: false });
  }
  return plans;
}

async function processCourse(
  sql: Sql,
  settings: KpiSettings,
  plan: CoursePlan,
  options: ProcessOptions,
): Promise<CourseResult> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${PROCESS_LOCK})`;
    await tuneTransaction(tx);
    // An incremental run reads a few rows per learner, of tables it has just read or written:
    // index lookups are cheaper than PostgreSQL assumes for a disk.
    if (!plan.full) await tx`SET LOCAL random_page_cost = 1.1`;
    await setParameters(tx, plan.courseId, plan.full, settings, options.keepEventCredits ?? false);
    await setDayRange(tx, plan.full ? {} : (options.days ?? {}), settings.timeZone);
    if (plan.full) await clearCourse(tx);
    for (const name of COURSE_LAYERS) {
      if (name === 'scope_history' && plan.full) continue;
      await runLayer(tx, name);
    }
    const [summary] = await tx<
      { learners: number; events: number; from_day: string | null; to_day: string | null }[]
    >`
      SELECT (SELECT count(*) FROM scope)::int AS learners, count(*)::int AS events,
             (SELECT min(cut_day)::text FROM scope_days WHERE cut_day > '-infinity') AS from_day,
             (max(time) AT TIME ZONE current_setting('stats.time_zone'))::date::text AS to_day
      FROM attributed`;
    const [version] = await tx<{ data_version: number }[]>`
      WITH done AS (
        UPDATE file_courses SET processed_at = now()
        WHERE course_id = ${plan.courseId} AND processed_at IS NULL
      ), pending AS (
        DELETE FROM pending_learners WHERE course_id = ${plan.courseId}
      )
      INSERT INTO course_processing AS p (course_id, time_zone, settings_sha256,
        structure_changed_at, last_processed)
      VALUES (${plan.courseId}, ${settings.timeZone}, ${settingsHash(settings)},
        (SELECT changed_at FROM course_structures WHERE course_id = ${plan.courseId}), now())
      ON CONFLICT (course_id) DO UPDATE SET time_zone = excluded.time_zone,
        settings_sha256 = excluded.settings_sha256,
        structure_changed_at = excluded.structure_changed_at,
        last_processed = excluded.last_processed, data_version = p.data_version + 1,
        full_pending = false
      RETURNING data_version::float8 AS data_version`;
    // Temporary views outlive the transaction; some read tables that do not.
    await tx.unsafe(`DROP VIEW IF EXISTS ${TEMPORARY_VIEWS.join(', ')}`).simple();
    await tx.unsafe(`DROP TABLE ${RUN_TABLES.join(', ')}`).simple();
    return {
      course_id: plan.courseId,
      full: plan.full,
      ...(plan.reason ? { reason: plan.reason } : {}),
      learners: summary!.learners,
      events: summary!.events,
      from_day: summary!.from_day,
      to_day: summary!.to_day,
      data_version: version!.data_version,
    };
  });
}

/** The temporary views the layers create, dependants first. */
const TEMPORARY_VIEWS = [
  'session_events',
  'attributed',
  'course_event_source',
  'scoped_session_places',
];

/**
 * The ordinary tables a course's run creates (not temporary: parallel workers can read them) and
 * drops before it commits. Runs take turns (PROCESS_LOCK), so the names are free.
 */
const RUN_TABLES = [
  'run_units_by_order',
  'run_locations',
  'run_event_names',
  'run_block_references',
];

async function setParameters(
  tx: TransactionSql,
  courseId: string,
  full: boolean,
  settings: KpiSettings,
  keepEventCredits: boolean,
) {
  const legacy = legacyCourseId(courseId);
  const parameters: Record<string, string> = {
    'stats.course': courseId,
    'stats.full': full ? 'on' : 'off',
    'stats.legacy_course': legacy ?? '',
    'stats.course_ids': [courseId, legacy].filter(Boolean).join(' '),
    'stats.time_zone': settings.timeZone,
    'stats.studio_host': settings.studioHost?.toLowerCase() ?? '',
    'stats.exclude_usernames': settings.excludeUsernames.join(' '),
    'stats.session_gap_s': String(settings.sessionGapSeconds),
    'stats.last_credit_s': String(settings.lastEventCreditSeconds),
    'stats.min_viewing_s': String(settings.minViewingSeconds),
    'stats.keep_event_credits': keepEventCredits ? 'on' : 'off',
    'stats.completion_excluded_types': settings.completionExcludedTypes.join(' '),
  };
  for (const [name, value] of Object.entries(parameters)) {
    await tx`SELECT set_config(${name}, ${value}, true)`;
  }
}

/**
 * The instants where the day range starts and ends in the course's time zone (settings
 * stats.range_start/end; empty without a range), read by scope.sql.
 */
async function setDayRange(tx: TransactionSql, days: DayRange, timeZone: string) {
  const ranged = days.from !== undefined || days.to !== undefined;
  await tx`
    SELECT set_config('stats.range_start', CASE WHEN ${ranged} THEN coalesce(
        (${days.from ?? null}::date::timestamp AT TIME ZONE ${timeZone})::text, '-infinity')
      ELSE '' END, true),
      set_config('stats.range_end', CASE WHEN ${ranged} THEN coalesce(
        ((${days.to ?? null}::date + 1)::timestamp AT TIME ZONE ${timeZone})::text, 'infinity')
      ELSE '' END, true)`;
}

/**
 * The layers sort and hash whole courses (registering new files: whole files): memory for that
 * instead of temporary files, no JIT (it compiles each large statement anew, for more time than
 * it saves here), and no wait for the WAL flush at commit (a crash loses at most the last run,
 * which the next one redoes).
 */
async function tuneTransaction(tx: TransactionSql) {
  await tx
    .unsafe(
      `
    SET LOCAL work_mem = '${PROCESS_WORK_MEM}';
    SET LOCAL jit = off;
    SET LOCAL synchronous_commit = off;
  `,
    )
    .simple();
}

const PROCESS_WORK_MEM = '256MB';

/** A full recomputation starts from nothing: every fact of the course goes, every file is new. */
async function clearCourse(tx: TransactionSql) {
  await tx
    .unsafe(
      `
    DELETE FROM session_places WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM event_credits WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM video_viewings WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM video_event_extents WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM unit_day WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM page_day WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM learner_day WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM completions WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM learner_randomized_blocks WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM enrollment_changes WHERE course_id = (SELECT current_setting('stats.course'));
    DELETE FROM staff_signals WHERE course_id = (SELECT current_setting('stats.course'));
    UPDATE file_courses SET processed_at = NULL WHERE course_id = (SELECT current_setting('stats.course'));
  `,
    )
    .simple();
}

function settingsHash(settings: KpiSettings): Buffer {
  return createHash('sha256').update(JSON.stringify(settings)).digest();
}

/** The legacy `Org/Course/Run` form of a `course-v1:Org+Course+Run` id, when it has one. */
export function legacyCourseId(id: string): string | undefined {
  const match = /^course-v1:([^+/]+)\+([^+/]+)\+([^+/]+)$/.exec(id);
  return match ? `${match[1]}/${match[2]}/${match[3]}` : undefined;
}
