import type { Component, Course, Unit } from './course.ts';
import type { Actor } from './events.ts';
import { Random, mixSeed } from './random.ts';

export type PersonaName = 'steady' | 'binge' | 'dropout' | 'fader' | 'skimmer' | 'nightOwl';

/** How a kind of learner behaves; every number is a mean or a chance. */
export interface Persona {
  name: PersonaName;
  share: number;
  /** Chance of studying on a day of their active period. */
  dailyChance: number;
  secondSessionChance: number;
  unitsPerSession: readonly [number, number];
  readSeconds: number;
  /** Chance of playing a video shown in a unit. */
  watchChance: number;
  /** Chance of watching on to the end rather than leaving part-way. */
  finishChance: number;
  /** Mean seconds of video between two pauses, seeks or speed changes. */
  segmentSeconds: number;
  seekChance: number;
  problemChance: number;
  startHour: number;
  hourSpread: number;
  speeds: readonly number[];
  /** Chance that a sitting holds a break longer than the 30-minute session gap. */
  breakChance: number;
}

export const PERSONAS: readonly Persona[] = [
  {
    name: 'steady',
    share: 0.35,
    dailyChance: 0.38,
    secondSessionChance: 0.15,
    unitsPerSession: [2, 5],
    readSeconds: 75,
    watchChance: 0.85,
    finishChance: 0.75,
    segmentSeconds: 150,
    seekChance: 0.15,
    problemChance: 0.9,
    startHour: 18,
    hourSpread: 3,
    speeds: [1, 1, 1, 1.25, 1.5],
    breakChance: 0.06,
  },
  {
    name: 'binge',
    share: 0.1,
    dailyChance: 0.18,
    secondSessionChance: 0.35,
    unitsPerSession: [6, 12],
    readSeconds: 45,
    watchChance: 0.95,
    finishChance: 0.85,
    segmentSeconds: 300,
    seekChance: 0.1,
    problemChance: 0.7,
    startHour: 14,
    hourSpread: 4,
    speeds: [1.5, 1.75, 2],
    breakChance: 0.2,
  },
  {
    name: 'dropout',
    share: 0.25,
    dailyChance: 0.5,
    secondSessionChance: 0.1,
    unitsPerSession: [2, 4],
    readSeconds: 60,
    watchChance: 0.7,
    finishChance: 0.5,
    segmentSeconds: 120,
    seekChance: 0.2,
    problemChance: 0.6,
    startHour: 19,
    hourSpread: 3,
    speeds: [1, 1, 1.25],
    breakChance: 0.04,
  },
  {
    name: 'fader',
    share: 0.12,
    dailyChance: 0.4,
    secondSessionChance: 0.12,
    unitsPerSession: [2, 5],
    readSeconds: 70,
    watchChance: 0.8,
    finishChance: 0.65,
    segmentSeconds: 140,
    seekChance: 0.15,
    problemChance: 0.8,
    startHour: 12,
    hourSpread: 3,
    speeds: [1, 1.25],
    breakChance: 0.05,
  },
  {
    name: 'skimmer',
    share: 0.12,
    dailyChance: 0.35,
    secondSessionChance: 0.1,
    unitsPerSession: [3, 6],
    readSeconds: 25,
    watchChance: 0.55,
    finishChance: 0.25,
    segmentSeconds: 45,
    seekChance: 0.45,
    problemChance: 0.5,
    startHour: 10,
    hourSpread: 4,
    speeds: [1.5, 2],
    breakChance: 0.03,
  },
  {
    name: 'nightOwl',
    share: 0.06,
    dailyChance: 0.4,
    secondSessionChance: 0.1,
    unitsPerSession: [2, 5],
    readSeconds: 70,
    watchChance: 0.85,
    finishChance: 0.7,
    segmentSeconds: 160,
    seekChance: 0.15,
    problemChance: 0.85,
    startHour: 23.4,
    hourSpread: 0.6,
    speeds: [1, 1.25],
    breakChance: 0.08,
  },
];

/** What the generator remembers about a learner between sessions. */
export interface LearnerProgress {
  /** The unit the Learning MFE resumes at (course index), -1 before the first visit. */
  resumeUnit: number;
  /** The furthest unit reached, -1 before the first visit. */
  furthestUnit: number;
  lastUnitInSequential: Map<number, number>;
  videoPositions: Map<string, number>;
  completed: Set<string>;
  attempts: Map<string, number>;
  /** The speed the learner likes; the player starts at `playerSpeed`, remembered between videos. */
  speed: number;
  playerSpeed: number;
  /** Microseconds: a new session never starts before this. */
  busyUntil: number;
}

export interface Person {
  index: number;
  actor: Actor;
  isStaff: boolean;
  persona: Persona;
  random: Random;
  /** Day of the enrollment event; -1 when enrolled before the logs start (no event). */
  enrollDay: number;
  enrolledByStaff: boolean;
  lastActiveDay: number;
  deactivateDay: number | null;
  progress: LearnerProgress;
  /** library_content and split_test choices: container key → shown choice numbers. */
  containerChoices: Map<string, Set<number>>;
  sessionKeyUntilDay: number;
}

const FIRST_NAMES = [
  'maria',
  'james',
  'aisha',
  'wei',
  'lucas',
  'fatima',
  'noah',
  'sofia',
  'arjun',
  'emma',
  'diego',
  'yuki',
  'olga',
  'kwame',
  'lena',
  'omar',
  'chloe',
  'ivan',
  'priya',
  'mateo',
  'hana',
  'samuel',
  'zara',
  'felix',
  'amara',
  'tomas',
  'ines',
  'ravi',
  'julia',
  'kofi',
];
const LAST_NAMES = [
  'garcia',
  'smith',
  'khan',
  'chen',
  'silva',
  'haddad',
  'mueller',
  'rossi',
  'patel',
  'dubois',
  'lopez',
  'tanaka',
  'petrova',
  'mensah',
  'novak',
  'farah',
  'martin',
  'ivanov',
  'sharma',
  'fernandez',
];
export const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:129.0) Gecko/20100101 Firefox/129.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36',
];
const LANGUAGES = [
  'en-US,en;q=0.9',
  'en-GB,en;q=0.9',
  'es-ES,es;q=0.9,en;q=0.8',
  'fr-FR,fr;q=0.9,en;q=0.7',
  'de-DE,de;q=0.9,en;q=0.8',
  'pt-BR,pt;q=0.9',
  'hi-IN,hi;q=0.9,en;q=0.8',
];

const STAFF = [
  { userId: 3, username: 'prof.garcia' },
  { userId: 7, username: 'ta.okafor' },
  { userId: 12, username: 'designer.lin' },
];

export const STAFF_COUNT = STAFF.length;

export function createLearners(
  course: Course,
  count: number,
  days: number,
  seed: number,
): Person[] {
  const usernames = new Set<string>();
  const learners: Person[] = [];
  for (let index = 0; index < count; index++) {
    const random = new Random(mixSeed(seed, 0x1ea, index));
    const persona = random.weighted(
      PERSONAS,
      PERSONAS.map((candidate) => candidate.share),
    );
    const username = uniqueUsername(random, usernames);
    const userId = 1000 + index * 7 + random.int(0, 6);
    const actor = newActor(random, userId, username);
    const enrollDay = random.chance(0.2) ? -1 : chooseEnrollDay(random, days);
    const lastActiveDay = chooseLastActiveDay(random, persona, Math.max(enrollDay, 0), days);
    learners.push({
      index,
      actor,
      isStaff: false,
      persona,
      random,
      enrollDay,
      enrolledByStaff: enrollDay >= 0 && random.chance(0.05),
      lastActiveDay,
      deactivateDay: chooseDeactivateDay(random, persona, lastActiveDay, days),
      progress: newProgress(random, persona),
      containerChoices: chooseContainerChoices(random, course),
      sessionKeyUntilDay: -1,
    });
  }
  return learners;
}

export function createStaff(course: Course, days: number, seed: number): Person[] {
  const steady = PERSONAS[0] as Persona;
  return STAFF.map(({ userId, username }, index) => {
    const random = new Random(mixSeed(seed, 0x57a, index));
    return {
      index,
      actor: newActor(random, userId, username),
      isStaff: true,
      persona: steady,
      random,
      enrollDay: -1,
      enrolledByStaff: false,
      lastActiveDay: days - 1,
      deactivateDay: null,
      progress: newProgress(random, steady),
      containerChoices: chooseContainerChoices(random, course),
      sessionKeyUntilDay: -1,
    };
  });
}

/** The Django session key changes when a learner logs in again, every few days. */
export function refreshSessionKey(person: Person, day: number): void {
  if (day < person.sessionKeyUntilDay) return;
  person.actor.session = person.random.hex(32);
  person.sessionKeyUntilDay = day + person.random.int(1, 6);
}

/** The leaves of a unit this learner sees: one split_test group, some library problems. */
export function visibleComponents(person: Person, unit: Unit): Component[] {
  return unit.components.filter((component) => {
    if (!component.container) return true;
    return person.containerChoices.get(component.container.key)?.has(component.choice) ?? false;
  });
}

function uniqueUsername(random: Random, taken: Set<string>): string {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const style = random.int(0, 2);
  const base =
    style === 0 ? `${first}.${last}` : style === 1 ? `${first}${last[0]}` : `${first}_${last}`;
  let username = base;
  for (let suffix = random.int(1, 99); taken.has(username); suffix++) username = `${base}${suffix}`;
  taken.add(username);
  return username;
}

function newActor(random: Random, userId: number, username: string): Actor {
  return {
    userId,
    username,
    session: '',
    ip: `${random.int(23, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`,
    agent: random.pick(AGENTS),
    acceptLanguage: random.pick(LANGUAGES),
  };
}

function newProgress(random: Random, persona: Persona): LearnerProgress {
  return {
    resumeUnit: -1,
    furthestUnit: -1,
    lastUnitInSequential: new Map(),
    videoPositions: new Map(),
    completed: new Set(),
    attempts: new Map(),
    speed: random.pick(persona.speeds),
    playerSpeed: 1,
    busyUntil: 0,
  };
}

/** Most learners enroll in the first days of the run, some much later. */
function chooseEnrollDay(random: Random, days: number): number {
  const latest = Math.max(0, Math.floor(days * 0.6));
  return Math.min(latest, Math.floor(random.exponential(days * 0.12)));
}

function chooseLastActiveDay(
  random: Random,
  persona: Persona,
  start: number,
  days: number,
): number {
  switch (persona.name) {
    case 'dropout':
      return Math.min(days - 1, start + Math.max(1, Math.round(random.between(0.05, 0.3) * days)));
    case 'fader':
      // Inactive for at least the last week: these are the at-risk learners.
      return Math.max(start, days - 8 - random.int(0, Math.round(days * 0.15)));
    default:
      return days - 1;
  }
}

function chooseDeactivateDay(
  random: Random,
  persona: Persona,
  lastActiveDay: number,
  days: number,
): number | null {
  if (persona.name !== 'dropout' || !random.chance(0.12)) return null;
  const day = lastActiveDay + random.int(0, 3);
  return day < days ? day : null;
}

function chooseContainerChoices(random: Random, course: Course): Map<string, Set<number>> {
  const choices = new Map<string, Set<number>>();
  for (const component of course.components) {
    const container = component.container;
    if (!container || choices.has(container.key)) continue;
    const all = Array.from({ length: container.choiceCount }, (_, choice) => choice);
    choices.set(container.key, new Set(random.sample(all, container.shownCount)));
  }
  return choices;
}
