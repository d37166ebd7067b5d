import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { type Course, buildCourse } from './course.ts';
import { EventFactory, type EventRecord } from './events.ts';
import { ForumBoard } from './forum.ts';
import { composeDayLines, logFileName, writeGzippedLines } from './logfile.ts';
import { type Person, createLearners, createStaff } from './population.ts';
import { Random, mixSeed } from './random.ts';
import {
  type DayWindow,
  simulateLearnerDay,
  simulateStaffDay,
  simulateVisitors,
} from './schedule.ts';
import type { World } from './sitting.ts';

export interface GenerateOptions {
  learners: number;
  days: number;
  seed: number;
  courseId: string;
  /** 'YYYY-MM-DD': day 0 of the logs. */
  startDate?: string;
}

export interface GenerateSummary {
  courseId: string;
  /** Absolute path of course-blocks.json. */
  blocksFile: string;
  /** Absolute paths, oldest first. */
  logFiles: string[];
  /** Well-formed event lines written, those of staff and of no learner included. */
  events: number;
  /** Deliberately broken lines written. */
  malformedLines: number;
  /** Lines written with the Tutor logging prefix (broken ones included). */
  prefixedLines: number;
  learners: number;
  staff: number;
  videos: number;
  units: number;
}

export const DEFAULT_GENERATE_OPTIONS: Required<GenerateOptions> = {
  learners: 300,
  days: 45,
  seed: 1,
  courseId: 'course-v1:DemoOrg+STATS101+2025_T1',
  startDate: '2025-09-01',
};

const DAY_MICROSECONDS = 86_400_000_000;
const MAX_PENDING_WRITES = 2;
/** Learners simulated between two turns of the event loop (which feed the gzip streams). */
const LEARNERS_PER_TURN = 50;

/**
 * Writes a synthetic course into `folder`: its Course Blocks API answer (`course-blocks.json`)
 * and one gzipped tracking log per day. The same options always give byte-identical files.
 */
export async function generateCourse(
  folder: string,
  options: Partial<GenerateOptions>,
): Promise<GenerateSummary> {
  const settings = resolveOptions(options);
  const root = resolve(folder);
  await mkdir(root, { recursive: true });
  const course = buildCourse(settings.courseId, settings.seed);
  const blocksFile = join(root, 'course-blocks.json');
  // Compact, as Django REST framework renders the LMS's answer.
  await writeFile(blocksFile, JSON.stringify(course.blocksAnswer));

  const learners = createLearners(course, settings.learners, settings.days, settings.seed);
  const staff = createStaff(course, settings.days, settings.seed);
  const summary: GenerateSummary = {
    courseId: course.courseId,
    blocksFile,
    logFiles: [],
    events: 0,
    malformedLines: 0,
    prefixedLines: 0,
    learners: learners.length,
    staff: staff.length,
    videos: course.videos.length,
    units: course.units.length,
  };
  const simulation = new DaySimulation(course, learners, staff, settings.seed);
  const firstDayMs = Date.parse(`${settings.startDate}T00:00:00Z`);
  const writes = new PendingWrites(MAX_PENDING_WRITES);
  for (let index = 0; index < settings.days; index++) {
    const startMs = firstDayMs + index * 86_400_000;
    const day: DayWindow = { index, start: startMs * 1000, end: startMs * 1000 + DAY_MICROSECONDS };
    const records = await simulation.run(day);
    const composed = composeDayLines(records, new Random(mixSeed(settings.seed, 0xf11e, index)));
    const path = join(root, logFileName(startMs));
    await writes.add(writeGzippedLines(path, composed.lines));
    summary.logFiles.push(path);
    summary.events += composed.events;
    summary.malformedLines += composed.malformed;
    summary.prefixedLines += composed.prefixed;
  }
  await writes.finish();
  return summary;
}

/**
 * Compressing a day runs on libuv's thread pool: letting a few days compress while the next one
 * is simulated keeps the CPU busy; the limit keeps memory flat.
 */
class PendingWrites {
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly limit: number) {}

  /** Starts tracking a write; waits for the oldest one when too many are running. */
  async add(write: Promise<void>): Promise<void> {
    // Marks the promise handled so a failure waits here instead of crashing the process early.
    write.catch(() => undefined);
    this.pending.push(write);
    if (this.pending.length > this.limit) await this.pending.shift();
  }

  async finish(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }
}

/** Runs the days in order, carrying events of sessions that cross midnight into the next day. */
class DaySimulation {
  private carried: EventRecord[] = [];
  private today: EventRecord[] = [];
  private readonly world: World;

  constructor(
    course: Course,
    private readonly learners: readonly Person[],
    private readonly staff: readonly Person[],
    private readonly seed: number,
  ) {
    const forumAuthor = staff[0]?.actor.username ?? 'staff';
    this.world = {
      course,
      factory: new EventFactory(course.courseId),
      forum: new ForumBoard(course.discussionTopics, new Random(mixSeed(seed, 0xf0)), forumAuthor),
      sink: { push: (record) => this.today.push(record) },
    };
  }

  /** The events of the day, in time order (ties keep the order they were made in). */
  async run(day: DayWindow): Promise<EventRecord[]> {
    this.today = this.carried;
    for (const [index, learner] of this.learners.entries()) {
      simulateLearnerDay(this.world, learner, day, this.staff);
      if (index % LEARNERS_PER_TURN === LEARNERS_PER_TURN - 1) await nextTurn();
    }
    for (const member of this.staff) simulateStaffDay(this.world, member, day);
    const visitorRandom = new Random(mixSeed(this.seed, 0x715, day.index));
    simulateVisitors(this.world, day, this.learners.length, visitorRandom);
    this.world.forum.endDay();
    const ofTheDay = this.today.filter((record) => record.time < day.end);
    this.carried = this.today.filter((record) => record.time >= day.end);
    return ofTheDay.sort((a, b) => a.time - b.time);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** An option of `generateCourse` that is out of range or malformed. */
export class GenerateOptionsError extends Error {}

function resolveOptions(options: Partial<GenerateOptions>): Required<GenerateOptions> {
  const settings = { ...DEFAULT_GENERATE_OPTIONS };
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(settings, { [name]: value });
  }
  requireInteger('learners', settings.learners, 0);
  requireInteger('days', settings.days, 1);
  requireInteger('seed', settings.seed, Number.MIN_SAFE_INTEGER);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(settings.startDate) ||
    Number.isNaN(Date.parse(settings.startDate))
  ) {
    throw new GenerateOptionsError(`startDate must be YYYY-MM-DD, got ${settings.startDate}`);
  }
  if (!/^course-v1:[^+/]+\+[^+/]+\+[^+/]+$/.test(settings.courseId)) {
    throw new GenerateOptionsError(
      `courseId must look like course-v1:Org+Course+Run, got ${settings.courseId}`,
    );
  }
  return settings;
}

function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new GenerateOptionsError(
      `${name} must be an integer of at least ${minimum}, got ${value}`,
    );
  }
}
