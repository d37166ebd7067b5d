import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/database.ts';
import { startFakeLms, type FakeLms } from '../../test-support/fake-lms.ts';
import {
  canonicalCourseId,
  courseIdOfUsageKey,
  flattenCourseBlocks,
  LmsClient,
  storeStructure,
  syncStructures,
  type StructureBlock,
  type LmsClientOptions,
} from '../src/structure/index.ts';

const FIXTURE = path.resolve(
  import.meta.dirname,
  '../../../shared/fixtures/tracking-logs/analytics-pipeline/course_blocks.json',
);

type Answer = { course_id?: string; root?: string; blocks: Record<string, ApiBlock> };
type ApiBlock = Record<string, unknown> & { id: string; type: string; children?: string[] };

/** The four real answers of the fixture, by course id. */
function fixtureAnswers(): Map<string, Answer> {
  const answers = readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Answer);
  return new Map(answers.map((answer) => [answer.course_id!, answer]));
}

const PR1 = 'course-v1:OpenCraft+PRDemo1+2016';
const PR2 = 'course-v1:OpenCraft+PRDemo2+2016';
const VD = 'course-v1:OpenCraft+VD101x+2016';
const DND = 'course-v1:OpenCraft+DnDv2101x+2016';
const pr1Key = (type: string, id: string) =>
  `block-v1:OpenCraft+PRDemo1+2016+type@${type}+block@${id}`;

/** `[type, id, children?, extra fields?]`: a tree written compactly. */
type Node = [string, string, Node[]?, Record<string, unknown>?];

/** A Course Blocks API answer (without course_id, as the LMS sends it) for a tree. */
function answerOf(courseKey: string, tree: Node): Answer {
  const prefix = courseKey.replace(/^course-v1:/, 'block-v1:');
  const key = (type: string, id: string) => `${prefix}+type@${type}+block@${id}`;
  const blocks: Record<string, ApiBlock> = {};
  const add = ([type, id, children, extra]: Node): string => {
    const usageKey = key(type, id);
    blocks[usageKey] = {
      id: usageKey,
      block_id: id,
      type,
      display_name: `${type} ${id}`,
      ...(children ? { children: children.map(add) } : {}),
      ...extra,
    };
    return usageKey;
  };
  const root = add(tree);
  return { root, blocks };
}

function byId(blocks: StructureBlock[]): Map<string, StructureBlock> {
  return new Map(blocks.map((b) => [b.blockId, b]));
}

function countKinds(blocks: StructureBlock[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of blocks) counts[b.kind] = (counts[b.kind] ?? 0) + 1;
  return counts;
}

describe('canonical course ids', () => {
  it.each([
    ['edX/DemoX/Demo_Course', 'course-v1:edX+DemoX+Demo_Course'],
    ['course-v1:edX+DemoX+Demo_Course', 'course-v1:edX+DemoX+Demo_Course'],
    ['ccx-v1:edX+DemoX+Demo_Course+ccx@3', 'ccx-v1:edX+DemoX+Demo_Course+ccx@3'],
    ['edX/DemoX', 'edX/DemoX'],
    ['a/b/c/d', 'a/b/c/d'],
  ])('%s → %s', (id, canonical) => {
    expect(canonicalCourseId(id)).toBe(canonical);
  });

  it.each([
    ['block-v1:edX+DemoX+Demo_Course+type@course+block@course', 'course-v1:edX+DemoX+Demo_Course'],
    [
      'block-v1:edX+DemoX+Demo_Course+branch@published-branch+type@course+block@course',
      'course-v1:edX+DemoX+Demo_Course',
    ],
    ['ccx-block-v1:edX+D+R+ccx@3+type@course+block@course', 'ccx-v1:edX+D+R+ccx@3'],
    ['i4x://edX/DemoX/course/Demo_Course', 'course-v1:edX+DemoX+Demo_Course'],
    ['not-a-key', undefined],
  ])('the course of %s is %s', (key, course) => {
    expect(courseIdOfUsageKey(key)).toBe(course);
  });
});

describe('flattenCourseBlocks on the real answers', () => {
  const answers = fixtureAnswers();

  it('reads every answer of the fixture with exact kinds', () => {
    const kinds = Object.fromEntries(
      [...answers.values()].map((a) => {
        const s = flattenCourseBlocks(a);
        return [s.courseId, countKinds(s.blocks)];
      }),
    );
    expect(kinds).toEqual({
      [DND]: { course: 1, chapter: 1, sequential: 1, unit: 1, component: 1 },
      [PR1]: { course: 1, chapter: 3, sequential: 6, unit: 7, component: 8 },
      [PR2]: { course: 1, chapter: 3, sequential: 6, unit: 7, component: 7 },
      [VD]: { course: 1, chapter: 1, sequential: 1, unit: 1, component: 1 },
    });
  });

  it('labels, positions and orders follow the children lists', () => {
    const structure = flattenCourseBlocks(answers.get(PR1));
    expect(structure).toMatchObject({
      courseId: PR1,
      rootKey: 'block-v1:OpenCraft+PRDemo1+2016+type@course+block@course',
      name: 'Problem Response Demo Course 1',
    });
    const units = structure.blocks.filter((b) => b.kind === 'unit');
    expect(units.map((u) => [u.label, u.unitOrder, u.name])).toEqual([
      ['1.1.1', 1, 'One Correct Answer'],
      ['1.1.2', 2, 'Multiple Correct Answers'],
      ['1.2.1', 3, 'Many Correct Answers'],
      ['2.1.1', 4, 'Free Text'],
      ['2.2.1', 5, 'Free Text with Hints'],
      ['2.3.1', 6, 'Custom Problems'],
      ['3.1.1', 7, 'Thanks'],
    ]);
    expect(structure.blocks.map((b) => b.courseOrder)).toEqual(
      structure.blocks.map((_, i) => i + 1),
    );
    const blocks = byId(structure.blocks);
    expect(blocks.get('course')).toMatchObject({
      kind: 'course',
      position: null,
      label: null,
      parentKey: null,
      courseOrder: 1,
    });
    expect(blocks.get('f9ef2b49c5124087b6e4664673a67855')).toMatchObject({
      kind: 'chapter',
      label: '2',
      position: 2,
      chapterKey: pr1Key('chapter', 'f9ef2b49c5124087b6e4664673a67855'),
    });
    expect(blocks.get('b404e2f1833849d5a18d456f611d89d5')).toMatchObject({
      kind: 'sequential',
      label: '2.3',
      position: 3,
      name: 'Day 3',
    });
    // The second problem of unit 1.1.1.
    expect(blocks.get('9ddba291e7d549bc96128f3accd34e80')).toEqual({
      usageKey: pr1Key('problem', '9ddba291e7d549bc96128f3accd34e80'),
      blockId: '9ddba291e7d549bc96128f3accd34e80',
      blockType: 'problem',
      kind: 'component',
      name: 'Multiple Choice with Hints and Feedback',
      parentKey: pr1Key('vertical', '845f578906ad4efcb95e656c1dd1e1fb'),
      chapterKey: pr1Key('chapter', 'f3c107076b1040a7a669fc319a791ef8'),
      sequentialKey: pr1Key('sequential', 'ecec82a221f144efb8d42e8e3576daa8'),
      unitKey: pr1Key('vertical', '845f578906ad4efcb95e656c1dd1e1fb'),
      position: 2,
      label: null,
      courseOrder: 6,
      unitOrder: null,
      randomized: false,
      duration: null,
      graded: null,
    });
  });

  it('finds the course block when the answer has a course_id and no root', () => {
    const answer = { ...answers.get(VD)!, root: undefined };
    const structure = flattenCourseBlocks(answer);
    expect(structure.rootKey).toBe('block-v1:OpenCraft+VD101x+2016+type@course+block@course');
    expect(structure.blocks).toHaveLength(5);
  });

  it('derives the course id from the root when there is no course_id', () => {
    const answer = { ...answers.get(DND)!, course_id: undefined };
    expect(flattenCourseBlocks(answer).courseId).toBe(DND);
  });
});

describe('flattenCourseBlocks on nested containers', () => {
  const COURSE = 'course-v1:T+Nest+2025';
  const tree: Node = [
    'course',
    'course',
    [
      [
        'chapter',
        'ch1',
        [
          [
            'sequential',
            's1',
            [
              [
                'vertical',
                'u1',
                [
                  ['html', 'h1'],
                  [
                    'split_test',
                    'st',
                    [
                      [
                        'vertical',
                        'g1',
                        [
                          ['problem', 'p1', undefined, { graded: true }],
                          ['video', 'v1', undefined, { student_view_data: { duration: 30 } }],
                        ],
                      ],
                      ['vertical', 'g2', [['problem', 'p2']]],
                    ],
                  ],
                  [
                    'library_content',
                    'lib',
                    [
                      ['problem', 'lp1'],
                      ['problem', 'lp2'],
                    ],
                  ],
                  ['library_content', 'emptylib', []],
                ],
              ],
              ['vertical', 'u2', [['conditional', 'cond', [['problem', 'cp']]]]],
            ],
          ],
          ['sequential', 's2', []],
        ],
      ],
      ['chapter', 'ch2', [['sequential', 's3', [['vertical', 'u3', [['discussion', 'd']]]]]]],
    ],
  ];
  const structure = flattenCourseBlocks(answerOf(COURSE, tree));
  const blocks = byId(structure.blocks);
  const key = (type: string, id: string) => `block-v1:T+Nest+2025+type@${type}+block@${id}`;

  it('counts containers apart from components, and units only at the unit level', () => {
    expect(countKinds(structure.blocks)).toEqual({
      course: 1,
      chapter: 2,
      sequential: 3,
      unit: 3,
      container: 6,
      component: 8,
    });
    const kinds = (kind: string) =>
      structure.blocks.filter((b) => b.kind === kind).map((b) => b.blockId);
    expect(kinds('container')).toEqual(['st', 'g1', 'g2', 'lib', 'emptylib', 'cond']);
    expect(kinds('component')).toEqual(['h1', 'p1', 'v1', 'p2', 'lp1', 'lp2', 'cp', 'd']);
    expect(
      kinds('unit').map((id) => [id, blocks.get(id)!.label, blocks.get(id)!.unitOrder]),
    ).toEqual([
      ['u1', '1.1.1', 1],
      ['u2', '1.1.2', 2],
      ['u3', '2.1.1', 3],
    ]);
  });

  it('gives the leaves of a split_test group to the unit above, randomized', () => {
    expect(blocks.get('p1')).toMatchObject({
      kind: 'component',
      parentKey: key('vertical', 'g1'),
      unitKey: key('vertical', 'u1'),
      sequentialKey: key('sequential', 's1'),
      chapterKey: key('chapter', 'ch1'),
      position: 1,
      label: null,
      randomized: true,
      graded: true,
    });
    expect(blocks.get('g2')).toMatchObject({
      kind: 'container',
      position: 2,
      label: null,
      unitOrder: null,
      unitKey: key('vertical', 'u1'),
      randomized: true,
    });
    expect(blocks.get('v1')).toMatchObject({ randomized: true, duration: 30 });
  });

  it('marks only what is below a randomising block', () => {
    const randomized = structure.blocks.filter((b) => b.randomized).map((b) => b.blockId);
    expect(randomized).toEqual(['g1', 'p1', 'v1', 'g2', 'p2', 'lp1', 'lp2']);
    expect(blocks.get('cp')).toMatchObject({ kind: 'component', randomized: false });
    expect(blocks.get('lib')).toMatchObject({ kind: 'container', position: 3 });
  });

  it('numbers the blocks in pre-order', () => {
    expect(structure.blocks.map((b) => b.blockId)).toEqual([
      'course',
      'ch1',
      's1',
      'u1',
      'h1',
      'st',
      'g1',
      'p1',
      'v1',
      'g2',
      'p2',
      'lib',
      'lp1',
      'lp2',
      'emptylib',
      'u2',
      'cond',
      'cp',
      's2',
      'ch2',
      's3',
      'u3',
      'd',
    ]);
  });
});

describe('flattenCourseBlocks on odd answers', () => {
  const COURSE = 'course-v1:T+Odd+2025';
  const key = (type: string, id: string) => `block-v1:T+Odd+2025+type@${type}+block@${id}`;

  it('skips missing children, cycles and repeated blocks, and ignores unreachable blocks', () => {
    const answer = answerOf(COURSE, [
      'course',
      'course',
      [['chapter', 'c', [['sequential', 's', [['vertical', 'u', [['html', 'a']]]]]]]],
    ]);
    const blocks = answer.blocks;
    blocks[key('vertical', 'u')]!.children = [
      key('html', 'gone'),
      key('vertical', 'u'),
      key('html', 'a'),
      key('problem', 'b'),
      key('html', 'a'),
    ];
    blocks[key('problem', 'b')] = {
      id: key('problem', 'b'),
      type: 'problem',
      children: [key('chapter', 'c'), key('problem', 'b')],
    };
    blocks[key('chapter', 'orphan')] = { id: key('chapter', 'orphan'), type: 'chapter' };
    const structure = flattenCourseBlocks(answer);
    expect(structure.blocks.map((b) => [b.blockId, b.kind, b.position])).toEqual([
      ['course', 'course', null],
      ['c', 'chapter', 1],
      ['s', 'sequential', 1],
      ['u', 'unit', 1],
      ['a', 'component', 1],
      ['b', 'component', 2],
    ]);
    // No block_id field: the part after block@.
    expect(structure.blocks[5]!.blockId).toBe('b');
  });

  it('reads a duration only when it is a number above 0', () => {
    const videos: Node[] = [
      ['video', 'ok', undefined, { student_view_data: { duration: 125.5 } }],
      ['video', 'zero', undefined, { student_view_data: { duration: 0 } }],
      ['video', 'negative', undefined, { student_view_data: { duration: -3 } }],
      ['video', 'null', undefined, { student_view_data: { duration: null } }],
      ['video', 'text', undefined, { student_view_data: { duration: '60' } }],
      ['video', 'youtube', undefined, { student_view_data: { only_on_web: false } }],
      ['video', 'none'],
    ];
    const structure = flattenCourseBlocks(
      answerOf(COURSE, [
        'course',
        'course',
        [['chapter', 'c', [['sequential', 's', [['vertical', 'u', videos]]]]]],
      ]),
    );
    expect(
      Object.fromEntries(
        structure.blocks.filter((b) => b.blockType === 'video').map((b) => [b.blockId, b.duration]),
      ),
    ).toEqual({
      ok: 125.5,
      zero: null,
      negative: null,
      null: null,
      text: null,
      youtube: null,
      none: null,
    });
  });

  it.each([
    [null, 'course blocks answer is not a JSON object'],
    [[], 'course blocks answer is not a JSON object'],
    [{ root: 'x' }, 'course blocks answer has no "blocks" object'],
    [{ root: 'x', blocks: [] }, 'course blocks answer has no "blocks" object'],
    [{ blocks: {} }, 'course blocks answer has neither a "root" nor a "course_id"'],
    [{ root: 5, blocks: {} }, 'course blocks answer has a "root" that is not a string'],
    [{ root: 'x', blocks: {} }, 'course blocks answer\'s root x is not in "blocks"'],
    [
      { course_id: 'course-v1:A+B+C', blocks: {} },
      'course blocks answer has no "root" and no block of type "course"',
    ],
    [{ root: 'x', blocks: { x: 'course' } }, "course blocks answer's block x is not an object"],
    [{ root: 'x', blocks: { x: {} } }, 'course blocks answer\'s block x has no "type"'],
    [
      { root: 'x', blocks: { x: { type: 'chapter' } } },
      'course blocks answer\'s root x is a block of type "chapter", not "course"',
    ],
    [
      { course_id: 'course-v1:A+B+C', root: 'x', blocks: { x: { type: 'course', children: 'y' } } },
      'course blocks answer\'s block x has "children" that are not a list of usage keys',
    ],
    [
      { root: 'x', blocks: { x: { type: 'course' } } },
      'course blocks answer has no "course_id" and its root x does not name a course',
    ],
    [
      { detail: 'You do not have permission to perform this action.' },
      'course blocks answer has no "blocks" object',
    ],
  ])('refuses %j', (answer, message) => {
    expect(() => flattenCourseBlocks(answer)).toThrow(message);
  });
});

describe('storeStructure', () => {
  let db: TestDatabase;
  const answers = fixtureAnswers();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const row = async (courseId: string, blockId: string) =>
    (
      await db.sql`
        SELECT kind, label, position, course_order, unit_order, active, unit_key
        FROM course_blocks WHERE course_id = ${courseId} AND block_id = ${blockId}`
    )[0];
  const structureRow = async (courseId: string) =>
    (
      await db.sql<
        { imported_at: Date; changed_at: Date; content_sha256: Buffer; source: string }[]
      >`
        SELECT * FROM course_structures WHERE course_id = ${courseId}`
    )[0]!;

  it('stores every block, then re-imports without change, then keeps removed blocks inactive', async () => {
    const answer = answers.get(PR1)!;
    expect(await storeStructure(db.sql, answer, 'first')).toEqual({
      courseId: PR1,
      name: 'Problem Response Demo Course 1',
      blocks: 25,
      active: 25,
      inactive: 0,
      units: 7,
      changed: true,
    });
    const [stored] = await db.sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE active)::int AS active,
             count(*) FILTER (WHERE kind = 'unit')::int AS units
      FROM course_blocks WHERE course_id = ${PR1}`;
    expect(stored).toEqual({ n: 25, active: 25, units: 7 });
    const first = await structureRow(PR1);

    // The same answer again: nothing changed but the import time.
    const again = await storeStructure(db.sql, answer, 'second');
    expect(again).toMatchObject({ blocks: 25, active: 25, inactive: 0, changed: false });
    const second = await structureRow(PR1);
    expect(second.changed_at).toEqual(first.changed_at);
    expect(second.imported_at.getTime()).toBeGreaterThan(first.imported_at.getTime());
    expect(second.content_sha256).toEqual(first.content_sha256);
    expect(second.source).toBe('second');

    // Unit 1.1.2 and its problem disappear.
    const removedUnit = pr1Key('vertical', '883bde5c84bb463991d4ed91884202f8');
    const removedProblem = pr1Key('problem', '7cb701dffe9841c3adea9f40134744f9');
    const smaller = structuredClone(answer);
    delete smaller.blocks[removedUnit];
    delete smaller.blocks[removedProblem];
    const sequential = smaller.blocks[pr1Key('sequential', 'ecec82a221f144efb8d42e8e3576daa8')]!;
    sequential.children = sequential.children!.filter((child) => child !== removedUnit);
    expect(await storeStructure(db.sql, smaller, 'third')).toMatchObject({
      blocks: 25,
      active: 23,
      inactive: 2,
      units: 6,
      changed: true,
    });
    const third = await structureRow(PR1);
    expect(third.changed_at.getTime()).toBeGreaterThan(second.changed_at.getTime());
    expect(await row(PR1, '883bde5c84bb463991d4ed91884202f8')).toEqual({
      kind: 'unit',
      label: '1.1.2',
      position: 2,
      course_order: null,
      unit_order: null,
      active: false,
      unit_key: removedUnit,
    });
    expect(await row(PR1, '7cb701dffe9841c3adea9f40134744f9')).toMatchObject({
      kind: 'component',
      active: false,
      position: 1,
      course_order: null,
    });
    // The units after it move up, so "the next unit" skips the removed one.
    expect(await row(PR1, '3e01c95e81104903b1d2fd28d2228113')).toMatchObject({
      label: '1.2.1',
      unit_order: 2,
      course_order: 8,
      active: true,
    });

    // Back again: active, in its place.
    expect(await storeStructure(db.sql, answer, 'fourth')).toMatchObject({
      blocks: 25,
      active: 25,
      inactive: 0,
      changed: true,
    });
    expect(await row(PR1, '883bde5c84bb463991d4ed91884202f8')).toMatchObject({
      active: true,
      unit_order: 2,
      course_order: 7,
    });
    expect((await structureRow(PR1)).content_sha256).toEqual(first.content_sha256);
  });

  it('keeps the stored dates unless new ones are given', async () => {
    const answer = answers.get(VD)!;
    const start = new Date('2016-01-01T00:00:00Z');
    await storeStructure(db.sql, answer, 'lms', { dates: { start, end: null } });
    await storeStructure(db.sql, answer, 'file');
    const [dates] = await db.sql`
      SELECT start_date, end_date FROM course_structures WHERE course_id = ${VD}`;
    expect(dates).toEqual({ start_date: start, end_date: null });
  });

  it('stores nothing from a malformed answer', async () => {
    await expect(storeStructure(db.sql, { blocks: 3 }, 'x')).rejects.toThrow(
      'course blocks answer has no "blocks" object',
    );
  });
});

describe('syncStructures with the LMS', () => {
  let db: TestDatabase;
  let lms: FakeLms;
  const answers = fixtureAnswers();

  /** The answer as the LMS sends it: no course_id. */
  const lmsAnswer = (courseId: string) => {
    const answer = { ...answers.get(courseId)! };
    delete answer.course_id;
    return answer;
  };
  const client = (options: Partial<LmsClientOptions> = {}) =>
    new LmsClient({
      baseUrl: lms.url,
      clientId: lms.clientId,
      clientSecret: lms.clientSecret,
      timeoutMs: 2000,
      retryBaseMs: 5,
      ...options,
    });
  const count = (endpoint: string) => lms.requests.filter((r) => r.endpoint === endpoint).length;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.sql`TRUNCATE course_structures CASCADE`;
    lms = await startFakeLms({
      courses: {
        [PR1]: { answer: lmsAnswer(PR1), start: '2016-02-01T00:00:00Z', end: null },
        [PR2]: { answer: lmsAnswer(PR2) },
        [VD]: { answer: lmsAnswer(VD), start: '2016-03-01T00:00:00Z', end: '2016-06-30T00:00:00Z' },
      },
    });
  });
  afterEach(() => lms.close());

  it('fetches a token once, then the structure and the dates of each course', async () => {
    const outcomes = await syncStructures(db.sql, client(), [PR1, VD]);
    expect(outcomes).toEqual([
      {
        courseId: PR1,
        status: 'synced',
        name: 'Problem Response Demo Course 1',
        blocks: 25,
        active: 25,
        inactive: 0,
        units: 7,
        changed: true,
      },
      expect.objectContaining({ courseId: VD, status: 'synced', blocks: 5 }),
    ]);
    expect(lms.requests.map((r) => [r.endpoint, r.courseId, r.status])).toEqual([
      ['token', undefined, 200],
      ['blocks', PR1, 200],
      ['course', PR1, 200],
      ['blocks', VD, 200],
      ['course', VD, 200],
    ]);
    expect(lms.requests[1]!.authorization).toMatch(/^JWT [\w-]+\.[\w-]+\.[\w-]+$/);
    const rows = await db.sql`
      SELECT course_id, source, start_date, end_date FROM course_structures ORDER BY course_id`;
    expect(rows).toEqual([
      {
        course_id: PR1,
        source: lms.url,
        start_date: new Date('2016-02-01T00:00:00Z'),
        end_date: null,
      },
      {
        course_id: VD,
        source: lms.url,
        start_date: new Date('2016-03-01T00:00:00Z'),
        end_date: new Date('2016-06-30T00:00:00Z'),
      },
    ]);
  });

  it('retries after 503s and succeeds', async () => {
    lms.fault('blocks', { status: 503 }, { times: 2 });
    const [outcome] = await syncStructures(db.sql, client(), [PR1]);
    expect(outcome).toMatchObject({ status: 'synced', blocks: 25 });
    expect(lms.requests.filter((r) => r.endpoint === 'blocks').map((r) => r.status)).toEqual([
      503, 503, 200,
    ]);
  });

  it('gives up after the last retry, naming the course and the status', async () => {
    lms.fault('blocks', { status: 502 }, { times: 10 });
    const [outcome] = await syncStructures(db.sql, client({ retries: 2 }), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error: `LMS failed to give the course structure of ${PR1}: 502 Bad Gateway (3 attempts)`,
    });
    expect(count('blocks')).toBe(3);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    lms.fault('blocks', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const [outcome] = await syncStructures(db.sql, client(), [PR1]);
    expect(outcome).toMatchObject({ status: 'synced' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(count('blocks')).toBe(2);
  });

  it('does not retry a 403, and names the course', async () => {
    lms.fault('blocks', { status: 403 }, { times: 5 });
    const [outcome] = await syncStructures(db.sql, client(), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error:
        `LMS refused the course structure of ${PR1}: 403 Forbidden ` +
        '(You do not have permission to perform this action.)',
    });
    expect(count('blocks')).toBe(1);
    expect(await db.sql`SELECT * FROM course_structures`).toHaveLength(0);
  });

  it('times out a request that hangs, retries it, and gives up', async () => {
    lms.fault('blocks', { hangMs: 5000 }, { times: 5 });
    const started = Date.now();
    const [outcome] = await syncStructures(db.sql, client({ timeoutMs: 150, retries: 1 }), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error: `could not fetch the course structure of ${PR1} from the LMS: no answer within 150 ms (2 attempts)`,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(count('blocks')).toBe(2);
  });

  it('retries a request that timed out once', async () => {
    lms.fault('blocks', { hangMs: 5000 });
    const [outcome] = await syncStructures(db.sql, client({ timeoutMs: 150 }), [PR1]);
    expect(outcome).toMatchObject({ status: 'synced' });
  });

  it('fetches a new token once when the LMS says the token expired', async () => {
    const lmsClient = client();
    await syncStructures(db.sql, lmsClient, [PR1]);
    lms.expireTokens();
    const [outcome] = await syncStructures(db.sql, lmsClient, [PR1]);
    expect(outcome).toMatchObject({ status: 'synced', changed: false });
    expect(lms.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ['token', 200],
      ['blocks', 200],
      ['course', 200],
      ['blocks', 401],
      ['token', 200],
      ['blocks', 200],
      ['course', 200],
    ]);
  });

  it('renews the token shortly before it expires', async () => {
    await lms.close();
    lms = await startFakeLms({ tokenLifetime: 1, courses: { [VD]: { answer: lmsAnswer(VD) } } });
    const lmsClient = client();
    await syncStructures(db.sql, lmsClient, [VD]);
    await new Promise((resolve) => setTimeout(resolve, 950));
    await syncStructures(db.sql, lmsClient, [VD]);
    expect(count('token')).toBe(2);
    expect(lms.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('reports wrong client credentials', async () => {
    const [outcome] = await syncStructures(db.sql, client({ clientSecret: 'wrong' }), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error: `LMS refused the client credentials of LMS_OAUTH_CLIENT_ID ${lms.clientId}: 401 Unauthorized (invalid_client)`,
    });
  });

  it('fails every course at once when no token can be had', async () => {
    lms.fault('token', { status: 503 }, { times: 10 });
    const outcomes = await syncStructures(db.sql, client({ retries: 1 }), [PR1, PR2, VD]);
    const error = 'LMS failed to give an access token: 503 Service Unavailable (2 attempts)';
    expect(outcomes).toEqual([
      { courseId: PR1, status: 'failed', error },
      { courseId: PR2, status: 'failed', error },
      { courseId: VD, status: 'failed', error },
    ]);
    expect(lms.requests.map((r) => r.endpoint)).toEqual(['token', 'token']);
  });

  it('retries the token request after a network-level failure', async () => {
    lms.fault('token', { hangMs: 5000 });
    const [outcome] = await syncStructures(db.sql, client({ timeoutMs: 150 }), [VD]);
    expect(outcome).toMatchObject({ status: 'synced' });
    expect(count('token')).toBe(2);
  });

  it('names an LMS that cannot be reached', async () => {
    const url = lms.url;
    await lms.close();
    const [outcome] = await syncStructures(db.sql, client({ baseUrl: url, retries: 1 }), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error: 'could not get an access token from the LMS: ECONNREFUSED (2 attempts)',
    });
    lms = await startFakeLms();
  });

  it('refuses an answer that is not JSON (LMS_BASE_URL pointing elsewhere)', async () => {
    lms.fault('blocks', { status: 200, body: '<!doctype html><title>Learning</title>' });
    const [outcome] = await syncStructures(db.sql, client(), [PR1]);
    expect(outcome).toEqual({
      courseId: PR1,
      status: 'failed',
      error: `LMS answered the course structure of ${PR1} with something that is not JSON`,
    });
  });

  it('goes on with the other courses when one fails', async () => {
    const outcomes = await syncStructures(db.sql, client(), [PR1, 'course-v1:No+Such+Course', VD]);
    expect(outcomes.map((o) => [o.courseId, o.status])).toEqual([
      [PR1, 'synced'],
      ['course-v1:No+Such+Course', 'failed'],
      [VD, 'synced'],
    ]);
    expect(outcomes[1]).toMatchObject({
      error:
        'LMS refused the course structure of course-v1:No+Such+Course: 404 Not Found (Block not found: course-v1:No+Such+Course)',
    });
  });

  it('leaves the dates empty when the Courses API fails', async () => {
    lms.fault('course', { status: 500 }, { times: 5 });
    const [outcome] = await syncStructures(db.sql, client(), [PR1]);
    expect(outcome).toMatchObject({ status: 'synced' });
    const [dates] = await db.sql`SELECT start_date, end_date FROM course_structures`;
    expect(dates).toEqual({ start_date: null, end_date: null });
  });

  it('refuses an answer about another course', async () => {
    lms.courses.set(DND, { answer: lmsAnswer(VD) });
    const [outcome] = await syncStructures(db.sql, client(), [DND]);
    expect(outcome).toEqual({
      courseId: DND,
      status: 'failed',
      error: `the LMS answered the structure of ${VD} for ${DND}`,
    });
  });

  it('syncs the courses seen in the events, legacy ids mapped, and onlyMissing skips stored ones', async () => {
    await db.sql`
      INSERT INTO events (time, file_id, line_no, course_id, event_type, line_hash)
      SELECT now(), 1, n, c, 'page_close', decode(md5(n::text), 'hex')
      FROM unnest(${[PR1, 'OpenCraft/PRDemo2/2016', PR2, 'OpenCraft/VD101x/2016']}::text[])
           WITH ORDINALITY AS t(c, n)`;
    await storeStructure(db.sql, answers.get(PR1), 'file');
    const missing = await syncStructures(db.sql, client(), undefined, { onlyMissing: true });
    expect(missing.map((o) => [o.courseId, o.status])).toEqual([
      [PR2, 'synced'],
      [VD, 'synced'],
    ]);
    expect(lms.requests.filter((r) => r.endpoint === 'blocks').map((r) => r.courseId)).toEqual([
      PR2,
      VD,
    ]);
    const all = await syncStructures(db.sql, client(), undefined);
    expect(all.map((o) => o.courseId).sort()).toEqual([PR1, PR2, VD]);
    expect(await syncStructures(db.sql, client(), undefined, { onlyMissing: true })).toEqual([]);
    await db.sql`TRUNCATE events`;
  });
});
