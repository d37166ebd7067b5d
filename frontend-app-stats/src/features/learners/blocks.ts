// Names of the course's blocks by id, from the structure: the API's per-learner answers carry ids
// alone.
import type { CourseStructure } from '@course-stats/db/types';

export interface BlockName {
  label: string | null;
  name: string | null;
}

export function blockNames(structure: CourseStructure | undefined): Map<string, BlockName> {
  const names = new Map<string, BlockName>();
  for (const chapter of structure?.chapters ?? []) {
    names.set(chapter.id, chapter);
    for (const sequential of chapter.sequentials) {
      names.set(sequential.id, sequential);
      for (const unit of sequential.units) {
        names.set(unit.id, unit);
        for (const component of unit.components)
          names.set(component.id, { label: null, name: component.name });
      }
    }
  }
  return names;
}

/** "1.2.3 Unit name", or what there is of it; the id when the structure does not know it. */
export function blockTitle(id: string, block: BlockName | undefined): string {
  const title = [block?.label, block?.name].filter(Boolean).join(' ');
  return title || id;
}
