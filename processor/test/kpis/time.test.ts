// kpis.md §5, sessions and time spent: hand-built event streams whose credits are derived by hand
// from the rules (not from what the processor outputs). Every case also checks that time is
// never dropped: per learner and day, unit_day + page_day = learner_day.
import { learners, overview, pages } from '@course-stats/db';
import { describe, expect, it } from 'vitest';
import {
  COURSE,
  componentKey,
  events,
  key,
  runKpis,
  unitLoad,
  type CourseSpec,
  type KpiRun,
  type Learner,
} from './harness.ts';

const SPEC: CourseSpec = [[[['html'], ['html'], ['html', 'problem']]]];
const ana: Learner = { username: 'ana', user_id: 11 };
const bob: Learner = { username: 'bob', user_id: 12 };

/** A Learning-MFE API call: a server event about no unit and no page kind (neutral). */
const apiCall = (who: Learner, time: number | string) =>
  events.server(who, time, `/api/courseware/sequence/${key('1.1')}`);
/** A browser event without any key or page (neutral). */
const problemGraded = (who: Learner, time: number | string) =>
  events.browser(who, time, 'problem_graded', {});
/** A unit load of a unit that is not in the structure (unresolved). */
const unknownUnit = (who: Learner, time: number | string) =>
  events.server(who, time, '/xblock/block-v1:Test+K101+2025+type@vertical+block@not_in_course');
/** page_close from the page of a unit (page_close is neutral whatever its page). */
const pageClose = (who: Learner, time: number | string, label: string) =>
  events.browser(who, time, 'page_close', {}, `https://lms.example.com/xblock/${key(label)}`);

/** Per learner and local day, the time of unit_day plus page_day equals learner_day's time. */
async function expectConserved(run: KpiRun): Promise<void> {
  const parts: Record<string, number> = {};
  for (const row of [...(await run.unitDay()), ...(await run.pageDay())]) {
    const k = `${row.username as string} ${row.day as string}`;
    parts[k] = (parts[k] ?? 0) + (row.time_s as number);
  }
  const totals: Record<string, number> = {};
  for (const row of await run.learnerDay()) {
    totals[`${row.username as string} ${row.day as string}`] = row.time_s as number;
  }
  expect(parts).toEqual(totals);
}

const learnersOf = (run: KpiRun, from: string, to: string) =>
  learners(run.db.sql, {
    courseId: COURSE,
    from,
    to,
    completionExcludedTypes: ['discussion'],
    page: 1,
    pageSize: 50,
  });

describe('time spent (kpis.md §5)', () => {
  it('gives 0 s to a page_close that ends a session, and its gap to one that does not', async () => {
    // session 1: 1.1.1 @0 (50 s), page_close @50 (30 s, neutral: inherits 1.1.1 although its
    // page is 1.1.2), 1.1.3 @80 (last: 600 s). Session 2 (2920 s later): 1.1.2 @3000 (30 s),
    // page_close @3030 (last of the session and page_close: 0 s, inherits 1.1.2).
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      pageClose(ana, 50, '1.1.2'),
      unitLoad(ana, 80, '1.1.3'),
      unitLoad(ana, 3000, '1.1.2'),
      pageClose(ana, 3030, '1.1.2'),
    ]);
    try {
      expect(
        (await run.learnerEvents('ana')).map((r) => [r.own_place, r.place, r.credit_s]),
      ).toEqual([
        [key('1.1.1'), key('1.1.1'), 50],
        [null, key('1.1.1'), 30],
        [key('1.1.3'), key('1.1.3'), 600],
        [key('1.1.2'), key('1.1.2'), 30],
        [null, key('1.1.2'), 0],
      ]);
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 80, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 30, visits: 1 },
        { username: 'ana', unit_key: key('1.1.3'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 710, sessions: 2, visits: 3 },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('credits a session across midnight to the local day of each event, the session to its first day', async () => {
    // 23:50 1.1.1 (300 s, 03-03), 23:55 1.1.2 (600 s, 03-03), 00:05 1.1.1 (last: 600 s, 03-04).
    const run = await runKpis(SPEC, [
      unitLoad(ana, '2025-03-03T23:50:00Z', '1.1.1'),
      unitLoad(ana, '2025-03-03T23:55:00Z', '1.1.2'),
      unitLoad(ana, '2025-03-04T00:05:00Z', '1.1.1'),
    ]);
    try {
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 300, visits: 1 },
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-04', time_s: 600, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 900, sessions: 1, visits: 2 },
        { username: 'ana', day: '2025-03-04', time_s: 600, sessions: 0, visits: 1 },
      ]);
      const range = { courseId: COURSE, from: '2025-03-04', to: '2025-03-04' };
      const day2 = await overview(run.db.sql, range);
      expect([day2.active_learners, day2.time_s, day2.sessions, day2.visits]).toEqual([
        1, 600, 0, 1,
      ]);
      const both = await overview(run.db.sql, { ...range, from: '2025-03-03' });
      expect([both.active_learners, both.time_s, both.sessions, both.visits]).toEqual([
        1, 1500, 1, 3,
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('moves events to the local day of Asia/Kolkata (UTC+05:30)', async () => {
    // 18:20Z = 23:50 IST on 03-03 (1.1.1, 1200 s); 18:40Z = 00:10 IST on 03-04 (1.1.2, last: 600 s).
    const lines = [
      unitLoad(ana, '2025-03-03T18:20:00Z', '1.1.1'),
      unitLoad(ana, '2025-03-03T18:40:00Z', '1.1.2'),
    ];
    const run = await runKpis(SPEC, lines, { timeZone: 'Asia/Kolkata' });
    try {
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 1200, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-04', time_s: 600, visits: 1 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 1200, sessions: 1, visits: 1 },
        { username: 'ana', day: '2025-03-04', time_s: 600, sessions: 0, visits: 1 },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
    // The same events in UTC are both on 03-03.
    const utc = await runKpis(SPEC, lines);
    try {
      expect(await utc.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 1800, sessions: 1, visits: 2 },
      ]);
    } finally {
      await utc.close();
    }
  });

  it('moves sessions and completions to the local day of America/Bogota (UTC−05:00)', async () => {
    // 03:00Z = 22:00 on 03-03 (1.1.1, 300 s); 03:05Z completion of 1.1.1/1 (placed in 1.1.1,
    // last of its session: 600 s, completion dated 03-03); 05:10Z = 00:10 on 03-04 after a gap
    // of 2 h 05 min: a new session (1.1.2, last: 600 s).
    const run = await runKpis(
      SPEC,
      [
        unitLoad(ana, '2025-03-04T03:00:00Z', '1.1.1'),
        events.named(ana, '2025-03-04T03:05:00Z', 'edx.completion.block_completion.changed', {
          user_id: 11,
          course_id: COURSE,
          block_id: componentKey('1.1.1/1', 'html'),
          block_type: 'html',
          completion: 1.0,
        }),
        unitLoad(ana, '2025-03-04T05:10:00Z', '1.1.2'),
      ],
      { timeZone: 'America/Bogota' },
    );
    try {
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 900, sessions: 1, visits: 1 },
        { username: 'ana', day: '2025-03-04', time_s: 600, sessions: 1, visits: 1 },
      ]);
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 900, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-04', time_s: 600, visits: 1 },
      ]);
      expect(await run.completions()).toEqual([
        { username: 'ana', block_key: componentKey('1.1.1/1', 'html'), day: '2025-03-03' },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('forward-fills the current place over neutral and unresolved events', async () => {
    // 1.1.1 @0 (60 s), API call @60 (neutral, 40 s → 1.1.1), unknown unit @100 (unresolved,
    // 50 s → 1.1.1), progress page @150 (30 s → progress), problem_graded @180 (neutral, 20 s →
    // progress), 1.1.2 @200 (last: 600 s).
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      apiCall(ana, 60),
      unknownUnit(ana, 100),
      events.server(ana, 150, `/courses/${COURSE}/progress`),
      problemGraded(ana, 180),
      unitLoad(ana, 200, '1.1.2'),
    ]);
    try {
      expect(
        (await run.learnerEvents('ana')).map((r) => [r.own_place, r.place, r.credit_s]),
      ).toEqual([
        [key('1.1.1'), key('1.1.1'), 60],
        [null, key('1.1.1'), 40],
        [null, key('1.1.1'), 50],
        ['progress', 'progress', 30],
        [null, 'progress', 20],
        [key('1.1.2'), key('1.1.2'), 600],
      ]);
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 150, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.pageDay()).toEqual([
        { username: 'ana', page_kind: 'progress', day: '2025-03-03', time_s: 50 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 800, sessions: 1, visits: 2 },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('puts the time before the first placed event of a session in unplaced, and in the total', async () => {
    // API call @0 (30 s, no place yet), unknown unit @30 (70 s, still none), 1.1.1 @100 (600 s).
    const run = await runKpis(SPEC, [
      apiCall(ana, 0),
      unknownUnit(ana, 30),
      unitLoad(ana, 100, '1.1.1'),
    ]);
    try {
      expect((await run.learnerEvents('ana')).map((r) => [r.place, r.credit_s])).toEqual([
        [null, 30],
        [null, 70],
        [key('1.1.1'), 600],
      ]);
      expect(await run.pageDay()).toEqual([
        { username: 'ana', page_kind: 'unplaced', day: '2025-03-03', time_s: 100 },
      ]);
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 700, sessions: 1, visits: 1 },
      ]);
      const range = { courseId: COURSE, from: '2025-03-03', to: '2025-03-03' };
      expect(await pages(run.db.sql, range)).toEqual({
        home: 0,
        progress: 0,
        discussion: 0,
        other: 0,
        unplaced: 100,
      });
      expect((await overview(run.db.sql, range)).time_s).toBe(700);
      expect((await learnersOf(run, '2025-03-03', '2025-03-03')).rows.map((r) => r.time_s)).toEqual(
        [700],
      );
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('ends the session after a gap over 30 min, and the place does not carry over', async () => {
    // 1.1.1 @0 (100 s), API call @100 (last of session 1: 600 s → 1.1.1), API call @1901 (gap
    // 1801 s: session 2, no place yet, 59 s → unplaced), 1.1.2 @1960 (last: 600 s).
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      apiCall(ana, 100),
      apiCall(ana, 1901),
      unitLoad(ana, 1960, '1.1.2'),
    ]);
    try {
      expect((await run.learnerEvents('ana')).map((r) => [r.place, r.credit_s])).toEqual([
        [key('1.1.1'), 100],
        [key('1.1.1'), 600],
        [null, 59],
        [key('1.1.2'), 600],
      ]);
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 700, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.pageDay()).toEqual([
        { username: 'ana', page_kind: 'unplaced', day: '2025-03-03', time_s: 59 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 1359, sessions: 2, visits: 2 },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });

  it('keeps the sessions and places of two learners apart (interleaved events)', async () => {
    // ana: 1.1.1 @0 (100 s), 1.1.2 @100 (last: 600 s). bob: API call @50 (50 s, unplaced: ana's
    // place is not his), 1.1.3 @100 (last: 600 s).
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      apiCall(bob, 50),
      unitLoad(ana, 100, '1.1.2'),
      unitLoad(bob, 100, '1.1.3'),
    ]);
    try {
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 100, visits: 1 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 600, visits: 1 },
        { username: 'bob', unit_key: key('1.1.3'), day: '2025-03-03', time_s: 600, visits: 1 },
      ]);
      expect(await run.pageDay()).toEqual([
        { username: 'bob', page_kind: 'unplaced', day: '2025-03-03', time_s: 50 },
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 700, sessions: 1, visits: 2 },
        { username: 'bob', day: '2025-03-03', time_s: 650, sessions: 1, visits: 1 },
      ]);
      await expectConserved(run);
    } finally {
      await run.close();
    }
  });
});
