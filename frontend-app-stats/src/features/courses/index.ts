export { CoursesPage } from './CoursesPage.tsx';
export { default as coursesMessages } from './messages.ts';
