import { LMS_HOST } from './site.ts';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** One line of a tracking log before it is written: its time orders the file. */
export interface EventRecord {
  /** Microseconds since the Unix epoch. */
  time: number;
  /** The JSON text and its newline, UTF-8. */
  line: Buffer;
  /** What the Tutor logging prefix shows in `[user ...] [ip ...]`. */
  prefixUser: string;
  prefixIp: string;
}

/** Who makes a request: a learner, a staff member, or nobody (anonymous visitors). */
export interface Actor {
  userId: number | null;
  username: string;
  session: string;
  ip: string;
  agent: string;
  acceptLanguage: string;
}

export interface ModuleContext {
  display_name: string;
  usage_key: string;
}

interface ServerOptions {
  path: string;
  referer: string;
  host?: string;
  module?: ModuleContext;
}

/**
 * Python's `json.dumps` layout (`", "` and `": "` separators, non-ASCII escaped), which is how
 * the LMS writes tracking lines. Browser payloads keep the compact layout the browser sent.
 */
export function pythonJson(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  // Keys are the generator's own identifiers and never need escaping.
  let text = '{';
  let separator = '';
  for (const key in value) {
    text += `${separator}"${key}": ${pythonJson(value[key] as Json)}`;
    separator = ', ';
  }
  return `${text}}`;
}

/** Characters that need no escaping in a JSON string written by Python. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII = /[\u0080-\uffff]/g;

/** A JSON string literal; the common plain case skips JSON.stringify, which is the hot path. */
function quote(text: string): string {
  if (PLAIN_STRING.test(text)) return `"${text}"`;
  return JSON.stringify(text).replace(
    NON_ASCII,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

let cachedDay = Number.NaN;
let cachedDayText = '';

/** `2025-09-01T13:53:13.460372+00:00`, the LMS's `time` format. */
export function formatEventTime(microseconds: number): string {
  const totalSeconds = Math.floor(microseconds / 1_000_000);
  const day = Math.floor(totalSeconds / 86_400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const secondOfDay = totalSeconds - day * 86_400;
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  const fraction = String(microseconds - totalSeconds * 1_000_000).padStart(6, '0');
  return `${cachedDayText}${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(secondOfDay % 60)}.${fraction}+00:00`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

interface ActorFields {
  session: string;
  identity: string;
  language: string;
}

const NOBODY: Actor = {
  userId: null,
  username: '',
  session: '',
  ip: '',
  agent: '',
  acceptLanguage: '',
};

/** Builds raw tracking-log events the way the LMS writes them for one course. */
export class EventFactory {
  private readonly quotedCourseId: string;
  private readonly quotedOrgId: string;
  private readonly actorCache = new WeakMap<Actor, ActorFields>();

  constructor(readonly courseId: string) {
    this.quotedCourseId = quote(courseId);
    this.quotedOrgId = quote(courseId.slice('course-v1:'.length).split('+')[0] ?? '');
  }

  /** A request logged by the tracking middleware: `event_type` is the path. */
  request(actor: Actor, time: number, options: ServerOptions, get: Json = {}, post: Json = {}) {
    const payload = pythonJson({ GET: get, POST: post });
    return this.serverEvent(actor, time, options.path, payload, options);
  }

  /** An event emitted by LMS code while serving a request. */
  emitted(actor: Actor, time: number, name: string, payload: Json, options: ServerOptions) {
    return this.serverEvent(actor, time, name, payload, options);
  }

  /** An event the browser sent to `/event`: its payload is the JSON text the browser sent. */
  browser(actor: Actor, time: number, name: string, payload: Json, page: string, referer: string) {
    const context =
      `{"user_id": ${actor.userId ?? '""'}, "path": "/event", "course_id": ${this.quotedCourseId}, ` +
      `"org_id": ${this.quotedOrgId}, "enterprise_uuid": ""}`;
    const event = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return this.line(actor, time, name, context, event, 'browser', page, referer, LMS_HOST);
  }

  /** An event of a background task (grades): no user, session or request in the context. */
  task(time: number, name: string, payload: Json): EventRecord {
    const context = `{"course_id": ${this.quotedCourseId}, "org_id": ${this.quotedOrgId}, "enterprise_uuid": ""}`;
    return this.line(NOBODY, time, name, context, payload, 'server', null, '', '');
  }

  private serverEvent(
    actor: Actor,
    time: number,
    name: string,
    payload: Json,
    options: ServerOptions,
  ): EventRecord {
    const module = options.module
      ? `, "module": {"display_name": ${quote(options.module.display_name)}, ` +
        `"usage_key": ${quote(options.module.usage_key)}}, "asides": {}`
      : '';
    const context =
      `{"course_id": ${this.quotedCourseId}, "course_user_tags": {}, "user_id": ${actor.userId ?? '""'}, ` +
      `"path": ${quote(options.path)}, "org_id": ${this.quotedOrgId}, "enterprise_uuid": ""${module}}`;
    const host = options.host ?? LMS_HOST;
    return this.line(actor, time, name, context, payload, 'server', null, options.referer, host);
  }

  /** Writes the line by hand in the LMS's key order: this is the generator's hot path. */
  private line(
    actor: Actor,
    time: number,
    name: string,
    context: string,
    event: Json,
    source: 'server' | 'browser',
    page: string | null,
    referer: string,
    host: string,
  ): EventRecord {
    const quotedName = quote(name);
    const fields = this.actorFields(actor);
    const text =
      `{"name": ${quotedName}, "context": ${context}, ${fields.identity}, ` +
      `"host": ${quote(host)}, "referer": ${quote(referer)}, "accept_language": ${fields.language}, ` +
      `"event": ${pythonJson(event)}, "time": "${formatEventTime(time)}", ` +
      `"event_type": ${quotedName}, "event_source": "${source}", ` +
      `"page": ${page === null ? 'null' : quote(page)}}\n`;
    return {
      time,
      // Kept as bytes: a day of lines held as V8 strings costs far more in garbage collection.
      line: Buffer.from(text),
      prefixUser: actor.userId === null ? 'None' : String(actor.userId),
      prefixIp: actor.ip === '' ? 'None' : actor.ip,
    };
  }

  /** `"username": ..., "session": ..., "ip": ..., "agent": ...`, cached per actor and session. */
  private actorFields(actor: Actor): ActorFields {
    const cached = this.actorCache.get(actor);
    if (cached && cached.session === actor.session) return cached;
    const fields = {
      session: actor.session,
      identity:
        `"username": ${quote(actor.username)}, "session": ${quote(actor.session)}, ` +
        `"ip": ${quote(actor.ip)}, "agent": ${quote(actor.agent)}`,
      language: quote(actor.acceptLanguage),
    };
    this.actorCache.set(actor, fields);
    return fields;
  }
}
