/** The settings the KPI layers read (kpis.md: every threshold is a setting with its default). */
export interface KpiSettings {
  /** The local calendar of days (STATS_TIME_ZONE); changing it recomputes every course. */
  timeZone: string;
  /** Host name of Studio (from CMS_BASE_URL); undefined = any host starting with `studio.`. */
  studioHost?: string;
  /** Usernames never counted (STATS_EXCLUDE_USERNAMES). */
  excludeUsernames: readonly string[];
  /** A gap longer than this ends a session. */
  sessionGapSeconds: number;
  /** What the last event of a session earns (page_close earns 0). */
  lastEventCreditSeconds: number;
  /** Shorter viewings are dropped. */
  minViewingSeconds: number;
  /**
   * Component types that never count for completion (STATS_COMPLETION_EXCLUDED_TYPES), as the
   * read models' rollups count it; changing them recomputes every learner's unit rollups.
   */
  completionExcludedTypes: readonly string[];
}

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  timeZone: 'UTC',
  excludeUsernames: [],
  sessionGapSeconds: 30 * 60,
  lastEventCreditSeconds: 10 * 60,
  minViewingSeconds: 0.25,
  completionExcludedTypes: ['discussion'],
};
