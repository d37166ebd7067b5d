// Visits per day and per active chapter, sequential or unit (kpis.md §6, §10), from unit_day.
import type { Queryable } from '../connect.ts';
import { groupKey, notExcluded, rangeDays } from './fragments.ts';
import type { CourseRange, UnitGroup, VisitsDailyRow } from './types.ts';

export interface VisitsDailyParams extends CourseRange {
  group: UnitGroup;
}

/**
 * One row for every day of the range × every active block of the group level (zeros included),
 * ordered by date, then course order: the visits to its active units that day.
 */
export async function visitsDaily(
  sql: Queryable,
  { courseId, from, to, group }: VisitsDailyParams,
): Promise<VisitsDailyRow[]> {
  const rows = await sql<VisitsDailyRow[]>`
    WITH units AS (
      SELECT u.usage_key, ${groupKey(sql, group)} AS group_key
      FROM course_blocks u
      WHERE u.course_id = ${courseId} AND u.kind = 'unit' AND u.active
    ),
    visits AS (
      SELECT f.day, u.group_key, sum(f.visits) AS visits
      FROM unit_day f
      JOIN units u ON u.usage_key = f.unit_key
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND ${notExcluded(sql, courseId)}
      GROUP BY f.day, u.group_key
    )
    SELECT d.day::text AS date, g.usage_key AS id, coalesce(v.visits, 0)::float8 AS visits
    FROM ${rangeDays(sql, from, to)} d
    CROSS JOIN course_blocks g
    LEFT JOIN visits v ON v.day = d.day AND v.group_key = g.usage_key
    WHERE g.course_id = ${courseId} AND g.kind = ${group} AND g.active
    ORDER BY d.day, g.course_order`;
  return [...rows];
}
