// The KPI computation (kpis.md §2-10): the incremental scope and the ordered SQL layers of sql/.
export { processCourses, KpiLayerError, legacyCourseId } from './process.ts';
export type { CourseResult, DayRange, ProcessOptions, ProcessSummary } from './process.ts';
export { DEFAULT_KPI_SETTINGS, type KpiSettings } from './settings.ts';
export { announceDataVersions, dataVersionKey, PROCESSED_CHANNEL } from './announce.ts';
