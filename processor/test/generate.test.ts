import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type GenerateSummary, generateCourse } from '../src/generate/index.ts';

const TUTOR_PREFIX =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} INFO \d+ \[tracking\] \[user [^\]]+\] \[ip [^\]]+\] logger\.py:41 - /;
const COURSE_ID = 'course-v1:TestOrg+GEN101+2025_T2';
const OPTIONS = { learners: 60, days: 12, seed: 7, courseId: COURSE_ID, startDate: '2025-03-30' };

interface RawEvent {
  name?: string;
  event_type?: string;
  username: string;
  time: string;
  event: unknown;
  event_source: string;
  host: string;
  context: { course_id: string; user_id?: number | string; path?: string };
}

interface ApiBlock {
  id: string;
  block_id: string;
  type: string;
  children?: string[];
  student_view_data?: { duration: number | null };
}

interface CourseBlocks {
  root: string;
  blocks: Record<string, ApiBlock>;
}

interface ParsedFile {
  name: string;
  lines: string[];
  events: RawEvent[];
  malformed: number;
  prefixed: number;
}

let folder: string;
let summary: GenerateSummary;
let files: ParsedFile[];
let blocks: CourseBlocks;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'generate-test-'));
  summary = await generateCourse(join(folder, 'a'), OPTIONS);
  files = await Promise.all(summary.logFiles.map(readLogFile));
  blocks = JSON.parse(await readFile(summary.blocksFile, 'utf8')) as CourseBlocks;
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('generateCourse', () => {
  it('writes course-blocks.json and one gzipped log per day, named as logrotate names them', async () => {
    expect(basename(summary.blocksFile)).toBe('course-blocks.json');
    expect(summary.logFiles).toHaveLength(OPTIONS.days);
    const names = summary.logFiles.map((file) => basename(file));
    expect(names[0]).toBe(`tracking.log-20250330-${Date.parse('2025-03-31T00:00:00Z') / 1000}.gz`);
    expect([...names].sort()).toEqual(names);
    expect((await readdir(join(folder, 'a'))).sort()).toEqual(
      ['course-blocks.json', ...names].sort(),
    );
    expect(summary).toMatchObject({ courseId: COURSE_ID, learners: 60, staff: 3 });
  });

  it('is deterministic: the same seed gives the same bytes, another seed different ones', async () => {
    const again = await generateCourse(join(folder, 'b'), OPTIONS);
    const other = await generateCourse(join(folder, 'c'), { ...OPTIONS, seed: 8 });
    const [blocksA, ...logsA] = await hashAll(summary);
    expect(await hashAll(again)).toEqual([blocksA, ...logsA]);
    const [blocksC, ...logsC] = await hashAll(other);
    expect(blocksC).not.toBe(blocksA);
    expect(logsC.filter((log, index) => log !== logsA[index]).length).toBeGreaterThan(0);
  });

  it('writes only well-formed events and the counted broken lines', () => {
    const total = (key: 'events' | 'malformed' | 'prefixed'): number =>
      files.reduce((sum, file) => sum + (key === 'events' ? file.events.length : file[key]), 0);
    expect(total('events')).toBe(summary.events);
    expect(total('malformed')).toBe(summary.malformedLines);
    expect(total('prefixed')).toBe(summary.prefixedLines);
    expect(summary.malformedLines).toBeGreaterThan(0);
    expect(summary.prefixedLines / (summary.events + summary.malformedLines)).toBeCloseTo(0.05, 1);
    for (const event of files.flatMap((file) => file.events)) {
      expect(event.context.course_id).toBe(COURSE_ID);
    }
  });

  it('keeps each file in time order and inside its UTC day', () => {
    for (const file of files) {
      const date = /tracking\.log-(\d{4})(\d{2})(\d{2})-/.exec(file.name);
      const dayStart = Date.parse(`${date?.[1]}-${date?.[2]}-${date?.[3]}T00:00:00Z`) * 1000;
      let previous = dayStart;
      for (const event of file.events) {
        const time = microseconds(event.time);
        expect(time).toBeGreaterThanOrEqual(previous);
        previous = time;
      }
      expect(previous).toBeLessThan(dayStart + 86_400_000_000);
    }
  });

  it('writes events in the raw shape: browser payloads as JSON text, server ones as requests or objects', () => {
    for (const event of files.flatMap((file) => file.events)) {
      expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
      expect(event.name).toBe(event.event_type);
      if (event.event_source === 'browser') {
        expect(typeof event.event).toBe('string');
        expect(event.context.path).toBe('/event');
      } else if (event.event_type?.startsWith('/')) {
        expect(JSON.parse(event.event as string)).toHaveProperty('GET');
      } else {
        expect(typeof event.event).toBe('object');
      }
    }
  });

  it('answers a valid Course Blocks tree rooted at the course', () => {
    const all = Object.values(blocks.blocks);
    expect(blocks.blocks[blocks.root]?.type).toBe('course');
    const parents = new Map<string, string>();
    for (const block of all) {
      expect(block.id).toMatch(/^block-v1:TestOrg\+GEN101\+2025_T2\+type@[a-z_]+\+block@\w+$/);
      expect(block.id.endsWith(`+type@${block.type}+block@${block.block_id}`)).toBe(true);
      for (const child of block.children ?? []) {
        expect(blocks.blocks[child]).toBeDefined();
        expect(parents.has(child)).toBe(false);
        parents.set(child, block.id);
      }
    }
    expect(parents.size).toBe(all.length - 1);
    const units = all.filter(
      (block) => blocks.blocks[parents.get(block.id) ?? '']?.type === 'sequential',
    );
    expect(units.length).toBe(summary.units);
    expect(units.every((unit) => unit.type === 'vertical')).toBe(true);
    const videos = all.filter((block) => block.type === 'video');
    expect(videos.length).toBe(summary.videos);
    for (const video of videos) {
      const duration = video.student_view_data?.duration;
      if (duration !== null) expect(duration).toBeGreaterThanOrEqual(60);
      if (duration !== null) expect(duration).toBeLessThanOrEqual(900);
    }
    for (const type of ['library_content', 'split_test']) {
      const container = all.find((block) => block.type === type);
      expect(container?.children?.length).toBeGreaterThan(1);
    }
  });

  it('reports video positions within the duration and consistent with the time played', () => {
    const durations = new Map<string, number>();
    for (const block of Object.values(blocks.blocks)) {
      const duration = block.student_view_data?.duration;
      if (duration) durations.set(block.block_id, duration);
    }
    const players = new Map<string, PlayerState>();
    let checked = 0;
    for (const event of files.flatMap((file) => file.events)) {
      if (event.event_source !== 'browser' || !VIDEO_EVENTS.has(event.event_type ?? '')) continue;
      const payload = JSON.parse(event.event as string) as VideoPayload;
      const duration = durations.get(payload.id) ?? payload.duration;
      for (const position of [payload.currentTime, payload.old_time, payload.new_time]) {
        if (position === undefined) continue;
        expect(position).toBeGreaterThanOrEqual(0);
        expect(position).toBeLessThanOrEqual(duration);
      }
      const player = players.get(event.username) ?? { speed: 1, playing: null, seekTo: null };
      players.set(event.username, player);
      checked += followPlayer(player, event.event_type ?? '', microseconds(event.time), payload);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('shows the behaviours the processor must handle', () => {
    const events = files.flatMap((file) => file.events);
    const types = new Set(events.map((event) => event.event_type));
    for (const type of [
      'edx.ui.lms.outline.selected',
      'edx.ui.lms.sequence.next_selected',
      'edx.ui.lms.sequence.previous_selected',
      'edx.ui.lms.sequence.tab_selected',
      'edx.ui.lms.link_clicked',
      'edx.completion.block_completion.changed',
      'edx.course.enrollment.activated',
      'edx.grades.problem.submitted',
      'edx.forum.thread.viewed',
      'problem_check',
      'page_close',
      'seek_video',
      'speed_change_video',
      `/courses/${COURSE_ID}/progress`,
      `/courses/${COURSE_ID}/instructor`,
    ]) {
      expect(types, type).toContain(type);
    }
    expect(events.some((event) => event.event_type?.startsWith('/xblock/block-v1:'))).toBe(true);
    expect(events.some((event) => event.host.startsWith('studio.'))).toBe(true);
    expect(
      events.some((event) => event.username === '' && event.event_type?.startsWith('edx.grades.')),
    ).toBe(true);
  });
});

describe('generateCourse options', () => {
  it('rejects a course id that is not course-v1', async () => {
    await expect(
      generateCourse(join(folder, 'bad'), { courseId: 'edX/DemoX/Demo' }),
    ).rejects.toThrow(/course-v1/);
  });

  it('rejects a day count below one', async () => {
    await expect(generateCourse(join(folder, 'bad'), { days: 0 })).rejects.toThrow(/days/);
  });
});

const VIDEO_EVENTS = new Set([
  'load_video',
  'play_video',
  'pause_video',
  'seek_video',
  'stop_video',
  'speed_change_video',
  'show_transcript',
]);

interface VideoPayload {
  id: string;
  duration: number;
  currentTime?: number;
  current_time?: number;
  old_time?: number;
  new_time?: number;
  new_speed?: string;
}

interface PlayerState {
  speed: number;
  playing: { id: string; time: number; position: number } | null;
  seekTo: { id: string; position: number } | null;
}

/** Replays one learner's player; returns how many positions it checked against the clock. */
function followPlayer(
  player: PlayerState,
  type: string,
  time: number,
  payload: VideoPayload,
): number {
  const playing = player.playing?.id === payload.id ? player.playing : null;
  const expected = playing
    ? Math.min(payload.duration, playing.position + ((time - playing.time) / 1e6) * player.speed)
    : null;
  let checked = 0;
  const check = (reported: number | undefined): void => {
    if (expected === null || reported === undefined) return;
    expect(Math.abs(reported - expected)).toBeLessThan(1e-3);
    checked++;
  };
  switch (type) {
    case 'play_video': {
      // Right after a seek, players report a stale time: the seek's target is where it plays.
      const seekTo = player.seekTo?.id === payload.id ? player.seekTo.position : null;
      player.playing = { id: payload.id, time, position: seekTo ?? payload.currentTime ?? 0 };
      player.seekTo = null;
      return 0;
    }
    case 'speed_change_video':
      check(payload.current_time);
      if (playing && expected !== null)
        player.playing = { id: payload.id, time, position: expected };
      player.speed = Number(payload.new_speed);
      return checked;
    case 'pause_video':
    case 'stop_video':
      check(payload.currentTime);
      player.playing = null;
      return checked;
    case 'seek_video':
      check(payload.old_time);
      player.playing = null;
      player.seekTo = { id: payload.id, position: payload.new_time ?? 0 };
      return checked;
    default:
      if (!playing) player.playing = null;
      return 0;
  }
}

async function readLogFile(path: string): Promise<ParsedFile> {
  const text = gunzipSync(await readFile(path)).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  const parsed: ParsedFile = { name: basename(path), lines, events: [], malformed: 0, prefixed: 0 };
  for (const line of lines) {
    const prefix = TUTOR_PREFIX.exec(line);
    if (prefix) parsed.prefixed++;
    else expect(line.startsWith('{')).toBe(true);
    const event = parseEvent(line.slice(prefix ? prefix[0].length : 0));
    if (event) parsed.events.push(event);
    else parsed.malformed++;
  }
  return parsed;
}

function parseEvent(text: string): RawEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<RawEvent>;
  if (!(event.event_type ?? event.name) || typeof event.time !== 'string') return null;
  if (!event.context?.course_id) return null;
  return event as RawEvent;
}

function microseconds(time: string): number {
  return Date.parse(`${time.slice(0, 19)}Z`) * 1000 + Number(time.slice(20, 26));
}

/** SHA-256 of the blocks file and of each log file, in that order. */
async function hashAll(result: GenerateSummary): Promise<string[]> {
  const files = [result.blocksFile, ...result.logFiles];
  const contents = await Promise.all(files.map((file) => readFile(file)));
  return contents.map((content) => createHash('sha256').update(content).digest('hex'));
}
