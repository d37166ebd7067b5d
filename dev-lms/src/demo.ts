import type { DevLmsCourse, DevLmsOAuthClient, DevLmsRole, DevLmsUser } from './types.ts';

export const DEMO_COURSE_ID = 'course-v1:DemoOrg+STATS101+2025_T1';
export const OTHER_COURSE_ID = 'course-v1:OtherOrg+X+2025';

/** The demo accounts, one per kind of visitor the dashboard must tell apart. */
export const DEMO_USERS: DevLmsUser[] = [
  { username: 'staff', userId: 1, email: 'staff@example.com', name: 'Alice Staff' },
  { username: 'instructor', userId: 2, email: 'instructor@example.com', name: 'Ivan Instructor' },
  { username: 'researcher', userId: 3, email: 'researcher@example.com', name: 'Rita Researcher' },
  {
    username: 'admin',
    userId: 4,
    email: 'admin@example.com',
    name: 'Ada Admin',
    administrator: true,
  },
  { username: 'learner', userId: 5, email: 'learner@example.com', name: 'Leo Learner' },
  { username: 'other_staff', userId: 6, email: 'other_staff@example.com', name: 'Otto Other' },
];

export const DEMO_ROLES: DevLmsRole[] = [
  { username: 'staff', course_id: DEMO_COURSE_ID, role: 'staff' },
  { username: 'instructor', course_id: DEMO_COURSE_ID, role: 'instructor' },
  { username: 'researcher', course_id: DEMO_COURSE_ID, role: 'data_researcher' },
  { username: 'other_staff', course_id: OTHER_COURSE_ID, role: 'staff' },
];

/** A client-credentials application for the processor, acting as the global staff `admin`. */
export const DEMO_OAUTH_CLIENTS: DevLmsOAuthClient[] = [
  { clientId: 'course-stats-processor', clientSecret: 'dev-lms-secret', username: 'admin' },
];

/** The Course Blocks API answer of a small course (2 chapters × 2 sequentials × 2 units). */
export function demoBlocks(courseId: string, name: string, lmsUrl = 'http://127.0.0.1:18000') {
  const keyBase = courseId.replace(/^course-v1:/, '');
  const usageKey = (type: string, id: string) => `block-v1:${keyBase}+type@${type}+block@${id}`;
  const blocks: Record<string, Record<string, unknown>> = {};
  const add = (
    type: string,
    id: string,
    displayName: string,
    extra: Record<string, unknown> = {},
  ): string => {
    const key = usageKey(type, id);
    blocks[key] = {
      id: key,
      block_id: id,
      lms_web_url: `${lmsUrl}/courses/${courseId}/jump_to/${key}`,
      legacy_web_url: `${lmsUrl}/courses/${courseId}/jump_to/${key}?experience=legacy`,
      student_view_url: `${lmsUrl}/xblock/${key}`,
      type,
      display_name: displayName,
      graded: false,
      ...extra,
    };
    return key;
  };
  const chapters: string[] = [];
  for (let c = 1; c <= 2; c++) {
    const sequentials: string[] = [];
    for (let s = 1; s <= 2; s++) {
      const graded = s === 2;
      const units: string[] = [];
      for (let u = 1; u <= 2; u++) {
        const id = `${c}${s}${u}`;
        const components = [
          add('html', `html${id}`, `Reading ${c}.${s}.${u}`),
          add('video', `video${id}`, `Video ${c}.${s}.${u}`, {
            student_view_data: {
              only_on_web: false,
              duration: u === 1 ? 300 + 60 * c : null,
              transcripts: {},
              encoded_videos: {},
              all_sources: [],
            },
          }),
          add('problem', `problem${id}`, `Question ${c}.${s}.${u}`, { graded }),
        ];
        units.push(
          add('vertical', `unit${id}`, `Unit ${c}.${s}.${u}`, { graded, children: components }),
        );
      }
      const format = graded ? { format: 'Homework' } : {};
      sequentials.push(
        add('sequential', `seq${c}${s}`, `Lesson ${c}.${s}`, {
          graded,
          ...format,
          children: units,
        }),
      );
    }
    chapters.push(add('chapter', `chapter${c}`, `Week ${c}`, { children: sequentials }));
  }
  const root = add('course', 'course', name, { children: chapters });
  return { root, blocks };
}

export const DEMO_COURSES: DevLmsCourse[] = [
  {
    course_id: DEMO_COURSE_ID,
    name: 'Statistics 101: Learning from Data',
    start: '2025-09-01T00:00:00Z',
    end: '2025-12-31T00:00:00Z',
    image: null,
    blocks: demoBlocks(DEMO_COURSE_ID, 'Statistics 101: Learning from Data'),
  },
  {
    course_id: OTHER_COURSE_ID,
    name: 'Another Course',
    start: '2025-01-15T00:00:00Z',
    end: null,
    image: null,
    blocks: demoBlocks(OTHER_COURSE_ID, 'Another Course'),
  },
];
