import { parseEventTime, type EventTime } from './event-time.ts';

/** An event as stored: the columns of the `events` table that come from the line itself. */
export interface NormalizedEvent {
  time: EventTime;
  courseId: string;
  userId: number | null;
  username: string | null;
  eventType: string;
  eventName: string | null;
  eventSource: string | null;
  path: string | null;
  host: string | null;
  session: string | null;
  page: string | null;
  referer: string | null;
  block: string | null;
  payload: unknown;
  /** The payload's JSON text when it came as a string holding JSON (no need to write it again). */
  payloadText?: string;
}

export type SkipReason =
  'blank' | 'comment' | 'no_course' | 'anonymous' | 'course_not_selected' | 'duplicate';

export type ParsedLine =
  | { outcome: 'event'; event: NormalizedEvent }
  | { outcome: 'skipped'; reason: SkipReason }
  | { outcome: 'rejected'; reason: string };

type Json = Record<string, unknown>;

/** Open edX course keys are far shorter; a longer one is no course id (and cannot be indexed). */
const MAX_COURSE_ID_LENGTH = 255;

/**
 * Reads one JSON event (the text after any logging prefix) into the stored columns, following
 * kpis.md §1: the checks for rejection run first, then those for skipping. `courses` is the
 * `load --course` selection, undefined for every course.
 */
export function normalizeEvent(raw: Json, courses?: ReadonlySet<string>): ParsedLine {
  const eventType = firstString(raw.event_type, raw.name);
  if (eventType === undefined) return { outcome: 'rejected', reason: 'no event type' };
  const rawTime = firstPresent(raw.time, raw.timestamp);
  if (rawTime === undefined) return { outcome: 'rejected', reason: 'no time' };
  const time = typeof rawTime === 'string' ? parseEventTime(rawTime) : undefined;
  if (time === undefined) {
    return { outcome: 'rejected', reason: `time does not parse: ${JSON.stringify(rawTime)}` };
  }

  const context = asObject(raw.context) ?? {};
  const rawPayload = firstPresent(raw.event, raw.data);
  const payload = readPayload(rawPayload);
  const payloadObject = asObject(payload) ?? {};

  const courseId = firstString(context.course_id, payloadObject.course_id);
  if (courseId === undefined) return { outcome: 'skipped', reason: 'no_course' };
  if (courseId.length > MAX_COURSE_ID_LENGTH) {
    return {
      outcome: 'rejected',
      reason: `course id longer than ${MAX_COURSE_ID_LENGTH} characters`,
    };
  }
  const userId = userIdOf(context.user_id) ?? userIdOf(payloadObject.user_id) ?? null;
  const username = firstString(raw.username, context.username) ?? null;
  if (userId === null && username === null) return { outcome: 'skipped', reason: 'anonymous' };
  if (courses && !courses.has(courseId)) {
    return { outcome: 'skipped', reason: 'course_not_selected' };
  }

  const name = firstString(raw.name);
  const module = asObject(context.module);
  return {
    outcome: 'event',
    event: {
      time,
      courseId,
      userId,
      username,
      eventType,
      eventName:
        eventType.startsWith('/') && name !== undefined && name !== eventType ? name : null,
      eventSource: firstString(raw.event_source, context.event_source) ?? null,
      path: firstString(context.path) ?? null,
      host: firstString(raw.host, context.host) ?? null,
      session: firstString(raw.session, context.session) ?? null,
      page: firstString(raw.page, context.page) ?? null,
      referer: firstString(raw.referer, context.referer) ?? null,
      block: blockOf(module, payloadObject),
      payload: payload ?? null,
      ...(typeof rawPayload === 'string' && payload !== rawPayload
        ? { payloadText: rawPayload }
        : {}),
    },
  };
}

/** `event`/`data`: a string holding a JSON object or array is parsed, other strings stay text. */
function readPayload(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const start = value.charCodeAt(firstNonBlank(value));
  if (start !== OPEN_BRACE && start !== OPEN_BRACKET) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

function firstNonBlank(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  return i;
}

const BLOCK_FIELDS = ['block_id', 'problem_id', 'id', 'usage_key', 'target_url'] as const;

/** The block or target an event names: its module's usage key, else one named in the payload. */
function blockOf(module: Json | undefined, payload: Json): string | null {
  let value = firstString(module?.usage_key);
  for (let i = 0; value === undefined && i < BLOCK_FIELDS.length; i++) {
    value = firstString(payload[BLOCK_FIELDS[i]!]);
  }
  return value ?? null;
}

const DIGITS = /^\d{1,15}$/;

/** An integer, or a string of digits; any other value counts as absent. */
function userIdOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && DIGITS.test(value)) return Number(value);
  return undefined;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

// Two candidates at most, as fixed parameters: these run a dozen times for every line.
function firstPresent(first: unknown, second?: unknown): unknown {
  if (isPresent(first)) return first;
  return isPresent(second) ? second : undefined;
}

/** The first present value, when it is a string; a present value of another type is absent. */
function firstString(first: unknown, second?: unknown): string | undefined {
  const value = firstPresent(first, second);
  return typeof value === 'string' ? value : undefined;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}
