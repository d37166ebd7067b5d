// What the course layout gives the pages under it (react-router's outlet context).
import { useOutletContext, useSearchParams } from 'react-router-dom';
import type { CourseListItem, UnitGroup } from '@course-stats/db/types';
import type { DayRange } from './range.ts';

export interface CourseContext {
  courseId: string;
  course: CourseListItem | undefined;
  range: DayRange;
  setRange: (range: DayRange) => void;
  wholeRun: DayRange;
}

export function useCourse(): CourseContext {
  return useOutletContext<CourseContext>();
}

const GROUPS: UnitGroup[] = ['unit', 'sequential', 'chapter'];

/** `?group=` of the URL (unit / sequential / chapter), with the page's default. */
export function useGroup(fallback: UnitGroup): [UnitGroup, (group: UnitGroup) => void] {
  const [search, setSearch] = useSearchParams();
  const value = search.get('group') as UnitGroup | null;
  const group = value && GROUPS.includes(value) ? value : fallback;
  const setGroup = (next: UnitGroup) => {
    const updated = new URLSearchParams(search);
    updated.set('group', next);
    setSearch(updated, { replace: true });
  };
  return [group, setGroup];
}
