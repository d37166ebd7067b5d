// Visits (kpis.md §6): an arrival at a unit is a visit. Checked on hand-built event streams
// through the visit flag of every event, unit_day (time and visits per learner, unit and local
// day) and learner_day. Every expected number is worked out by hand from kpis.md.
import { describe, expect, it } from 'vitest';
import {
  blockId,
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

type Json = Record<string, unknown>;
type Settings = Parameters<typeof runKpis>[2];

// 1 ─ 1.1 ─ 1.1.1 html, 1.1.2 problem, 1.1.3 html
//   └ 1.2 ─ 1.2.1 video + html, 1.2.2 problem
const SPEC: CourseSpec = [
  [
    [['html'], ['problem'], ['html']],
    [['video', 'html'], ['problem']],
  ],
];
const UNITS = ['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2'];
const DAY = '2025-03-03';
const LMS = 'https://lms.example.com';
const ana: Learner = { username: 'ana', user_id: 11 };
const ben: Learner = { username: 'ben', user_id: 12 };

const names = new Map(UNITS.map((l) => [key(l), l]));
const label = (place: unknown) => (typeof place === 'string' ? (names.get(place) ?? place) : place);

/** Per event of a learner in time order: [own place, visit]. */
async function visitFlags(run: KpiRun, username = 'ana'): Promise<unknown[][]> {
  return (await run.learnerEvents(username)).map((r) => [label(r.own_place), r.visit]);
}

/** unit_day as `{ 'user label@day': [time_s, visits] }`. */
async function units(run: KpiRun): Promise<Json> {
  return Object.fromEntries(
    (await run.unitDay()).map((r) => [
      `${r.username} ${String(label(r.unit_key))}@${r.day}`,
      [r.time_s, r.visits],
    ]),
  );
}

/** learner_day as `{ 'user@day': [time_s, sessions, visits] }`. */
async function days(run: KpiRun): Promise<Json> {
  return Object.fromEntries(
    (await run.learnerDay()).map((r) => [
      `${r.username}@${r.day}`,
      [r.time_s, r.sessions, r.visits],
    ]),
  );
}

async function withRun(
  lines: Json[],
  body: (run: KpiRun) => Promise<void>,
  settings: Settings = {},
): Promise<void> {
  const run = await runKpis(SPEC, lines, settings);
  try {
    await body(run);
  } finally {
    await run.close();
  }
}

const courseware = (chapter: string, sequential: string, position: number) =>
  `/courses/${COURSE}/courseware/${blockId(chapter)}/${blockId(sequential)}/${position}/`;
/** A browser event that only its page can place (kpis.md §4 rules 5 and 6). */
const pageView = (who: Learner, time: number | string, page: string) =>
  events.browser(who, time, 'edx.bookmark.listed', { list_type: 'per_course' }, page);
const pageClose = (who: Learner, time: number, page: string): Json => ({
  ...events.browser(who, time, 'page_close', {}, page),
  event: '',
});

describe('visits (kpis.md §6)', () => {
  it('reloading the same unit, by any event, is one visit', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        unitLoad(ana, 30, '1.1.1'),
        events.server(
          ana,
          45,
          `/courses/${COURSE}/xblock/${componentKey('1.1.1/1', 'html')}/handler/publish_completion`,
        ),
        events.browser(ana, 50, 'edx.ui.lms.sequence.tab_selected', {
          id: key('1.1'),
          current_tab: 1,
          target_tab: 1,
          tab_count: 3,
        }),
        unitLoad(ana, 70, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['1.1.1', false],
          ['1.1.1', false],
          ['1.1.1', false],
          ['1.1.1', false],
        ]);
        expect(await units(run)).toEqual({ [`ana 1.1.1@${DAY}`]: [670, 1] });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [670, 1, 1] });
      },
    );
  });

  it('A → B → A is two visits to A', async () => {
    await withRun(
      [unitLoad(ana, 0, '1.1.1'), unitLoad(ana, 20, '1.1.2'), unitLoad(ana, 50, '1.1.1')],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['1.1.2', true],
          ['1.1.1', true],
        ]);
        expect(await units(run)).toEqual({
          [`ana 1.1.1@${DAY}`]: [620, 2],
          [`ana 1.1.2@${DAY}`]: [30, 1],
        });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [650, 1, 3] });
      },
    );
  });

  it('A → discussion → A and A → progress → A are new visits to A', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        events.server(ana, 20, `/courses/${COURSE}/discussion/forum/`),
        unitLoad(ana, 50, '1.1.1'),
        pageView(ana, 80, `https://apps.example.com/learning/course/${COURSE}/progress`),
        unitLoad(ana, 100, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['discussion', false],
          ['1.1.1', true],
          ['progress', false],
          ['1.1.1', true],
        ]);
        expect(await units(run)).toEqual({ [`ana 1.1.1@${DAY}`]: [650, 3] });
        expect(
          Object.fromEntries((await run.pageDay()).map((r) => [r.page_kind, r.time_s])),
        ).toEqual({ discussion: 30, progress: 20 });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [700, 1, 3] });
      },
    );
  });

  it('neutral and unresolved events neither start nor end a visit', async () => {
    await withRun(
      [
        // before any placed event: no place (unplaced), and no visit
        events.server(ana, 0, `/api/courseware/course/${COURSE}`),
        unitLoad(ana, 10, '1.1.1'),
        events.browser(ana, 20, 'edx.ui.lms.link_clicked', {
          target_url: 'https://www.youtube.com/watch?v=abc',
        }),
        events.browser(ana, 30, 'play_video', { id: 'nosuchvideo', currentTime: 0 }),
        events.browser(ana, 35, 'edx.ui.lms.sequence.previous_selected', {
          id: key('1.1'),
          current_tab: 1,
          tab_count: 3,
        }),
        pageClose(ana, 40, `${LMS}${courseware('1', '1.1', 2)}`),
        unitLoad(ana, 45, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          [null, false],
          ['1.1.1', true],
          [null, false],
          [null, false],
          [null, false],
          [null, false],
          ['1.1.1', false],
        ]);
        expect(await units(run)).toEqual({ [`ana 1.1.1@${DAY}`]: [635, 1] });
        expect(
          Object.fromEntries((await run.pageDay()).map((r) => [r.page_kind, r.time_s])),
        ).toEqual({ unplaced: 10 });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [645, 1, 1] });
      },
    );
  });

  it('every arrival counts: page request, navigation, jump, component event, page URL', async () => {
    await withRun(
      [
        events.server(ana, 0, courseware('1', '1.1', 1)),
        events.browser(ana, 10, 'edx.ui.lms.sequence.tab_selected', {
          id: key('1.1'),
          current_tab: 1,
          target_tab: 2,
          tab_count: 3,
        }),
        events.browser(ana, 20, 'edx.ui.lms.outline.selected', {
          target_url: `${LMS}/courses/${COURSE}/jump_to/${key('1.2.1')}`,
        }),
        events.server(
          ana,
          30,
          `/courses/${COURSE}/xblock/${componentKey('1.1.2/1', 'problem')}/handler/xmodule_handler/problem_check`,
        ),
        events.browser(ana, 40, 'play_video', { id: blockId('1.2.1/1'), currentTime: 0 }),
        pageView(ana, 50, `${LMS}/xblock/${key('1.1.1')}?show_title=0&view=student_view`),
        events.named(ana, 60, 'edx.completion.block_completion.changed', {
          block_id: componentKey('1.1.1/1', 'html'),
          completion: 1,
        }),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['1.1.2', true],
          ['1.2.1', true],
          ['1.1.2', true],
          ['1.2.1', true],
          ['1.1.1', true],
          ['1.1.1', false],
        ]);
        expect(await units(run)).toEqual({
          [`ana 1.1.1@${DAY}`]: [620, 2],
          [`ana 1.1.2@${DAY}`]: [20, 2],
          [`ana 1.2.1@${DAY}`]: [20, 2],
        });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [660, 1, 6] });
      },
    );
  });

  it('a new session makes a new visit, even to the unit the last session ended on', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        unitLoad(ana, 100, '1.1.1'),
        // 1900 s later: a new session, starting with an event without a place
        events.server(ana, 2000, `/api/courseware/course/${COURSE}`),
        unitLoad(ana, 2030, '1.1.1'),
        unitLoad(ana, 2100, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['1.1.1', false],
          [null, false],
          ['1.1.1', true],
          ['1.1.1', false],
        ]);
        expect(await units(run)).toEqual({ [`ana 1.1.1@${DAY}`]: [1370, 2] });
        expect(
          Object.fromEntries((await run.pageDay()).map((r) => [r.page_kind, r.time_s])),
        ).toEqual({ unplaced: 30 });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [1400, 2, 2] });
      },
    );
  });

  it('events the learner did not cause are not there: no place, no visit, no time of their own', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        // a grade event names a problem of another unit; it is not activity (kpis.md §3)
        events.named(ana, 10, 'edx.grades.problem.submitted', {
          problem_id: componentKey('1.2.2/1', 'problem'),
          weighted_earned: 1,
          weighted_possible: 1,
        }),
        {
          ...events.named(ana, 20, 'problem_rescore', {
            problem_id: componentKey('1.1.2/1', 'problem'),
          }),
          event_source: 'task',
        },
        unitLoad(ana, 30, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run)).toEqual([
          ['1.1.1', true],
          ['1.1.1', false],
        ]);
        expect(await units(run)).toEqual({ [`ana 1.1.1@${DAY}`]: [630, 1] });
        expect(await days(run)).toEqual({ [`ana@${DAY}`]: [630, 1, 1] });
      },
    );
  });

  it("one learner's events do not break another's visit", async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        unitLoad(ben, 5, '1.1.2'),
        unitLoad(ana, 10, '1.1.1'),
        unitLoad(ben, 20, '1.1.1'),
      ],
      async (run) => {
        expect(await visitFlags(run, 'ana')).toEqual([
          ['1.1.1', true],
          ['1.1.1', false],
        ]);
        expect(await visitFlags(run, 'ben')).toEqual([
          ['1.1.2', true],
          ['1.1.1', true],
        ]);
        expect(await units(run)).toEqual({
          [`ana 1.1.1@${DAY}`]: [610, 1],
          [`ben 1.1.1@${DAY}`]: [600, 1],
          [`ben 1.1.2@${DAY}`]: [15, 1],
        });
      },
    );
  });

  describe('across midnight', () => {
    const lines = [
      unitLoad(ana, '2025-03-03T23:50:00Z', '1.1.1'),
      unitLoad(ana, '2025-03-03T23:58:00Z', '1.1.2'),
      unitLoad(ana, '2025-03-04T00:05:00Z', '1.1.1'),
      unitLoad(ana, '2025-03-04T00:10:00Z', '1.1.1'),
      unitLoad(ana, '2025-03-04T00:20:00Z', '1.1.2'),
      // a visit that starts before midnight and goes on after it
      unitLoad(ben, '2025-03-03T23:55:00Z', '1.2.1'),
      unitLoad(ben, '2025-03-04T00:05:00Z', '1.2.1'),
    ];

    it('visits and time are counted on the local day of each event (UTC)', async () => {
      await withRun(lines, async (run) => {
        expect(await visitFlags(run, 'ana')).toEqual([
          ['1.1.1', true],
          ['1.1.2', true],
          ['1.1.1', true],
          ['1.1.1', false],
          ['1.1.2', true],
        ]);
        expect(await units(run)).toEqual({
          'ana 1.1.1@2025-03-03': [480, 1],
          'ana 1.1.1@2025-03-04': [900, 1],
          'ana 1.1.2@2025-03-03': [420, 1],
          'ana 1.1.2@2025-03-04': [600, 1],
          'ben 1.2.1@2025-03-03': [600, 1],
          'ben 1.2.1@2025-03-04': [600, 0],
        });
        // one session each, counted on the day it starts
        expect(await days(run)).toEqual({
          'ana@2025-03-03': [900, 1, 2],
          'ana@2025-03-04': [1500, 0, 2],
          'ben@2025-03-03': [600, 1, 1],
          'ben@2025-03-04': [600, 0, 0],
        });
      });
    });

    it('the day follows the time zone setting (Asia/Tokyo: all on 2025-03-04)', async () => {
      await withRun(
        lines,
        async (run) => {
          expect(await units(run)).toEqual({
            'ana 1.1.1@2025-03-04': [1380, 2],
            'ana 1.1.2@2025-03-04': [1020, 2],
            'ben 1.2.1@2025-03-04': [1200, 1],
          });
          expect(await days(run)).toEqual({
            'ana@2025-03-04': [2400, 1, 4],
            'ben@2025-03-04': [1200, 1, 1],
          });
        },
        { timeZone: 'Asia/Tokyo' },
      );
    });
  });
});
