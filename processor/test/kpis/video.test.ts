// kpis.md §8, video: viewings built from play / pause / stop / seek, the drop rules, and the
// per-video numbers of the read models (videos, videoTimeline), each derived by hand.
import { overview, videoTimeline, videos, type VideoRow } from '@course-stats/db';
import { describe, expect, it } from 'vitest';
import {
  COURSE,
  at,
  blockId,
  componentKey,
  events,
  key,
  runKpis,
  unitLoad,
  type CourseSpec,
  type KpiRun,
  type Learner,
} from './harness.ts';

// V1, V2: 120 s in the structure; V3: no duration in the structure; V4: 10 s.
const SPEC: CourseSpec = [
  [
    [
      [{ type: 'video', duration: 120 }, 'html'],
      [{ type: 'video', duration: 120 }],
      [{ type: 'video' }],
      [{ type: 'video', duration: 10 }],
    ],
  ],
];
const V1 = '1.1.1/1';
const V2 = '1.1.2/1';
const V3 = '1.1.3/1';
const V4 = '1.1.4/1';
const vkey = (label: string) => componentKey(label, 'video');

const ana: Learner = { username: 'ana', user_id: 11 };
const bob: Learner = { username: 'bob', user_id: 12 };
const cid: Learner = { username: 'cid', user_id: 13 };
const dan: Learner = { username: 'dan', user_id: 14 };

type Json = Record<string, unknown>;

/** A browser video event as the LMS video player logs it (payload id = the bare block id). */
const video = (who: Learner, time: number | string, name: string, label: string, data: Json) =>
  events.browser(who, time, name, { id: blockId(label), code: 'abcdefghijk', ...data });
const play = (
  who: Learner,
  time: number | string,
  label: string,
  currentTime: number,
  extra = {},
) => video(who, time, 'play_video', label, { currentTime, ...extra });
const pause = (
  who: Learner,
  time: number | string,
  label: string,
  currentTime: number,
  extra = {},
) => video(who, time, 'pause_video', label, { currentTime, ...extra });
const seek = (
  who: Learner,
  time: number | string,
  label: string,
  oldTime: number,
  newTime: number,
) =>
  video(who, time, 'seek_video', label, {
    old_time: oldTime,
    new_time: newTime,
    type: 'onSlideSeek',
  });

/** The same in the "processed" shape (name, timestamp, data, context) of event-routing-backends. */
const processed = (
  who: Learner,
  time: number | string,
  name: string,
  label: string,
  data: Json,
) => ({
  name,
  timestamp: at(time),
  data: { id: blockId(label), code: 'abcdefghijk', duration: 120, ...data },
  context: {
    course_id: COURSE,
    user_id: who.user_id,
    username: who.username,
    event_source: 'browser',
    host: 'lms.example.com',
    path: '/event',
    page: `https://lms.example.com/xblock/${key('1.1.2')}`,
  },
});

/** Viewings as [username, video label, start, end], in the harness order. */
async function spans(run: KpiRun): Promise<unknown[][]> {
  const labels = new Map([V1, V2, V3, V4].map((label) => [vkey(label), label]));
  return (await run.viewings()).map((r) => [
    r.username,
    labels.get(r.video_key as string) ?? r.video_key,
    r.start_pos,
    r.end_pos,
  ]);
}

type Numbers = Pick<
  VideoRow,
  'duration' | 'views' | 'viewers' | 'watch_s' | 'completed_viewers' | 'mean_coverage'
>;

/** videos() for a range, as label → numbers. */
async function videoNumbers(
  run: KpiRun,
  from: string,
  to: string,
): Promise<Record<string, Numbers>> {
  const rows = await videos(run.db.sql, { courseId: COURSE, from, to });
  const labels = new Map([V1, V2, V3, V4].map((label) => [vkey(label), label]));
  return Object.fromEntries(
    rows.map((r) => [
      labels.get(r.id) ?? r.id,
      {
        duration: r.duration,
        views: r.views,
        viewers: r.viewers,
        watch_s: r.watch_s,
        completed_viewers: r.completed_viewers,
        mean_coverage: r.mean_coverage,
      },
    ]),
  );
}

const DAY = '2025-03-03';
const none = (duration: number | null): Numbers => ({
  duration,
  views: 0,
  viewers: 0,
  watch_s: 0,
  completed_viewers: 0,
  mean_coverage: null,
});

describe('video viewings (kpis.md §8)', () => {
  it('makes a viewing from a play to the pause of the same video', async () => {
    const run = await runKpis(SPEC, [play(ana, 0, V1, 10), pause(ana, 30, V1, 40)]);
    try {
      expect(await run.viewings()).toEqual([
        { username: 'ana', video_key: vkey(V1), day: DAY, start_pos: 10, end_pos: 40 },
      ]);
      expect((await videoNumbers(run, DAY, DAY))[V1]).toEqual({
        duration: 120,
        views: 1,
        viewers: 1,
        watch_s: 30,
        completed_viewers: 0,
        mean_coverage: 0.25,
      });
    } finally {
      await run.close();
    }
  });

  it("ends a viewing at a seek's old_time", async () => {
    const run = await runKpis(SPEC, [play(ana, 0, V1, 0), seek(ana, 25, V1, 25, 60)]);
    try {
      expect(await spans(run)).toEqual([['ana', V1, 0, 25]]);
    } finally {
      await run.close();
    }
  });

  it("starts a play right after a seek at the seek's new_time, not the stale currentTime", async () => {
    // seek 5 → 50, then play reporting currentTime 5 (stale), then pause at 62: [50, 62].
    // cid: seek V1 5 → 50, a viewing of V2 in between, then play V1 (stale 5), pause at 60: the
    // previous viewing event on V1 was still the seek, so [50, 60].
    const run = await runKpis(SPEC, [
      seek(bob, 0, V1, 5, 50),
      play(bob, 1, V1, 5),
      pause(bob, 13, V1, 62),
      seek(cid, 0, V1, 5, 50),
      play(cid, 1, V2, 0),
      pause(cid, 11, V2, 10),
      play(cid, 12, V1, 5),
      pause(cid, 22, V1, 60),
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['bob', V1, 50, 62],
        ['cid', V2, 0, 10],
        ['cid', V1, 50, 60],
      ]);
    } finally {
      await run.close();
    }
  });

  it('drops a play followed by another play, of the same or of another video', async () => {
    const run = await runKpis(SPEC, [
      // ana: play @0, play @30 (the first has no end), pause @45: [30, 45]
      play(ana, 0, V1, 0),
      play(ana, 30, V1, 30),
      pause(ana, 45, V1, 45),
      // bob: play V1 @0, play V2 @10 (V1 has no end), pause V2 @30: V2 [0, 20]
      play(bob, 0, V1, 0),
      play(bob, 10, V2, 0),
      pause(bob, 30, V2, 20),
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['ana', V1, 30, 45],
        ['bob', V2, 0, 20],
      ]);
    } finally {
      await run.close();
    }
  });

  it('drops a play whose next viewing event is of another video', async () => {
    // play V1 @0, pause V2 @20 (no play of V2 before: no viewing), pause V1 @30: the play of V1
    // met an event of another video first, so it has no end.
    const run = await runKpis(SPEC, [
      play(ana, 0, V1, 0),
      pause(ana, 20, V2, 20),
      pause(ana, 30, V1, 30),
    ]);
    try {
      expect(await run.viewings()).toEqual([]);
    } finally {
      await run.close();
    }
  });

  it('drops a play without an end in its session, and ignores non-viewing video events', async () => {
    const run = await runKpis(SPEC, [
      // ana: play @0, a unit load @100, the pause comes 1801 s later in a new session: dropped
      play(ana, 0, V1, 0),
      unitLoad(ana, 100, '1.1.2'),
      pause(ana, 1901, V1, 1000),
      // bob: a play and nothing after it: dropped
      play(bob, 0, V1, 0),
      // cid: play @0, speed change @5 (no viewing), pause @20: [0, 20]
      play(cid, 0, V1, 0),
      video(cid, 5, 'speed_change_video', V1, {
        current_time: 5,
        old_speed: '1.0',
        new_speed: '1.5',
      }),
      pause(cid, 20, V1, 20),
    ]);
    try {
      expect(await spans(run)).toEqual([['cid', V1, 0, 20]]);
    } finally {
      await run.close();
    }
  });

  it('drops viewings shorter than 0.25 s, reversed, or with a missing, negative or non-finite offset', async () => {
    const run = await runKpis(SPEC, [
      play(ana, 0, V1, 10),
      pause(ana, 1, V1, 10.2), // 0.2 s: dropped
      play(ana, 2, V1, 20),
      pause(ana, 3, V1, 20.25), // exactly 0.25 s: kept
      play(ana, 4, V1, -1),
      pause(ana, 10, V1, 10), // negative start: dropped
      play(ana, 11, V1, 50),
      pause(ana, 12, V1, 40), // end < start: dropped
      video(ana, 13, 'play_video', V1, {}),
      pause(ana, 20, V1, 10), // no currentTime: dropped
      video(ana, 21, 'play_video', V1, { currentTime: 'NaN' }),
      pause(ana, 30, V1, 10), // not a finite number: dropped
      play(ana, 31, V1, 0),
      pause(ana, 36, V1, 5), // kept
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['ana', V1, 20, 20.25],
        ['ana', V1, 0, 5],
      ]);
    } finally {
      await run.close();
    }
  });

  it('drops viewings ending after duration + 1 s, with the duration of the structure or of events', async () => {
    const run = await runKpis(SPEC, [
      play(ana, 0, V1, 100),
      pause(ana, 21, V1, 121), // 121 ≤ 120 + 1: counts
      play(bob, 0, V1, 100),
      pause(bob, 22, V1, 121.5), // 121.5 > 121: dropped
      // V3 has no duration in the structure; its events say 60 s
      play(cid, 0, V3, 50, { duration: 60 }),
      pause(cid, 11, V3, 61, { duration: 60 }), // 61 ≤ 61: counts
      play(dan, 0, V3, 50, { duration: 60 }),
      pause(dan, 12, V3, 62, { duration: 60 }), // 62 > 61: dropped
    ]);
    try {
      const numbers = await videoNumbers(run, DAY, DAY);
      expect(numbers[V1]).toEqual({
        duration: 120,
        views: 1,
        viewers: 1,
        watch_s: 21,
        completed_viewers: 0,
        mean_coverage: 21 / 120,
      });
      expect(numbers[V3]).toEqual({
        duration: 60,
        views: 1,
        viewers: 1,
        watch_s: 11,
        completed_viewers: 0,
        mean_coverage: 11 / 60,
      });
      expect(numbers[V2]).toEqual(none(120));
      const totals = await overview(run.db.sql, { courseId: COURSE, from: DAY, to: DAY });
      expect([totals.video_views, totals.video_watch_s]).toEqual([2, 32]);
    } finally {
      await run.close();
    }
  });

  it('takes the largest position as the duration when neither structure nor events give one, and drops nothing for it', async () => {
    // V3 without any duration: [0, 30] and [40, 50]; duration = largest position 50;
    // coverage (30 + 10) / 50 = 0.8.
    const run = await runKpis(SPEC, [
      play(ana, 0, V3, 0),
      pause(ana, 30, V3, 30),
      play(ana, 40, V3, 40),
      pause(ana, 50, V3, 50),
    ]);
    try {
      expect((await videoNumbers(run, DAY, DAY))[V3]).toEqual({
        duration: 50,
        views: 2,
        viewers: 1,
        watch_s: 40,
        completed_viewers: 0,
        mean_coverage: 0.8,
      });
    } finally {
      await run.close();
    }
  });

  it('takes coverage as the union of overlapping viewings, capped at 1, completed at 0.9', async () => {
    const eve: Learner = { username: 'eve', user_id: 15 };
    const run = await runKpis(SPEC, [
      // ana: [0, 60] ∪ [30, 90] = 90 s → 0.75
      play(ana, 0, V1, 0),
      pause(ana, 60, V1, 60),
      play(ana, 70, V1, 30),
      pause(ana, 130, V1, 90),
      // bob: [0, 60] ∪ [50, 110] = 110 s → 0.9166…, completed
      play(bob, 0, V1, 0),
      pause(bob, 60, V1, 60),
      play(bob, 70, V1, 50),
      pause(bob, 130, V1, 110),
      // cid: [0, 120.5] (≤ 121, valid) → 120.5 / 120 capped at 1, completed
      play(cid, 0, V1, 0),
      pause(cid, 121, V1, 120.5),
      // dan: [0, 108] → exactly 0.9, completed
      play(dan, 0, V1, 0),
      pause(dan, 108, V1, 108),
      // eve: [0, 60] → 0.5
      play(eve, 0, V1, 0),
      pause(eve, 60, V1, 60),
    ]);
    try {
      const v1 = (await videoNumbers(run, DAY, DAY))[V1]!;
      expect({ ...v1, mean_coverage: undefined }).toEqual({
        duration: 120,
        views: 7,
        viewers: 5,
        watch_s: 60 + 60 + 60 + 60 + 120.5 + 108 + 60,
        completed_viewers: 3,
        mean_coverage: undefined,
      });
      expect(v1.mean_coverage).toBeCloseTo((0.75 + 110 / 120 + 1 + 0.9 + 0.5) / 5, 10);
    } finally {
      await run.close();
    }
  });

  it('counts coverage at the range end over every viewing started on or before it', async () => {
    // ana: [0, 60] on 03-03, [60, 120] on 03-05.
    const run = await runKpis(SPEC, [
      play(ana, '2025-03-03T10:00:00Z', V1, 0),
      pause(ana, '2025-03-03T10:01:00Z', V1, 60),
      play(ana, '2025-03-05T10:00:00Z', V1, 60),
      pause(ana, '2025-03-05T10:01:00Z', V1, 120),
    ]);
    try {
      expect((await videoNumbers(run, '2025-03-03', '2025-03-04'))[V1]).toEqual({
        duration: 120,
        views: 1,
        viewers: 1,
        watch_s: 60,
        completed_viewers: 0,
        mean_coverage: 0.5,
      });
      expect((await videoNumbers(run, '2025-03-05', '2025-03-05'))[V1]).toEqual({
        duration: 120,
        views: 1,
        viewers: 1,
        watch_s: 60,
        completed_viewers: 1,
        mean_coverage: 1,
      });
    } finally {
      await run.close();
    }
  });

  it('dates a viewing by the day it starts', async () => {
    const run = await runKpis(SPEC, [
      play(ana, '2025-03-03T23:59:50Z', V1, 0),
      pause(ana, '2025-03-04T00:00:20Z', V1, 30),
    ]);
    try {
      expect(await run.viewings()).toEqual([
        { username: 'ana', video_key: vkey(V1), day: '2025-03-03', start_pos: 0, end_pos: 30 },
      ]);
      expect((await videoNumbers(run, '2025-03-04', '2025-03-04'))[V1]).toEqual(none(120));
      expect((await videoNumbers(run, '2025-03-03', '2025-03-03'))[V1]!.watch_s).toBe(30);
      const series = (await overview(run.db.sql, { courseId: COURSE, from: DAY, to: '2025-03-04' }))
        .series;
      expect(series.map((d) => [d.date, d.video_watch_s])).toEqual([
        ['2025-03-03', 30],
        ['2025-03-04', 0],
      ]);
    } finally {
      await run.close();
    }
  });

  it('counts per second the viewings and viewers covering it; back-to-back viewings never share one', async () => {
    // V4 (10 s). ana: [0, 3.5] and [3.5, 6] back to back, then seek 6 → 1 and play (stale
    // currentTime 6): [1, 2.4]. bob: [2, 5].
    // Covered seconds (ceil(a − 0.5) ≤ s < b − 0.5): [0, 3.5] → 0-2; [3.5, 6] → 3-5;
    // [1, 2.4] → 1; [2, 5] → 2-4.
    const run = await runKpis(SPEC, [
      play(ana, 0, V4, 0),
      pause(ana, 4, V4, 3.5),
      play(ana, 5, V4, 3.5),
      pause(ana, 8, V4, 6),
      seek(ana, 10, V4, 6, 1),
      play(ana, 11, V4, 6),
      pause(ana, 13, V4, 2.4),
      play(bob, 0, V4, 2),
      pause(bob, 3, V4, 5),
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['ana', V4, 0, 3.5],
        ['ana', V4, 3.5, 6],
        ['ana', V4, 1, 2.4],
        ['bob', V4, 2, 5],
      ]);
      const timeline = await videoTimeline(run.db.sql, {
        courseId: COURSE,
        videoKey: vkey(V4),
        from: DAY,
        to: DAY,
      });
      const expected = [
        [0, 1, 1, 0],
        [1, 1, 2, 1],
        [2, 2, 2, 0],
        [3, 2, 2, 0],
        [4, 2, 2, 0],
        [5, 1, 1, 0],
        [6, 0, 0, 0],
        [7, 0, 0, 0],
        [8, 0, 0, 0],
        [9, 0, 0, 0],
      ].map(([s, viewers, views, repeats]) => ({ s, viewers, views, repeats }));
      expect(timeline).toEqual({ duration: 10, seconds: expected });
      const v4 = (await videoNumbers(run, DAY, DAY))[V4]!;
      expect([v4.views, v4.viewers, v4.completed_viewers]).toEqual([4, 2, 0]);
      expect(v4.watch_s).toBeCloseTo(3.5 + 2.5 + 1.4 + 3, 10);
      // ana: [0, 6] = 0.6; bob: 0.3
      expect(v4.mean_coverage).toBeCloseTo(0.45, 10);
      // another range: no viewing covers any second
      const later = await videoTimeline(run.db.sql, {
        courseId: COURSE,
        videoKey: vkey(V4),
        from: '2025-03-04',
        to: '2025-03-04',
      });
      expect(later!.seconds.every((s) => s.views === 0 && s.viewers === 0)).toBe(true);
    } finally {
      await run.close();
    }
  });

  it('reads the legacy and the current event names alike (processed shape too)', async () => {
    const run = await runKpis(SPEC, [
      processed(ana, 0, 'edx.video.played', V2, { currentTime: 10 }),
      processed(ana, 10, 'edx.video.paused', V2, { currentTime: 20 }),
      play(ana, 20, V2, 30),
      processed(ana, 30, 'edx.video.paused', V2, { currentTime: 40 }),
      processed(ana, 40, 'edx.video.played', V2, { currentTime: 50 }),
      pause(ana, 50, V2, 60),
      processed(ana, 60, 'edx.video.played', V2, { currentTime: 70 }),
      processed(ana, 70, 'edx.video.stopped', V2, { currentTime: 80 }),
      play(ana, 80, V2, 80),
      processed(ana, 90, 'edx.video.position.changed', V2, { old_time: 90, new_time: 100 }),
      processed(ana, 91, 'edx.video.played', V2, { currentTime: 90 }),
      video(ana, 101, 'stop_video', V2, { currentTime: 110 }),
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['ana', V2, 10, 20],
        ['ana', V2, 30, 40],
        ['ana', V2, 50, 60],
        ['ana', V2, 70, 80],
        ['ana', V2, 80, 90],
        ['ana', V2, 100, 110],
      ]);
    } finally {
      await run.close();
    }
  });

  it('names a video by payload id only: a video event without one is no viewing, yet places the learner', async () => {
    // the player always sends the id; here only the event's module names the video
    const withModule = (name: string, time: number, currentTime: number) => {
      const event = events.browser(ana, time, name, { currentTime, code: 'abcdefghijk' });
      const context = event.context as Json;
      return { ...event, context: { ...context, module: { usage_key: vkey(V1) } } };
    };
    const run = await runKpis(SPEC, [
      withModule('play_video', 0, 0),
      withModule('pause_video', 30, 30),
    ]);
    try {
      expect(await spans(run)).toEqual([]);
      expect((await run.learnerEvents('ana')).map((r) => r.own_place)).toEqual([
        key('1.1.1'),
        key('1.1.1'),
      ]);
    } finally {
      await run.close();
    }
  });

  it('matches a bare block id, a usage key and the legacy i4x- id; other videos count nowhere', async () => {
    const withId = (name: string, time: number, id: string, currentTime: number) =>
      events.browser(ana, time, name, { id, currentTime, code: 'abcdefghijk' });
    const run = await runKpis(SPEC, [
      withId('play_video', 0, blockId(V1), 0),
      withId('pause_video', 10, vkey(V1), 10),
      withId('play_video', 20, `i4x-Test-K101-video-${blockId(V1)}`, 20),
      withId('pause_video', 30, `i4x-Test-K101-video-${blockId(V1)}`, 30),
      withId('play_video', 40, 'f00dfeed0000000000000000000000aa', 0),
      withId('pause_video', 50, 'f00dfeed0000000000000000000000aa', 10),
    ]);
    try {
      expect(await spans(run)).toEqual([
        ['ana', V1, 0, 10],
        ['ana', V1, 20, 30],
      ]);
      const totals = await overview(run.db.sql, { courseId: COURSE, from: DAY, to: DAY });
      expect([totals.video_views, totals.video_watch_s]).toEqual([2, 20]);
    } finally {
      await run.close();
    }
  });
});
