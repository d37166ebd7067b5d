import { Random, mixSeed } from './random.ts';
import { LMS_BASE_URL, LMS_HOST } from './site.ts';

export type ComponentType = 'html' | 'problem' | 'video' | 'discussion';
export type ContainerType = 'library_content' | 'split_test';

/** A block that shows each learner only some of its leaves. */
export interface RandomizedContainer {
  key: string;
  type: ContainerType;
  /** library_content: how many of its problems a learner gets; split_test: 1 (one group). */
  shownCount: number;
  /** split_test: the number of groups; library_content: the number of problems. */
  choiceCount: number;
}

export interface Component {
  key: string;
  blockId: string;
  type: ComponentType;
  name: string;
  /** Videos: the real length in seconds (players report it even when the LMS does not know it). */
  duration: number;
  /** Videos without an edx-val entry: the LMS answers `duration: null` for these. */
  youtubeId: string | null;
  /** Leaves inside a library_content or split_test block. */
  container: RandomizedContainer | null;
  /** The library slot or split_test group this leaf belongs to. */
  choice: number;
  /** Discussion components: the forum topic they show. */
  discussionId: string | null;
}

export interface Unit {
  key: string;
  blockId: string;
  name: string;
  /** `chapter.sequential.vertical`, 1-based. */
  label: string;
  /** Position in course order, 0-based. */
  index: number;
  /** Position in its sequential, 1-based, as the Learning MFE counts tabs. */
  position: number;
  sequential: Sequential;
  components: Component[];
}

export interface Sequential {
  key: string;
  blockId: string;
  name: string;
  index: number;
  graded: boolean;
  format: string | null;
  units: Unit[];
}

export interface Chapter {
  key: string;
  blockId: string;
  name: string;
  sequentials: Sequential[];
}

export interface CourseKeyParts {
  org: string;
  number: string;
  run: string;
}

export interface Course {
  courseId: string;
  keyParts: CourseKeyParts;
  rootKey: string;
  name: string;
  /** The 24-hex version id grade events carry. */
  version: string;
  chapters: Chapter[];
  sequentials: Sequential[];
  units: Unit[];
  components: Component[];
  videos: Component[];
  /** Forum topics: the course-wide ones and those of the discussion components. */
  discussionTopics: string[];
  /** The Course Blocks API answer describing this course. */
  blocksAnswer: CourseBlocksAnswer;
}

export interface ApiBlock {
  id: string;
  block_id: string;
  lms_web_url: string;
  legacy_web_url: string;
  student_view_url: string;
  type: string;
  display_name: string;
  graded: boolean;
  format?: string;
  children?: string[];
  student_view_data?: VideoStudentViewData;
}

export interface VideoStudentViewData {
  only_on_web: boolean;
  duration: number | null;
  transcripts: Record<string, string>;
  encoded_videos: Record<string, { url: string; file_size: number }>;
  all_sources: string[];
}

export interface CourseBlocksAnswer {
  root: string;
  blocks: Record<string, ApiBlock>;
}

const COURSE_NAME = 'Statistics 101: Learning from Data';

const CHAPTER_OUTLINE: readonly (readonly [string, readonly string[]])[] = [
  [
    'Getting Started',
    ['Welcome', 'How This Course Works', 'Your First Dataset', 'Tools of the Trade'],
  ],
  [
    'Describing Data',
    ['Types of Variables', 'Measures of Centre', 'Measures of Spread', 'Visualising Data'],
  ],
  [
    'Probability',
    ['Events and Outcomes', 'Conditional Probability', 'Random Variables', 'The Normal Curve'],
  ],
  [
    'Sampling',
    ['Populations and Samples', 'Sampling Distributions', 'Central Limit Theorem', 'Sampling Bias'],
  ],
  [
    'Estimation',
    ['Point Estimates', 'Confidence Intervals', 'Intervals for Proportions', 'Sample Size'],
  ],
  ['Hypothesis Testing', ['Null and Alternative', 'p-Values', 'Errors and Power', 'Final Exam']],
];

const UNIT_NAMES = [
  'Introduction',
  'Key Ideas',
  'Worked Example',
  'Try It Yourself',
  'Practice Problems',
  'A Closer Look',
  'Case Study',
  'Common Mistakes',
  'Summary',
  'Going Further',
  'Check Your Understanding',
  'Réflexion: Data in Context',
];

type UnitKind = 'lecture' | 'practice' | 'mixed' | 'reading' | 'discussion';

const UNIT_KIND_COMPONENTS: Record<UnitKind, readonly ComponentType[]> = {
  lecture: ['html', 'video', 'html'],
  practice: ['html', 'problem', 'problem'],
  mixed: ['video', 'problem'],
  reading: ['html'],
  discussion: ['html', 'discussion'],
};

const GRADED_FORMATS = ['Homework', 'Lab'];

export function parseCourseId(courseId: string): CourseKeyParts {
  const match = /^course-v1:([^+/]+)\+([^+/]+)\+([^+/]+)$/.exec(courseId);
  if (!match) throw new Error(`not a course-v1 course id: ${courseId}`);
  return { org: match[1] as string, number: match[2] as string, run: match[3] as string };
}

export function usageKey(parts: CourseKeyParts, type: string, blockId: string): string {
  return `block-v1:${parts.org}+${parts.number}+${parts.run}+type@${type}+block@${blockId}`;
}

/** Builds the course tree and its Course Blocks API answer; the same seed gives the same course. */
export function buildCourse(courseId: string, seed: number): Course {
  const builder = new CourseBuilder(courseId, new Random(mixSeed(seed, 0xc0)));
  return builder.build();
}

class CourseBuilder {
  private readonly keyParts: CourseKeyParts;
  private readonly blocks: Record<string, ApiBlock> = {};
  private readonly chapters: Chapter[] = [];
  private readonly sequentials: Sequential[] = [];
  private readonly units: Unit[] = [];
  private readonly components: Component[] = [];
  private readonly discussionTopics: string[] = [];
  private readonly rootKey: string;

  constructor(
    private readonly courseId: string,
    private readonly random: Random,
  ) {
    this.keyParts = parseCourseId(courseId);
    this.rootKey = usageKey(this.keyParts, 'course', 'course');
  }

  build(): Course {
    this.discussionTopics.push(this.random.hex(32), this.random.hex(32));
    const chapterKeys = CHAPTER_OUTLINE.map(([name, sequentialNames], chapterIndex) =>
      this.addChapter(name, sequentialNames, chapterIndex),
    );
    this.placeRandomizedContainers();
    this.addBlock(this.rootKey, 'course', 'course', COURSE_NAME, false, chapterKeys);
    return {
      courseId: this.courseId,
      keyParts: this.keyParts,
      rootKey: this.rootKey,
      name: COURSE_NAME,
      version: this.random.hex(24),
      chapters: this.chapters,
      sequentials: this.sequentials,
      units: this.units,
      components: this.components,
      videos: this.components.filter((component) => component.type === 'video'),
      discussionTopics: this.discussionTopics,
      blocksAnswer: { root: this.rootKey, blocks: orderBlocks(this.rootKey, this.blocks) },
    };
  }

  private addChapter(
    name: string,
    sequentialNames: readonly string[],
    chapterIndex: number,
  ): string {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, 'chapter', blockId);
    const isLastChapter = chapterIndex === CHAPTER_OUTLINE.length - 1;
    const sequentialCount = this.random.int(2, 4);
    const chosenNames = sequentialNames.slice(0, sequentialCount);
    if (isLastChapter) chosenNames[chosenNames.length - 1] = 'Final Exam';
    const chapter: Chapter = { key, blockId, name, sequentials: [] };
    const sequentialKeys = chosenNames.map((sequentialName, position) =>
      this.addSequential(chapter, chapterIndex, sequentialName, position, chosenNames.length),
    );
    this.chapters.push(chapter);
    this.addBlock(key, 'chapter', blockId, name, false, sequentialKeys);
    return key;
  }

  private addSequential(
    chapter: Chapter,
    chapterIndex: number,
    name: string,
    position: number,
    count: number,
  ): string {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, 'sequential', blockId);
    const isExam = name === 'Final Exam';
    const graded = isExam || (position === count - 1 && chapterIndex > 0);
    const format = isExam ? 'Final Exam' : graded ? this.random.pick(GRADED_FORMATS) : null;
    const sequential: Sequential = {
      key,
      blockId,
      name,
      index: this.sequentials.length,
      graded,
      format,
      units: [],
    };
    this.sequentials.push(sequential);
    chapter.sequentials.push(sequential);
    const unitCount = isExam ? 2 : this.random.int(2, 5);
    const unitKeys: string[] = [];
    for (let i = 0; i < unitCount; i++) {
      const kind = isExam ? 'practice' : this.chooseUnitKind(i, unitCount, graded);
      const label = `${chapterIndex + 1}.${position + 1}.${i + 1}`;
      unitKeys.push(this.addUnit(sequential, kind, i, label));
    }
    this.addBlock(key, 'sequential', blockId, name, graded, unitKeys, format);
    return key;
  }

  private chooseUnitKind(position: number, count: number, graded: boolean): UnitKind {
    if (position === 0) return 'lecture';
    if (graded && position === count - 1) return 'practice';
    return this.random.weighted<UnitKind>(
      ['lecture', 'practice', 'mixed', 'reading', 'discussion'],
      [4, 3, 3, 1, 1],
    );
  }

  private addUnit(sequential: Sequential, kind: UnitKind, position: number, label: string): string {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, 'vertical', blockId);
    const name = position === 0 ? 'Introduction' : this.random.pick(UNIT_NAMES.slice(1));
    const unit: Unit = {
      key,
      blockId,
      name,
      label,
      index: this.units.length,
      position: position + 1,
      sequential,
      components: [],
    };
    this.units.push(unit);
    sequential.units.push(unit);
    const childKeys = UNIT_KIND_COMPONENTS[kind].map((type, i) =>
      this.addComponent(unit, type, `${name}${i > 0 ? ` (${i + 1})` : ''}`, null, 0),
    );
    this.addBlock(key, 'vertical', blockId, name, sequential.graded, childKeys);
    return key;
  }

  private addComponent(
    unit: Unit,
    type: ComponentType,
    unitName: string,
    container: RandomizedContainer | null,
    choice: number,
  ): string {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, type, blockId);
    const component: Component = {
      key,
      blockId,
      type,
      name: componentName(type, unitName),
      duration: 0,
      youtubeId: null,
      container,
      choice,
      discussionId: null,
    };
    if (type === 'video') this.describeVideo(component);
    if (type === 'discussion') {
      component.discussionId = this.random.hex(32);
      this.discussionTopics.push(component.discussionId);
    }
    unit.components.push(component);
    this.components.push(component);
    const graded = type === 'problem' && unit.sequential.graded;
    const block = this.addBlock(key, type, blockId, component.name, graded);
    if (type === 'video') block.student_view_data = videoStudentViewData(component, this.courseId);
    return key;
  }

  private describeVideo(video: Component): void {
    video.duration = Math.round(this.random.between(60, 900) * 100) / 100;
    // About one video in eight is YouTube-only: no edx-val entry, so no duration in the API.
    if (this.random.chance(0.125)) video.youtubeId = youtubeId(this.random);
  }

  /** One unit gets a problem bank (library_content) and another an A/B test (split_test). */
  private placeRandomizedContainers(): void {
    const candidates = this.units.filter((unit) => !unit.sequential.graded && unit.position > 1);
    const pool = candidates.length >= 2 ? candidates : this.units;
    const libraryUnit = pool[Math.floor(pool.length / 2)] as Unit;
    const splitUnit = pool[Math.floor(pool.length / 4)] as Unit;
    this.addLibraryContent(libraryUnit);
    if (splitUnit !== libraryUnit) this.addSplitTest(splitUnit);
  }

  private addLibraryContent(unit: Unit): void {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, 'library_content', blockId);
    const problemCount = 5;
    const container: RandomizedContainer = {
      key,
      type: 'library_content',
      shownCount: 2,
      choiceCount: problemCount,
    };
    const childKeys: string[] = [];
    for (let i = 0; i < problemCount; i++) {
      childKeys.push(this.addComponent(unit, 'problem', `Problem Bank ${i + 1}`, container, i));
    }
    this.addBlock(key, 'library_content', blockId, 'Randomised Practice', false, childKeys);
    this.appendChild(unit.key, key);
  }

  private addSplitTest(unit: Unit): void {
    const blockId = this.random.hex(32);
    const key = usageKey(this.keyParts, 'split_test', blockId);
    const container: RandomizedContainer = {
      key,
      type: 'split_test',
      shownCount: 1,
      choiceCount: 2,
    };
    const groups: [string, ComponentType[]][] = [
      ['Group A: Video Explanation', ['video', 'html']],
      ['Group B: Text Explanation', ['html', 'problem']],
    ];
    const groupKeys = groups.map(([groupName, types], group) => {
      const groupBlockId = this.random.hex(32);
      const groupKey = usageKey(this.keyParts, 'vertical', groupBlockId);
      const leafKeys = types.map((type) =>
        this.addComponent(unit, type, groupName.split(': ')[1] as string, container, group),
      );
      this.addBlock(groupKey, 'vertical', groupBlockId, groupName, false, leafKeys);
      return groupKey;
    });
    this.addBlock(key, 'split_test', blockId, 'Explanation Experiment', false, groupKeys);
    this.appendChild(unit.key, key);
  }

  private appendChild(parentKey: string, childKey: string): void {
    const parent = this.blocks[parentKey];
    if (!parent) throw new Error(`unknown parent block ${parentKey}`);
    parent.children = [...(parent.children ?? []), childKey];
  }

  private addBlock(
    key: string,
    type: string,
    blockId: string,
    displayName: string,
    graded: boolean,
    children?: string[],
    format?: string | null,
  ): ApiBlock {
    const block: ApiBlock = {
      id: key,
      block_id: blockId,
      lms_web_url: `${LMS_BASE_URL}/courses/${this.courseId}/jump_to/${key}`,
      legacy_web_url: `${LMS_BASE_URL}/courses/${this.courseId}/jump_to/${key}?experience=legacy`,
      student_view_url: `${LMS_BASE_URL}/xblock/${key}`,
      type,
      display_name: displayName,
      graded,
    };
    // The LMS leaves out `format` when it is null and `children` for leaves.
    if (format) block.format = format;
    if (children) block.children = children;
    this.blocks[key] = block;
    return block;
  }
}

function componentName(type: ComponentType, unitName: string): string {
  switch (type) {
    case 'html':
      return `Reading: ${unitName}`;
    case 'video':
      return `Video: ${unitName}`;
    case 'problem':
      return `Question: ${unitName}`;
    case 'discussion':
      return `Discuss: ${unitName}`;
  }
}

function youtubeId(random: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (let i = 0; i < 11; i++) id += alphabet[random.int(0, alphabet.length - 1)];
  return id;
}

/** What VideoBlock.student_view_data returns: duration only for videos managed by edx-val. */
function videoStudentViewData(video: Component, courseId: string): VideoStudentViewData {
  const transcripts = {
    en: `${LMS_BASE_URL}/courses/${courseId}/xblock/${video.key}/handler_noauth/transcript/download?lang=en`,
  };
  if (video.youtubeId) {
    return {
      only_on_web: false,
      duration: null,
      transcripts,
      encoded_videos: {
        youtube: { url: `https://www.youtube.com/watch?v=${video.youtubeId}`, file_size: 0 },
      },
      all_sources: [],
    };
  }
  const cdn = `https://cdn.${LMS_HOST}/video/${video.blockId.slice(0, 12)}`;
  const mobileBytes = Math.round(video.duration * 41_000);
  return {
    only_on_web: false,
    duration: video.duration,
    transcripts,
    encoded_videos: {
      hls: { url: `${cdn}/master.m3u8`, file_size: 0 },
      mobile_low: { url: `${cdn}/mobile_low.mp4`, file_size: mobileBytes },
      desktop_mp4: { url: `${cdn}/desktop.mp4`, file_size: mobileBytes * 4 },
    },
    all_sources: [],
  };
}

/** Lists the blocks depth-first from the root, the way the saved answers read best. */
function orderBlocks(rootKey: string, blocks: Record<string, ApiBlock>): Record<string, ApiBlock> {
  const ordered: Record<string, ApiBlock> = {};
  const visit = (key: string): void => {
    const block = blocks[key];
    if (!block) throw new Error(`missing block ${key}`);
    ordered[key] = block;
    for (const child of block.children ?? []) visit(child);
  };
  visit(rootKey);
  return ordered;
}
