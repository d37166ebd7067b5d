// Which unit or page an event is about (kpis.md §4), checked on hand-built event streams: the
// own place and current place of every event, the credit each one earns (§5) and the unit_day
// and page_day facts. Every expected number is worked out by hand from kpis.md.
import { describe, expect, it } from 'vitest';
import { storeStructure } from '../../src/structure/index.ts';
import {
  at,
  blockId,
  COURSE,
  componentKey,
  courseBlocks,
  events,
  key,
  runKpis,
  unitLoad,
  type CourseSpec,
  type KpiRun,
  type Learner,
} from './harness.ts';

type Json = Record<string, unknown>;

// 1 ─ 1.1 ─ 1.1.1 html, 1.1.2 problem, 1.1.3 html
//   └ 1.2 ─ 1.2.1 video + html, 1.2.2 problem
// 2 ─ 2.1 (no units)
//   └ 2.2 ─ 2.2.1 video, 2.2.2 split_test(problem, html)
// Units in course order: 1.1.1 1.1.2 1.1.3 1.2.1 1.2.2 2.2.1 2.2.2.
const SPEC: CourseSpec = [
  [
    [['html'], ['problem'], ['html']],
    [['video', 'html'], ['problem']],
  ],
  [[], [['video'], [{ type: 'split_test', children: ['problem', 'html'] }]]],
];
const UNITS = ['1.1.1', '1.1.2', '1.1.3', '1.2.1', '1.2.2', '2.2.1', '2.2.2'];
const DAY = '2025-03-03';
const LMS = 'https://lms.example.com';
const ana: Learner = { username: 'ana', user_id: 11 };

/** Unit usage keys shown as their labels (`1.1.2`); page kinds and null stay as they are. */
function labeler(courseId = COURSE): (place: unknown) => unknown {
  const names = new Map(UNITS.map((l) => [componentKey(l, 'vertical', courseId), l]));
  return (place) => (typeof place === 'string' ? (names.get(place) ?? place) : place);
}
const label = labeler();

/** Per event in time order: [own place, current place, credit seconds, visit]. */
async function trail(run: KpiRun, name = label, username = 'ana'): Promise<unknown[][]> {
  return (await run.learnerEvents(username)).map((r) => [
    name(r.own_place),
    name(r.place),
    r.credit_s,
    r.visit,
  ]);
}

/** unit_day as `{ 'label@day': [time_s, visits] }`. */
async function units(run: KpiRun, name = label): Promise<Json> {
  return Object.fromEntries(
    (await run.unitDay()).map((r) => [
      `${String(name(r.unit_key))}@${r.day}`,
      [r.time_s, r.visits],
    ]),
  );
}

/** page_day as `{ 'kind@day': time_s }`. */
async function pages(run: KpiRun): Promise<Json> {
  return Object.fromEntries(
    (await run.pageDay()).map((r) => [`${r.page_kind}@${r.day}`, r.time_s]),
  );
}

async function withRun(lines: Json[], body: (run: KpiRun) => Promise<void>): Promise<void> {
  const run = await runKpis(SPEC, lines);
  try {
    await body(run);
  } finally {
    await run.close();
  }
}

/** `/courses/<course>/courseware/<chapter>/<sequential>/[<position>/]` or the chapter alone. */
function courseware(chapter: string, sequential?: string, position?: number, course = COURSE) {
  const parts = [blockId(chapter), sequential && blockId(sequential), position].filter(
    (p) => p !== undefined && p !== '',
  );
  return `/courses/${course}/courseware/${parts.join('/')}/`;
}

const jumpTo = (target: string, course = COURSE) => `${LMS}/courses/${course}/jump_to/${target}`;
const mfe = (...parts: string[]) =>
  `https://apps.example.com/learning/course/${COURSE}/${parts.join('/')}`;
const server = (who: Learner, time: number | string, path: string) =>
  events.server(who, time, path);
/** A browser event that no rule of 1-4 covers: only its page can place it (rules 5, 6). */
const pageView = (who: Learner, time: number | string, page: string) =>
  events.browser(
    who,
    time,
    'edx.bookmark.listed',
    { list_type: 'per_course', bookmarks_count: 0, page_size: 10, page_number: 1 },
    page,
  );
/** The shape event-routing-backends and the event bus use (`name`, `timestamp`, `data`). */
function processed(who: Learner, time: number | string, name: string, data: Json, page?: string) {
  return {
    name,
    timestamp: at(time),
    data,
    context: {
      course_id: COURSE,
      user_id: who.user_id,
      username: who.username,
      event_source: 'browser',
      host: 'lms.example.com',
      path: '/event',
      org_id: 'Test',
      ...(page ? { page } : {}),
    },
  };
}
/** The same event with `context.module.usage_key` set. */
const withModule = (event: Json, usageKey: string): Json => ({
  ...event,
  context: { ...(event.context as Json), module: { usage_key: usageKey, display_name: 'Block' } },
});
const pageClose = (who: Learner, time: number, page: string): Json => ({
  username: who.username,
  event_type: 'page_close',
  event_source: 'browser',
  time: at(time),
  host: 'lms.example.com',
  page,
  event: '',
  context: { user_id: who.user_id, course_id: COURSE, path: '/event', org_id: 'Test' },
});

describe('rule 1: sequence navigation (kpis.md §4)', () => {
  it('legacy seq_goto / seq_prev / seq_next go to unit `new` of the sequential, i4x or usage key', async () => {
    const page = `${LMS}${courseware('1', '1.1')}`;
    await withRun(
      [
        events.browser(
          ana,
          0,
          'seq_goto',
          { old: 1, new: 3, id: 'i4x://Test/K101/sequential/b1_1' },
          page,
        ),
        events.browser(ana, 30, 'seq_prev', { old: 3, new: 2, id: key('1.1') }, page),
        events.browser(ana, 100, 'seq_next', { old: 2, new: 3, id: key('1.1') }, page),
        events.browser(
          ana,
          160,
          'seq_goto',
          { old: 3, new: 1, id: 'i4x://Test/K101/sequential/b1_1' },
          page,
        ),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.3', '1.1.3', 30, true],
          ['1.1.2', '1.1.2', 70, true],
          ['1.1.3', '1.1.3', 60, true],
          ['1.1.1', '1.1.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [600, 1],
          [`1.1.2@${DAY}`]: [70, 1],
          [`1.1.3@${DAY}`]: [90, 2],
        });
        expect(await pages(run)).toEqual({});
      },
    );
  });

  it('MFE tab_selected goes to target_tab, next/previous_selected to current_tab ± 1', async () => {
    const page = mfe(key('1.1'), key('1.1.1'));
    const nav = { id: key('1.1'), tab_count: 3, widget_placement: 'top' };
    await withRun(
      [
        events.browser(
          ana,
          0,
          'edx.ui.lms.sequence.tab_selected',
          { ...nav, current_tab: 1, target_tab: 2 },
          page,
        ),
        // event-routing-backends shape
        processed(ana, 40, 'edx.ui.lms.sequence.next_selected', { ...nav, current_tab: 2 }, page),
        events.browser(
          ana,
          100,
          'edx.ui.lms.sequence.previous_selected',
          { ...nav, current_tab: 3 },
          page,
        ),
        events.browser(
          ana,
          120,
          'edx.ui.lms.sequence.previous_selected',
          { ...nav, current_tab: 2 },
          page,
        ),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.2', '1.1.2', 40, true],
          ['1.1.3', '1.1.3', 60, true],
          ['1.1.2', '1.1.2', 20, true],
          ['1.1.1', '1.1.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [600, 1],
          [`1.1.2@${DAY}`]: [60, 2],
          [`1.1.3@${DAY}`]: [60, 1],
        });
      },
    );
  });

  it('a next past the last unit crosses to the first unit of the next sequential with units, across chapters', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.3'),
        // MFE next from the last unit of 1.1 → first unit of 1.2
        events.browser(ana, 10, 'edx.ui.lms.sequence.next_selected', {
          id: key('1.1'),
          current_tab: 3,
          tab_count: 3,
        }),
        unitLoad(ana, 30, '1.2.2'),
        // next from the last unit of chapter 1 → skips 2.1 (no units) → 2.2.1
        events.browser(ana, 60, 'edx.ui.lms.sequence.next_selected', {
          id: key('1.2'),
          current_tab: 2,
          tab_count: 2,
        }),
        unitLoad(ana, 100, '1.1.3'),
        // legacy seq_next past the end of 1.1 → 1.2.1
        events.browser(ana, 130, 'seq_next', {
          old: 3,
          new: 4,
          id: 'i4x://Test/K101/sequential/b1_1',
        }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.3', '1.1.3', 10, true],
          ['1.2.1', '1.2.1', 20, true],
          ['1.2.2', '1.2.2', 30, true],
          ['2.2.1', '2.2.1', 40, true],
          ['1.1.3', '1.1.3', 30, true],
          ['1.2.1', '1.2.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.3@${DAY}`]: [40, 2],
          [`1.2.1@${DAY}`]: [620, 2],
          [`1.2.2@${DAY}`]: [30, 1],
          [`2.2.1@${DAY}`]: [40, 1],
        });
      },
    );
  });

  it('a previous past the first unit goes to the last unit of the previous sequential with units', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '2.2.1'),
        // MFE previous from the first unit of 2.2 → skips 2.1 (no units) → 1.2.2, across chapters
        events.browser(ana, 20, 'edx.ui.lms.sequence.previous_selected', {
          id: key('2.2'),
          current_tab: 1,
          tab_count: 2,
        }),
        events.browser(ana, 50, 'seq_prev', { old: 2, new: 1, id: key('1.2') }),
        // legacy seq_prev from the first unit of 1.2 → 1.1.3
        events.browser(ana, 70, 'seq_prev', {
          old: 1,
          new: 0,
          id: 'i4x://Test/K101/sequential/b1_2',
        }),
        // legacy seq_prev from the first unit of 2.2 → 1.2.2
        events.browser(ana, 100, 'seq_prev', { old: 1, new: 0, id: key('2.2') }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['2.2.1', '2.2.1', 20, true],
          ['1.2.2', '1.2.2', 30, true],
          ['1.2.1', '1.2.1', 20, true],
          ['1.1.3', '1.1.3', 30, true],
          ['1.2.2', '1.2.2', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.3@${DAY}`]: [30, 1],
          [`1.2.1@${DAY}`]: [20, 1],
          [`1.2.2@${DAY}`]: [630, 2],
          [`2.2.1@${DAY}`]: [20, 1],
        });
      },
    );
  });

  it('past either end of the course a next or previous is unresolved and inherits the current place', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        events.browser(ana, 10, 'edx.ui.lms.sequence.previous_selected', {
          id: key('1.1'),
          current_tab: 1,
          tab_count: 3,
        }),
        events.browser(ana, 25, 'seq_prev', { old: 1, new: 0, id: key('1.1') }),
        unitLoad(ana, 40, '2.2.2'),
        events.browser(ana, 60, 'edx.ui.lms.sequence.next_selected', {
          id: key('2.2'),
          current_tab: 2,
          tab_count: 2,
        }),
        events.browser(ana, 100, 'seq_next', {
          old: 2,
          new: 3,
          id: 'i4x://Test/K101/sequential/b2_2',
        }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 10, true],
          [null, '1.1.1', 15, false],
          [null, '1.1.1', 15, false],
          ['2.2.2', '2.2.2', 20, true],
          [null, '2.2.2', 40, false],
          [null, '2.2.2', 600, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [40, 1],
          [`2.2.2@${DAY}`]: [660, 1],
        });
        expect(await pages(run)).toEqual({});
      },
    );
  });

  it('any other position outside the sequential, or an unknown sequential, is unresolved', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.2'),
        // a tab past the end is not a next move: no crossing
        events.browser(ana, 15, 'edx.ui.lms.sequence.tab_selected', {
          id: key('1.1'),
          current_tab: 2,
          target_tab: 4,
          tab_count: 3,
        }),
        events.browser(ana, 20, 'edx.ui.lms.sequence.tab_selected', {
          id: key('1.1'),
          current_tab: 2,
          target_tab: 0,
          tab_count: 3,
        }),
        events.browser(ana, 30, 'seq_goto', { old: 2, new: 4, id: key('1.1') }),
        events.browser(ana, 45, 'seq_goto', {
          old: 2,
          new: 1,
          id: 'block-v1:Test+K101+2025+type@sequential+block@gone',
        }),
        events.browser(ana, 50, 'edx.ui.lms.sequence.next_selected', {
          id: key('1.1'),
          current_tab: 5,
          tab_count: 3,
        }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.2', '1.1.2', 15, true],
          [null, '1.1.2', 5, false],
          [null, '1.1.2', 10, false],
          [null, '1.1.2', 15, false],
          [null, '1.1.2', 5, false],
          [null, '1.1.2', 600, false],
        ]);
        expect(await units(run)).toEqual({ [`1.1.2@${DAY}`]: [650, 1] });
      },
    );
  });
});

describe('rule 2: jumps (kpis.md §4)', () => {
  it('outline.selected / link_clicked / jump_nav.selected go to the jump_to target; a sequential or chapter means its first unit', async () => {
    const outline = `${LMS}/courses/${COURSE}/course/`;
    const jump = (target: string) => ({
      target_url: jumpTo(target),
      current_url: outline,
      target_name: 'x',
    });
    await withRun(
      [
        events.browser(
          ana,
          0,
          'edx.ui.lms.outline.selected',
          { ...jump(key('1.2.2')), widget_placement: 'accordion' },
          outline,
        ),
        events.browser(ana, 20, 'edx.ui.lms.link_clicked', jump(key('2.2')), outline),
        events.browser(ana, 50, 'edx.ui.lms.jump_nav.selected', jump(key('1')), outline),
        // chapter 2 starts with a sequential without units: its first unit is 2.2.1
        events.browser(ana, 80, 'edx.ui.lms.outline.selected', jump(key('2')), outline),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.2.2', '1.2.2', 20, true],
          ['2.2.1', '2.2.1', 30, true],
          ['1.1.1', '1.1.1', 30, true],
          ['2.2.1', '2.2.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [30, 1],
          [`1.2.2@${DAY}`]: [20, 1],
          [`2.2.1@${DAY}`]: [630, 2],
        });
        expect(await pages(run)).toEqual({});
      },
    );
  });

  it('a jump to an MFE or courseware URL, to a course page, and outside the course', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        events.browser(ana, 10, 'edx.ui.lms.link_clicked', {
          target_url: mfe(key('1.2'), key('1.2.1')),
        }),
        events.browser(ana, 30, 'edx.ui.lms.outline.selected', {
          target_url: `${LMS}${courseware('2', '2.2', 2)}`,
        }),
        events.browser(ana, 45, 'edx.ui.lms.link_clicked', {
          target_url: `${LMS}/courses/${COURSE}/progress`,
        }),
        events.browser(ana, 60, 'edx.ui.lms.link_clicked', {
          target_url: 'https://www.youtube.com/watch?v=abc',
        }),
        // another course, whose unit has a block id this course also has
        events.browser(ana, 70, 'edx.ui.lms.link_clicked', {
          target_url: jumpTo(
            'block-v1:Other+X+2025+type@vertical+block@b1_1_1',
            'course-v1:Other+X+2025',
          ),
        }),
        events.browser(ana, 80, 'edx.ui.lms.link_clicked', { target_url: 'javascript:void(0)' }),
        events.browser(ana, 100, 'edx.ui.lms.link_clicked', {
          target_url: `${LMS}/courses/${COURSE}/discussion/forum/`,
        }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 10, true],
          ['1.2.1', '1.2.1', 20, true],
          ['2.2.2', '2.2.2', 15, true],
          ['progress', 'progress', 15, false],
          [null, 'progress', 10, false],
          [null, 'progress', 10, false],
          [null, 'progress', 20, false],
          ['discussion', 'discussion', 600, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [10, 1],
          [`1.2.1@${DAY}`]: [20, 1],
          [`2.2.2@${DAY}`]: [15, 1],
        });
        expect(await pages(run)).toEqual({ [`progress@${DAY}`]: 55, [`discussion@${DAY}`]: 600 });
      },
    );
  });
});

describe('rule 3: page requests (kpis.md §4)', () => {
  it('courseware with a position, /courseware/ alone, jump_to, /xblock/<key> in both forms', async () => {
    await withRun(
      [
        server(ana, 0, `/courses/${COURSE}/courseware/`),
        server(ana, 10, courseware('1', '1.1', 2)),
        server(ana, 30, `/courses/${COURSE}/jump_to/${key('1.2.1')}`),
        server(ana, 60, `/xblock/${key('1.1.3')}`),
        server(ana, 100, `/courses/${COURSE}/xblock/${key('2.2.1')}`),
        // no unit 9 in 1.1: not in the structure → unresolved
        server(ana, 150, courseware('1', '1.1', 9)),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['home', 'home', 10, false],
          ['1.1.2', '1.1.2', 20, true],
          ['1.2.1', '1.2.1', 30, true],
          ['1.1.3', '1.1.3', 40, true],
          ['2.2.1', '2.2.1', 50, true],
          [null, '2.2.1', 600, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.2@${DAY}`]: [20, 1],
          [`1.2.1@${DAY}`]: [30, 1],
          [`1.1.3@${DAY}`]: [40, 1],
          [`2.2.1@${DAY}`]: [650, 1],
        });
        expect(await pages(run)).toEqual({ [`home@${DAY}`]: 10 });
      },
    );
  });

  it("courseware without a position: the learner's last unit in that sequential or chapter, else its first", async () => {
    await withRun(
      [
        server(ana, 0, courseware('1', '1.2')), // nothing in 1.2 yet → 1.2.1
        unitLoad(ana, 20, '1.1.3'),
        unitLoad(ana, 40, '1.2.2'),
        server(ana, 60, courseware('1', '1.1')), // last in 1.1 → 1.1.3
        server(ana, 90, courseware('1', '1.2')), // last in 1.2 → 1.2.2
        server(ana, 120, courseware('2')), // nothing in chapter 2 → its first unit 2.2.1
        server(ana, 150, courseware('1')), // last in chapter 1 → 1.2.2
        server(ana, 5000, courseware('1', '1.1')), // a new session; last in 1.1 is still 1.1.3
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.2.1', '1.2.1', 20, true],
          ['1.1.3', '1.1.3', 20, true],
          ['1.2.2', '1.2.2', 20, true],
          ['1.1.3', '1.1.3', 30, true],
          ['1.2.2', '1.2.2', 30, true],
          ['2.2.1', '2.2.1', 30, true],
          ['1.2.2', '1.2.2', 600, true],
          ['1.1.3', '1.1.3', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.2.1@${DAY}`]: [20, 1],
          [`1.1.3@${DAY}`]: [650, 3],
          [`1.2.2@${DAY}`]: [650, 3],
          [`2.2.1@${DAY}`]: [30, 1],
        });
      },
    );
  });

  it('an /xblock/<key>/handler/... path is a component event: the unit containing the component', async () => {
    await withRun(
      [
        server(
          ana,
          0,
          `/courses/${COURSE}/xblock/${componentKey('1.1.2/1', 'problem')}/handler/xmodule_handler/problem_check`,
        ),
        events.server(
          ana,
          20,
          `/xblock/${componentKey('1.2.1/2', 'html')}/handler/publish_completion`,
          {
            event: { POST: { completion: ['1.0'] }, GET: {} },
          },
        ),
        server(
          ana,
          50,
          `/courses/${COURSE}/xblock/${componentKey('2.2.1/1', 'video')}/handler/transcript/translation/en`,
        ),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.2', '1.1.2', 20, true],
          ['1.2.1', '1.2.1', 30, true],
          ['2.2.1', '2.2.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.2@${DAY}`]: [20, 1],
          [`1.2.1@${DAY}`]: [30, 1],
          [`2.2.1@${DAY}`]: [600, 1],
        });
        expect(await pages(run)).toEqual({});
      },
    );
  });
});

describe('rule 4: component events (kpis.md §4)', () => {
  it('video events name a video by bare block id, usage key or legacy i4x- id; an unknown video is unresolved', async () => {
    await withRun(
      [
        events.browser(ana, 0, 'load_video', {
          id: blockId('1.2.1/1'),
          code: 'html5',
          duration: 0,
        }),
        processed(ana, 10, 'play_video', {
          id: componentKey('2.2.1/1', 'video'),
          currentTime: 0,
          code: 'html5',
          duration: 60,
        }),
        events.browser(ana, 40, 'pause_video', {
          id: `i4x-Test-K101-video-${blockId('1.2.1/1')}`,
          currentTime: 30,
          code: 'html5',
        }),
        events.browser(ana, 45, 'show_transcript', {
          id: componentKey('2.2.1/1', 'video'),
          currentTime: 5,
          code: 'html5',
        }),
        processed(ana, 50, 'edx.video.closed_captions.shown', {
          id: blockId('1.2.1/1'),
          current_time: 7,
          code: 'html5',
        }),
        events.browser(ana, 60, 'play_video', { id: 'nosuchvideo', currentTime: 0, code: 'html5' }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.2.1', '1.2.1', 10, true],
          ['2.2.1', '2.2.1', 30, true],
          ['1.2.1', '1.2.1', 5, true],
          ['2.2.1', '2.2.1', 5, true],
          ['1.2.1', '1.2.1', 10, true],
          [null, '1.2.1', 600, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.2.1@${DAY}`]: [625, 3],
          [`2.2.1@${DAY}`]: [35, 2],
        });
      },
    );
  });

  it('context.module.usage_key, payload.problem_id and block_completion.changed name a component; an unknown one is unresolved', async () => {
    await withRun(
      [
        events.named(ana, 0, 'problem_check', {
          problem_id: componentKey('1.1.2/1', 'problem'),
          grade: 0,
          max_grade: 1,
        }),
        withModule(
          events.browser(ana, 20, 'edx.problem.hint.demandhint_displayed', {
            hint_index: 0,
            hint_len: 1,
          }),
          componentKey('1.2.2/1', 'problem'),
        ),
        {
          ...processed(ana, 50, 'edx.completion.block_completion.changed', {
            user_id: ana.user_id,
            course_id: COURSE,
            block_id: componentKey('1.1.1/1', 'html'),
            block_type: 'html',
            completion: 1.0,
            is_new: true,
          }),
        },
        events.named(ana, 60, 'problem_check', {
          problem_id: 'block-v1:Test+K101+2025+type@problem+block@gone',
          grade: 1,
        }),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.2', '1.1.2', 20, true],
          ['1.2.2', '1.2.2', 30, true],
          ['1.1.1', '1.1.1', 10, true],
          [null, '1.1.1', 600, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.2@${DAY}`]: [20, 1],
          [`1.2.2@${DAY}`]: [30, 1],
          [`1.1.1@${DAY}`]: [610, 1],
        });
      },
    );
  });

  it('a component inside a split_test, and the split_test itself, belong to the outer unit', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        server(
          ana,
          30,
          `/courses/${COURSE}/xblock/${componentKey('2.2.2/1/1', 'problem')}/handler/xmodule_handler/problem_check`,
        ),
        withModule(
          events.browser(ana, 90, 'edx.problem.hint.demandhint_displayed', { hint_index: 0 }),
          componentKey('2.2.2/1', 'split_test'),
        ),
        unitLoad(ana, 100, '1.1.1'),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 30, true],
          ['2.2.2', '2.2.2', 60, true],
          ['2.2.2', '2.2.2', 10, false],
          ['1.1.1', '1.1.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [630, 2],
          [`2.2.2@${DAY}`]: [70, 1],
        });
      },
    );
  });

  it('a component event wins over the page it was sent from, even when the component is unknown', async () => {
    const page111 = `${LMS}${courseware('1', '1.1', 1)}`;
    await withRun(
      [
        pageView(ana, 0, page111),
        events.browser(
          ana,
          10,
          'play_video',
          { id: blockId('1.2.1/1'), currentTime: 0, code: 'html5' },
          page111,
        ),
        events.browser(
          ana,
          30,
          'pause_video',
          { id: 'nosuchvideo', currentTime: 3, code: 'html5' },
          page111,
        ),
        pageView(ana, 50, page111),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 10, true],
          ['1.2.1', '1.2.1', 20, true],
          [null, '1.2.1', 20, false],
          ['1.1.1', '1.1.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [610, 2],
          [`1.2.1@${DAY}`]: [40, 1],
        });
      },
    );
  });
});

describe('rule 5: the page URL of a browser event (kpis.md §4)', () => {
  it('reads courseware, MFE (under /learning and on its own host), jump_to and /xblock pages', async () => {
    await withRun(
      [
        pageView(
          ana,
          0,
          `${LMS}${courseware('1', '1.2', 2)}?activate_block_id=${encodeURIComponent(key('1.2'))}`,
        ),
        pageView(ana, 10, mfe(key('1.1'), key('1.1.3'))),
        pageView(
          ana,
          30,
          `https://learning.example.com/course/${COURSE}/${key('2.2')}/${key('2.2.2')}`,
        ),
        pageView(ana, 60, jumpTo(key('1.1.1'))),
        pageView(
          ana,
          100,
          `${LMS}/xblock/${key('1.2.1')}?show_title=0&show_bookmark_button=0&recheck_access=1&view=student_view`,
        ),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.2.2', '1.2.2', 10, true],
          ['1.1.3', '1.1.3', 20, true],
          ['2.2.2', '2.2.2', 30, true],
          ['1.1.1', '1.1.1', 40, true],
          ['1.2.1', '1.2.1', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.2.2@${DAY}`]: [10, 1],
          [`1.1.3@${DAY}`]: [20, 1],
          [`2.2.2@${DAY}`]: [30, 1],
          [`1.1.1@${DAY}`]: [40, 1],
          [`1.2.1@${DAY}`]: [600, 1],
        });
      },
    );
  });

  it('the page of a server event is not read (rule 5 is for browser events)', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        events.server(ana, 20, `/api/courseware/sequence/${key('1.2')}`, {
          page: mfe(key('1.2'), key('1.2.2')),
          referer: mfe(key('1.2'), key('1.2.2')),
        }),
        pageView(ana, 50, mfe(key('1.2'), key('1.2.2'))),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 20, true],
          [null, '1.1.1', 30, false],
          ['1.2.2', '1.2.2', 600, true],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [50, 1],
          [`1.2.2@${DAY}`]: [600, 1],
        });
      },
    );
  });
});

describe('rule 6: other course pages (kpis.md §4)', () => {
  it('server paths: course/info/bare root → home, progress, discussion(s) → discussion, wiki/dates → other', async () => {
    await withRun(
      [
        server(ana, 0, `/courses/${COURSE}/course/`),
        server(ana, 10, `/courses/${COURSE}/progress`),
        server(ana, 30, `/courses/${COURSE}/discussion/forum/`),
        server(ana, 60, `/courses/${COURSE}/wiki/Test.K101.2025/`),
        server(ana, 100, `/courses/${COURSE}/info`),
        server(ana, 150, `/courses/${COURSE}/discussions`),
        server(ana, 210, `/courses/${COURSE}/dates`),
        server(ana, 280, `/courses/${COURSE}`),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['home', 'home', 10, false],
          ['progress', 'progress', 20, false],
          ['discussion', 'discussion', 30, false],
          ['other', 'other', 40, false],
          ['home', 'home', 50, false],
          ['discussion', 'discussion', 60, false],
          ['other', 'other', 70, false],
          ['home', 'home', 600, false],
        ]);
        expect(await pages(run)).toEqual({
          [`home@${DAY}`]: 660,
          [`progress@${DAY}`]: 20,
          [`discussion@${DAY}`]: 90,
          [`other@${DAY}`]: 110,
        });
        expect(await units(run)).toEqual({});
      },
    );
  });

  it('browser pages: MFE home/progress/dates/outline/discussion, LMS forum/bookmarks/bare root', async () => {
    await withRun(
      [
        pageView(ana, 0, mfe('home')),
        pageView(ana, 10, mfe('progress')),
        pageView(ana, 30, mfe('dates')),
        pageView(ana, 60, `https://learning.example.com/course/${COURSE}/outline`),
        pageView(ana, 100, mfe('discussion')),
        pageView(ana, 150, `${LMS}/courses/${COURSE}/forum/`),
        pageView(ana, 180, `${LMS}/courses/${COURSE}/bookmarks/`),
        pageView(ana, 210, `${LMS}/courses/${COURSE}/`),
      ],
      async (run) => {
        expect((await trail(run)).map((r) => r[0])).toEqual([
          'home',
          'progress',
          'other',
          'home',
          'discussion',
          'discussion',
          'other',
          'home',
        ]);
        expect(await pages(run)).toEqual({
          [`home@${DAY}`]: 650,
          [`progress@${DAY}`]: 20,
          [`other@${DAY}`]: 60,
          [`discussion@${DAY}`]: 80,
        });
      },
    );
  });

  it('/api/ paths, /event and handler calls are never page kinds', async () => {
    await withRun(
      [
        server(ana, 0, `/courses/${COURSE}/progress`),
        server(ana, 10, `/api/courseware/sequence/${key('1.1')}`),
        server(ana, 20, `/api/course_home/progress/${COURSE}`),
        server(ana, 30, '/event'),
        // a handler call on a component the structure does not have: unresolved, not `other`
        server(
          ana,
          40,
          `/courses/${COURSE}/xblock/block-v1:Test+K101+2025+type@problem+block@gone/handler/xmodule_handler/problem_get`,
        ),
        // a unit load of a unit the structure does not have: unresolved too
        server(ana, 50, '/xblock/block-v1:Test+K101+2025+type@vertical+block@gone'),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['progress', 'progress', 10, false],
          [null, 'progress', 10, false],
          [null, 'progress', 10, false],
          [null, 'progress', 10, false],
          [null, 'progress', 10, false],
          [null, 'progress', 600, false],
        ]);
        expect(await pages(run)).toEqual({ [`progress@${DAY}`]: 650 });
        expect(await units(run)).toEqual({});
      },
    );
  });

  it('a server event named by `name` is placed by its context.path; a processed event without event_source is a browser event', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        // legacy forum post: server event, `name` only, path under /discussion/
        events.named(
          ana,
          20,
          'edx.forum.thread.created',
          { title: 'Hello', body: 'x' },
          `/courses/${COURSE}/discussion/course/threads/create`,
        ),
        // discussions MFE post (event-routing-backends shape): no event_source, an /api/ path
        {
          name: 'edx.forum.thread.created',
          timestamp: at(50),
          data: { title: 'Again', body: 'y' },
          context: {
            course_id: COURSE,
            user_id: ana.user_id,
            username: ana.username,
            path: '/api/discussion/v1/threads/',
          },
        },
        unitLoad(ana, 60, '1.1.1'),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 20, true],
          ['discussion', 'discussion', 30, false],
          [null, 'discussion', 10, false],
          ['1.1.1', '1.1.1', 600, true],
        ]);
        expect(await units(run)).toEqual({ [`1.1.1@${DAY}`]: [620, 2] });
        expect(await pages(run)).toEqual({ [`discussion@${DAY}`]: 40 });
      },
    );
  });

  it('page_close is always neutral and earns 0 as the last event of a session', async () => {
    await withRun(
      [
        unitLoad(ana, 0, '1.1.1'),
        pageClose(ana, 40, `${LMS}${courseware('1', '1.1', 2)}`),
        unitLoad(ana, 60, '1.1.2'),
        pageClose(ana, 90, `${LMS}${courseware('1', '1.1', 2)}`),
      ],
      async (run) => {
        expect(await trail(run)).toEqual([
          ['1.1.1', '1.1.1', 40, true],
          [null, '1.1.1', 20, false],
          ['1.1.2', '1.1.2', 30, true],
          [null, '1.1.2', 0, false],
        ]);
        expect(await units(run)).toEqual({
          [`1.1.1@${DAY}`]: [60, 1],
          [`1.1.2@${DAY}`]: [30, 1],
        });
        expect(await pages(run)).toEqual({});
      },
    );
  });
});

describe('legacy course ids (kpis.md §1-4)', () => {
  const CANONICAL = 'course-v1:Org+Course+Run';
  const LEGACY = 'Org/Course/Run';
  const leo: Learner = { username: 'leo', user_id: 21 };
  const legacyLabel = labeler(CANONICAL);
  const inCourse = (event: Json, courseId = LEGACY): Json => ({
    ...event,
    context: { ...(event.context as Json), course_id: courseId },
  });

  /** The structure stored under the canonical id, then events loaded and processed. */
  async function withLegacyRun(lines: Json[], body: (run: KpiRun) => Promise<void>) {
    const run = await runKpis(null, []);
    try {
      await storeStructure(run.db.sql, courseBlocks(SPEC, CANONICAL), 'test');
      await run.add(lines);
      await body(run);
    } finally {
      await run.close();
    }
  }

  it('events of `Org/Course/Run` are placed in the structure of course-v1:Org+Course+Run', async () => {
    const page = `${LMS}/courses/${LEGACY}/courseware/b1/b1_1/`;
    await withLegacyRun(
      [
        inCourse(server(leo, 0, `/courses/${LEGACY}/courseware`)),
        inCourse(server(leo, 10, `/courses/${LEGACY}/courseware/b1/b1_1/2/`)),
        inCourse(
          events.browser(
            leo,
            30,
            'seq_goto',
            { old: 2, new: 3, id: 'i4x://Org/Course/sequential/b1_1' },
            page,
          ),
        ),
        inCourse(
          events.browser(
            leo,
            60,
            'play_video',
            { id: `i4x-Org-Course-video-${blockId('1.2.1/1')}`, currentTime: 0, code: 'html5' },
            page,
          ),
        ),
        inCourse(server(leo, 100, `/courses/${LEGACY}/progress`)),
        // the same course under its canonical id, in the same history
        inCourse(
          server(
            leo,
            150,
            `/courses/${CANONICAL}/xblock/${componentKey('2.2.1', 'vertical', CANONICAL)}`,
          ),
          CANONICAL,
        ),
        inCourse(
          events.browser(leo, 210, 'seq_next', {
            old: 1,
            new: 2,
            id: 'i4x://Org/Course/sequential/b2_2',
          }),
        ),
        // rule 5 with a page of the legacy course
        inCourse(pageView(leo, 250, `${LMS}/courses/${LEGACY}/courseware/b1/b1_2/2/`)),
      ],
      async (run) => {
        expect(await trail(run, legacyLabel, 'leo')).toEqual([
          ['home', 'home', 10, false],
          ['1.1.2', '1.1.2', 20, true],
          ['1.1.3', '1.1.3', 30, true],
          ['1.2.1', '1.2.1', 40, true],
          ['progress', 'progress', 50, false],
          ['2.2.1', '2.2.1', 60, true],
          ['2.2.2', '2.2.2', 40, true],
          ['1.2.2', '1.2.2', 600, true],
        ]);
        expect(await units(run, legacyLabel)).toEqual({
          [`1.1.2@${DAY}`]: [20, 1],
          [`1.1.3@${DAY}`]: [30, 1],
          [`1.2.1@${DAY}`]: [40, 1],
          [`1.2.2@${DAY}`]: [600, 1],
          [`2.2.1@${DAY}`]: [60, 1],
          [`2.2.2@${DAY}`]: [40, 1],
        });
        expect(await pages(run)).toEqual({ [`home@${DAY}`]: 10, [`progress@${DAY}`]: 50 });
        const [course] = await run.rows(`SELECT DISTINCT course_id FROM unit_day`);
        expect(course).toEqual({ course_id: CANONICAL });
      },
    );
  });

  it('legacy jump_to URLs with an i4x:// key, as a page request and as a jump target', async () => {
    await withLegacyRun(
      [
        // as logged by the legacy LMS (fixture location_by_course_tracking.log)
        inCourse(server(leo, 0, `/courses/${LEGACY}/jump_to/i4x://Org/Course/vertical/b2_2_2`)),
        inCourse(
          events.browser(leo, 20, 'edx.ui.lms.link_clicked', {
            target_url: `${LMS}/courses/${LEGACY}/jump_to/i4x://Org/Course/sequential/b1_2`,
          }),
        ),
      ],
      async (run) => {
        expect(await trail(run, legacyLabel, 'leo')).toEqual([
          ['2.2.2', '2.2.2', 20, true],
          ['1.2.1', '1.2.1', 600, true],
        ]);
        expect(await pages(run)).toEqual({});
      },
    );
  });

  it('legacy handler paths with an encoded i4x key (`i4x:;_;_Org;_Course;_problem;_<id>`) name their component', async () => {
    await withLegacyRun(
      [
        inCourse(server(leo, 0, `/courses/${LEGACY}/courseware/b1/b1_1/1/`)),
        // as logged by the legacy LMS (fixture answer_dist / problem_response logs)
        inCourse(
          server(
            leo,
            30,
            `/courses/${LEGACY}/xblock/i4x:;_;_Org;_Course;_problem;_${blockId('1.2.2/1')}/handler/xmodule_handler/problem_check`,
          ),
        ),
      ],
      async (run) => {
        expect(await trail(run, legacyLabel, 'leo')).toEqual([
          ['1.1.1', '1.1.1', 30, true],
          ['1.2.2', '1.2.2', 600, true],
        ]);
      },
    );
  });
});
