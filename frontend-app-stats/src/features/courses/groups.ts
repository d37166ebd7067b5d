// Which courses are current and which archived, and the search over them.
import type { CourseListItem } from '@course-stats/db/types';

/** Archived: the course has ended (its end date is past). Current: the rest, newest data first. */
export function splitCourses(courses: readonly CourseListItem[], now = new Date()) {
  const ended = (course: CourseListItem) =>
    course.end !== null && course.end !== undefined && Date.parse(course.end) < now.getTime();
  const byActivity = (a: CourseListItem, b: CourseListItem) =>
    (b.last_event ?? '').localeCompare(a.last_event ?? '') ||
    a.course_id.localeCompare(b.course_id);
  return {
    current: courses.filter((course) => !ended(course)).sort(byActivity),
    archived: courses.filter(ended).sort(byActivity),
  };
}

/** Courses whose name or key holds every word of the query, case and accents aside. */
export function searchCourses(courses: readonly CourseListItem[], query: string): CourseListItem[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...courses];
  return courses.filter((course) => {
    const text = fold(`${course.name ?? ''} ${course.course_id}`);
    return words.every((word) => text.includes(word));
  });
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
