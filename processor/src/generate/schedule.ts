import type { Actor } from './events.ts';
import { AGENTS, type Person, refreshSessionKey } from './population.ts';
import type { Random } from './random.ts';
import { coursePath } from './site.ts';
import { Sitting, type World } from './sitting.ts';

/** One UTC day of the logs, in microseconds since the epoch. */
export interface DayWindow {
  index: number;
  start: number;
  end: number;
}

const HOUR = 3_600_000_000;
const MINUTE = 60_000_000;

/** Chance that a staff member works on the course on a given day, by staff index. */
const STAFF_DAILY_CHANCE = [0.6, 0.5, 0.35];

export function simulateLearnerDay(
  world: World,
  learner: Person,
  day: DayWindow,
  staff: readonly Person[],
): void {
  if (day.index < Math.max(learner.enrollDay, 0)) return;
  const isEnrollDay = day.index === learner.enrollDay;
  const starts = planSessionStarts(learner, day, isEnrollDay);
  if (starts.length > 0 || day.index === learner.deactivateDay)
    refreshSessionKey(learner, day.index);
  let isFirst = true;
  for (const planned of starts) {
    const start = Math.max(planned, learner.progress.busyUntil + 5 * MINUTE);
    if (start >= day.end) break;
    const sitting = new Sitting(world, learner, start);
    if (isEnrollDay && isFirst) enroll(world, learner, sitting, staff, day);
    runLearnerSession(
      sitting,
      learner,
      isFirst && (isEnrollDay || learner.progress.resumeUnit < 0),
      world,
    );
    learner.progress.busyUntil = sitting.time;
    isFirst = false;
  }
  if (day.index === learner.deactivateDay) unenroll(world, learner, day);
}

export function simulateStaffDay(world: World, member: Person, day: DayWindow): void {
  const random = member.random;
  if (!random.chance(STAFF_DAILY_CHANCE[member.index] ?? 0.3)) return;
  refreshSessionKey(member, day.index);
  const start = Math.max(
    day.start + hourOfDay(random, 11, 2.5),
    member.progress.busyUntil + 5 * MINUTE,
  );
  if (start >= day.end) return;
  const sitting = new Sitting(world, member, start);
  // The last staff member only builds the course in Studio and never opens the instructor dashboard.
  if (member.index === 2) sitting.author();
  else sitting.teach();
  member.progress.busyUntil = sitting.time;
}

/** Anonymous visitors of the course about page: logged without user or session. */
export function simulateVisitors(
  world: World,
  day: DayWindow,
  learnerCount: number,
  random: Random,
): void {
  const count = Math.round((learnerCount / 60) * random.between(0.5, 1.5));
  const path = coursePath(world.course.courseId, 'about');
  for (let i = 0; i < count; i++) {
    const visitor: Actor = {
      userId: null,
      username: '',
      session: '',
      ip: `${random.int(23, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
      agent: random.pick(AGENTS),
      acceptLanguage: 'en-US,en;q=0.9',
    };
    const time = day.start + Math.floor(random.next() * (day.end - day.start));
    world.sink.push(
      world.factory.request(visitor, time, { path, referer: 'https://www.google.com/' }),
    );
  }
}

function planSessionStarts(learner: Person, day: DayWindow, isEnrollDay: boolean): number[] {
  const persona = learner.persona;
  const random = learner.random;
  const studies =
    isEnrollDay || (day.index <= learner.lastActiveDay && random.chance(persona.dailyChance));
  if (!studies) return [];
  const first = day.start + hourOfDay(random, persona.startHour, persona.hourSpread);
  if (!random.chance(persona.secondSessionChance)) return [first];
  return [first, first + Math.round(random.between(1.5, 6) * HOUR)];
}

function runLearnerSession(
  sitting: Sitting,
  learner: Person,
  isFirstVisit: boolean,
  world: World,
): void {
  const random = learner.random;
  const finished = learner.progress.furthestUnit >= world.course.units.length - 1;
  if (isFirstVisit) return sitting.study();
  const roll = random.next();
  if (finished) {
    if (roll < 0.85) return sitting.review();
    if (roll < 0.93) return sitting.peek();
    return sitting.forumOnly();
  }
  if (roll < 0.07) return sitting.peek();
  if (roll < 0.11) return sitting.forumOnly();
  return sitting.study();
}

/** On the enrollment day the learner enrolls just before the first session, or staff did earlier. */
function enroll(
  world: World,
  learner: Person,
  sitting: Sitting,
  staff: readonly Person[],
  day: DayWindow,
): void {
  const enroller = staff[0];
  if (!learner.enrolledByStaff || !enroller) return sitting.enrollSelf();
  const earlier = Math.round(learner.random.between(1, 6) * HOUR);
  const time = Math.max(day.start, sitting.time - earlier);
  refreshSessionKey(enroller, day.index);
  new Sitting(world, enroller, time).enrollLearner(learner);
}

function unenroll(world: World, learner: Person, day: DayWindow): void {
  const earliest = Math.max(day.start + 8 * HOUR, learner.progress.busyUntil + 10 * MINUTE);
  const time = earliest + Math.round(learner.random.between(0, 4) * HOUR);
  if (time >= day.end) return;
  new Sitting(world, learner, time).unenroll();
}

/** Microseconds after midnight for an hour drawn around `mean`, wrapped into the day. */
function hourOfDay(random: Random, mean: number, spread: number): number {
  const hour = ((random.normal(mean, spread) % 24) + 24) % 24;
  return Math.floor(hour * HOUR);
}
