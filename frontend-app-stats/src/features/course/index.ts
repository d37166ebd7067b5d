export { CourseLayout } from './CourseLayout.tsx';
export { useCourse, useGroup, type CourseContext } from './context.ts';
export { GroupSwitch } from './RangeToolbar.tsx';
export { default as courseMessages } from './messages.ts';
