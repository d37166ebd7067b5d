// Builds hand-made courses and event streams, loads them as real tracking-log files, runs
// `process` and reads the facts back: the tool of the KPI rule tests.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../../test-support/database.ts';
import { loadSources } from '../../src/ingest/load.ts';
import { DEFAULT_KPI_SETTINGS, processCourses, type KpiSettings } from '../../src/kpis/index.ts';
import { storeStructure } from '../../src/structure/index.ts';

export const COURSE = 'course-v1:Test+K101+2025';
const KEY_PREFIX = 'block-v1:Test+K101+2025';

/** A component: its type, or a container (`split_test`, `library_content`) with children. */
export type ComponentSpec =
  string | { type: string; duration?: number; children?: ComponentSpec[] };

/** chapters → sequentials → units → components. */
export type CourseSpec = ComponentSpec[][][][];

/**
 * The usage key of a block by its label: `2` chapter, `2.1` sequential, `2.1.3` unit,
 * `2.1.3/1` the unit's first component, `2.1.3/1/2` the second child of that container.
 */
export function key(label: string): string {
  const [outline, ...inner] = label.split('/');
  const depth = outline!.split('.').length;
  const type = inner.length > 0 ? 'x' : ['chapter', 'sequential', 'vertical'][depth - 1]!;
  return `${KEY_PREFIX}+type@${type === 'x' ? 'component' : type}+block@${blockId(label)}`;
}

/** The block id of a label (the last part of its usage key). */
export function blockId(label: string): string {
  return `b${label.replaceAll('.', '_').replaceAll('/', '-')}`;
}

/** A Course Blocks API answer for the spec, as the LMS would give it. */
export function courseBlocks(spec: CourseSpec, courseId = COURSE): unknown {
  const prefix = courseId.replace('course-v1:', 'block-v1:');
  const usage = (label: string, type: string) => `${prefix}+type@${type}+block@${blockId(label)}`;
  const root = `${prefix}+type@course+block@course`;
  const blocks: Record<string, unknown> = {};
  const add = (id: string, type: string, name: string, children?: string[], extra = {}) => {
    blocks[id] = {
      id,
      block_id: id.split('+block@')[1],
      type,
      display_name: name,
      ...(children ? { children } : {}),
      ...extra,
    };
  };
  const component = (label: string, c: ComponentSpec): string => {
    const spec = typeof c === 'string' ? { type: c } : c;
    const id = usage(label, spec.type);
    const children = spec.children?.map((child, i) => component(`${label}/${i + 1}`, child));
    add(id, spec.type, `${spec.type} ${label}`, children, {
      ...(spec.duration !== undefined ? { student_view_data: { duration: spec.duration } } : {}),
    });
    return id;
  };
  const chapters = spec.map((sequentials, c) => {
    const label = `${c + 1}`;
    const children = sequentials.map((units, s) => {
      const seqLabel = `${label}.${s + 1}`;
      const unitIds = units.map((components, u) => {
        const unitLabel = `${seqLabel}.${u + 1}`;
        const ids = components.map((comp, k) => component(`${unitLabel}/${k + 1}`, comp));
        const id = usage(unitLabel, 'vertical');
        add(id, 'vertical', `Unit ${unitLabel}`, ids);
        return id;
      });
      const id = usage(seqLabel, 'sequential');
      add(id, 'sequential', `Sequential ${seqLabel}`, unitIds);
      return id;
    });
    const id = usage(label, 'chapter');
    add(id, 'chapter', `Chapter ${label}`, children);
    return id;
  });
  add(root, 'course', 'Test course', chapters);
  return { root, blocks };
}

/** Usage key of a component in the harness course: `componentKey('1.1.1/1', 'video')`. */
export function componentKey(label: string, type: string, courseId = COURSE): string {
  return `${courseId.replace('course-v1:', 'block-v1:')}+type@${type}+block@${blockId(label)}`;
}

export interface Learner {
  username: string;
  user_id?: number;
}

const BASE = Date.parse('2025-03-03T10:00:00Z');

/** An ISO time `seconds` after the base time (2025-03-03T10:00:00Z), or an explicit ISO time. */
export function at(time: number | string): string {
  return typeof time === 'string' ? time : new Date(BASE + time * 1000).toISOString();
}

type Json = Record<string, unknown>;

/** Raw tracking-log events, shaped as the LMS writes them. */
export const events = {
  /** A server page request; `path` is the event_type, as the LMS logs requests. */
  server(who: Learner, time: number | string, path: string, extra: Json = {}): Json {
    return {
      username: who.username,
      event_type: path,
      event_source: 'server',
      time: at(time),
      host: 'lms.example.com',
      event: { GET: {}, POST: {} },
      context: { user_id: who.user_id ?? null, course_id: COURSE, path, org_id: 'Test' },
      ...extra,
    };
  },
  /** A browser event: `name`, its payload, the page it came from. */
  browser(who: Learner, time: number | string, name: string, payload: Json, page = ''): Json {
    return {
      username: who.username,
      event_type: name,
      event_source: 'browser',
      time: at(time),
      host: 'lms.example.com',
      page,
      event: JSON.stringify(payload),
      context: { user_id: who.user_id ?? null, course_id: COURSE, path: '/event', org_id: 'Test' },
    };
  },
  /** A server event with a name (not a path), e.g. a completion or enrollment. */
  named(who: Learner, time: number | string, name: string, payload: Json, path = '/event'): Json {
    return {
      username: who.username,
      event_type: name,
      event_source: 'server',
      time: at(time),
      host: 'lms.example.com',
      event: payload,
      context: { user_id: who.user_id ?? null, course_id: COURSE, path, org_id: 'Test' },
    };
  },
};

/** Learning-MFE iframe load of a unit: `/xblock/<unit>`. */
export const unitLoad = (who: Learner, time: number | string, label: string) =>
  events.server(who, time, `/xblock/${key(label)}`);

export interface KpiRun {
  db: TestDatabase;
  /** Loads more events (a new file) and processes again (incrementally unless `full`). */
  add(lines: Json[] | string[], options?: { full?: boolean }): Promise<void>;
  /** Rows of a fact table for the course, as plain objects with numbers. */
  rows(query: string, ...params: unknown[]): Promise<Json[]>;
  learnerEvents(username: string): Promise<Json[]>;
  unitDay(): Promise<Json[]>;
  pageDay(): Promise<Json[]>;
  learnerDay(): Promise<Json[]>;
  viewings(): Promise<Json[]>;
  completions(): Promise<Json[]>;
  excluded(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A fresh database with the course structure stored, the lines loaded as a tracking log, and
 * `process` run once. Settings default to the spec's defaults.
 */
export async function runKpis(
  spec: CourseSpec | null,
  lines: Json[] | string[],
  settings: Partial<KpiSettings> = {},
): Promise<KpiRun> {
  const db = await createTestDatabase();
  const folder = await mkdtemp(path.join(tmpdir(), 'kpi-'));
  const kpiSettings = { ...DEFAULT_KPI_SETTINGS, ...settings };
  const close = async () => {
    await db.drop();
    await rm(folder, { recursive: true, force: true });
  };
  let files = 0;
  const add = async (more: Json[] | string[], options: { full?: boolean } = {}) => {
    const file = path.join(folder, `tracking.log-2025010${++files}`);
    const text = more.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
    await writeFile(file, `${text}\n`);
    const summary = await loadSources(db.sql, [file], {});
    if (summary.files.failed > 0) throw new Error(`load failed: ${JSON.stringify(summary)}`);
    await processCourses(db.sql, kpiSettings, { full: options.full, keepEventCredits: true });
  };
  try {
    if (spec) await storeStructure(db.sql, courseBlocks(spec), 'test');
    await add(lines);
  } catch (error) {
    await close();
    throw error;
  }
  const rows = async (query: string, ...params: unknown[]) =>
    (await db.sql.unsafe(query, params as never[])).map((r) => ({ ...r }));
  const nameOf = `(SELECT username FROM learners l WHERE l.learner = t.learner)`;
  // event_credits keeps a place as a unit's block_no or a page kind's number.
  const placeKey = (column: string) =>
    `coalesce(stats_place_page_kind(${column}),
       (SELECT usage_key FROM course_blocks b WHERE b.block_no = ${column}))`;
  return {
    db,
    add,
    rows,
    learnerEvents: (username) =>
      rows(
        `SELECT t.time, t.session_start, ${placeKey('t.own_place')} AS own_place,
           ${placeKey('t.place')} AS place, t.credit_s, t.visit
         FROM event_credits t JOIN learner_names n ON n.learner = t.learner
         WHERE n.username = $1 ORDER BY t.time, t.file_id, t.line_no`,
        username,
      ),
    unitDay: () =>
      rows(`SELECT ${nameOf} AS username, unit_key, day::text, time_s, visits FROM unit_day t
            ORDER BY 1, 2, 3`),
    pageDay: () =>
      rows(`SELECT ${nameOf} AS username, page_kind, day::text, time_s FROM page_day t
            ORDER BY 1, 2, 3`),
    learnerDay: () =>
      rows(`SELECT ${nameOf} AS username, day::text, time_s, sessions, visits FROM learner_day t
            ORDER BY 1, 2`),
    viewings: () =>
      rows(`SELECT ${nameOf} AS username, video_key, day::text, start_pos, end_pos
            FROM video_viewings t ORDER BY 1, start_time, 2`),
    completions: () =>
      rows(`SELECT ${nameOf} AS username, block_key, day::text FROM completions t
            ORDER BY 1, 2`),
    excluded: async () =>
      (await rows(`SELECT ${nameOf} AS username FROM excluded_learners t ORDER BY 1`)).map(
        (r) => r.username as string,
      ),
    close,
  };
}
