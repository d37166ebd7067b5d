// Time, visits, visitors and completion per active unit, or per sequential or chapter over its
// active units, for a range (kpis.md §5, §6, §7, §10), from unit_day, completions and the
// structure. Per-learner sums come first, so distinct counts, means and SDs are of learners.
// For a range covering the course's whole history, the processor's rollup_groups holds the rows.
import type { Queryable } from '../connect.ts';
import { completionCtes, groupKey, notExcluded, rollupAnswers } from './fragments.ts';
import type {
  CompletionSettings,
  CourseRange,
  UnitGroup,
  UnitGroupRow,
  UnitNumbers,
  UnitRow,
} from './types.ts';

export interface UnitsParams extends CourseRange, CompletionSettings {
  /** 'unit' (default): one row per active unit; 'sequential' or 'chapter': one level up. */
  group?: UnitGroup;
}

interface Row extends UnitNumbers {
  id: string;
  label: string | null;
  name: string | null;
  chapter_id: string | null;
  sequential_id: string | null;
}

/**
 * One row per active unit (or sequential, chapter) in course order. Of a group: time and visits
 * are sums over its active units, visitors and learners with time are distinct learners, mean and
 * SD are over each learner's time summed over its units, completed learners completed every unit
 * of it that has countable components for them, components is the total of its units.
 */
export function units(
  sql: Queryable,
  params: UnitsParams & { group?: 'unit' | undefined },
): Promise<UnitRow[]>;
export function units(
  sql: Queryable,
  params: UnitsParams & { group: 'sequential' | 'chapter' },
): Promise<UnitGroupRow[]>;
export function units(sql: Queryable, params: UnitsParams): Promise<UnitRow[] | UnitGroupRow[]>;
export async function units(
  sql: Queryable,
  { courseId, from, to, group = 'unit', completionExcludedTypes }: UnitsParams,
): Promise<UnitRow[] | UnitGroupRow[]> {
  const rolled = await sql<(Row & { course_id: string | null })[]>`
    SELECT g.course_id, g.group_key AS id, g.label, g.name, g.chapter_key AS chapter_id,
           g.sequential_key AS sequential_id,
           g.time_s::float8 AS time_s,
           g.visits::float8 AS visits,
           g.visitors::float8 AS visitors,
           g.learners_with_time::float8 AS learners_with_time,
           g.mean_time_s::float8 AS mean_time_s,
           g.sd_time_s::float8 AS sd_time_s,
           g.completed_learners::float8 AS completed_learners,
           g.components::float8 AS components
    FROM rollup_state s
    LEFT JOIN rollup_groups g ON g.course_id = s.course_id AND g.level = ${group}
    WHERE ${rollupAnswers(sql, courseId, { from, to }, { completionExcludedTypes })}
    ORDER BY g.course_order`;
  const rows: Row[] =
    rolled.length > 0
      ? rolled.filter((row) => row.course_id !== null).map(({ course_id: _c, ...row }) => row)
      : await sql<Row[]>`
    WITH ${completionCtes(sql, courseId, to, completionExcludedTypes)},
    units AS (
      SELECT u.usage_key, ${groupKey(sql, group)} AS group_key
      FROM course_blocks u
      WHERE u.course_id = ${courseId} AND u.kind = 'unit' AND u.active
    ),
    per_learner AS (
      SELECT u.group_key, f.learner, sum(f.time_s) AS time_s, sum(f.visits) AS visits
      FROM unit_day f
      JOIN units u ON u.usage_key = f.unit_key
      WHERE f.course_id = ${courseId} AND f.day BETWEEN ${from}::date AND ${to}::date
        AND ${notExcluded(sql, courseId)}
      GROUP BY u.group_key, f.learner
    ),
    numbers AS (
      SELECT group_key,
             sum(time_s) AS time_s,
             sum(visits) AS visits,
             count(*) FILTER (WHERE visits > 0) AS visitors,
             count(*) FILTER (WHERE time_s > 0) AS learners_with_time,
             avg(time_s) FILTER (WHERE time_s > 0) AS mean_time_s,
             stddev_pop(time_s) FILTER (WHERE time_s > 0) AS sd_time_s
      FROM per_learner
      GROUP BY group_key
    ),
    -- units of a group every learner can complete (with a fixed countable component)
    group_fixed AS (
      SELECT u.group_key, count(*) AS n
      FROM units u JOIN unit_fixed x ON x.unit_key = u.usage_key AND x.n > 0
      GROUP BY u.group_key
    ),
    -- units of a group a learner can complete only through randomized components they saw
    group_random AS (
      SELECT u.group_key, r.learner, count(*) AS n
      FROM learner_random r
      JOIN unit_fixed x ON x.unit_key = r.unit_key AND x.n = 0
      JOIN units u ON u.usage_key = r.unit_key
      GROUP BY u.group_key, r.learner
    ),
    group_done AS (
      SELECT u.group_key, c.learner, count(*) AS n
      FROM completed_units c JOIN units u ON u.usage_key = c.unit_key
      GROUP BY u.group_key, c.learner
    ),
    -- completion is cumulative: for a range ending on or after the last day of facts it is the
    -- whole run's, which the rollups hold while current (Last 7/30 days of a running course)
    completers_rolled AS (
      SELECT EXISTS (
        SELECT 1 FROM rollup_state s
        WHERE ${rollupAnswers(sql, courseId, { to }, { completionExcludedTypes })}
      ) AS current
    ),
    completers AS (
      SELECT d.group_key, count(*) AS n
      FROM group_done d
      LEFT JOIN group_fixed x ON x.group_key = d.group_key
      LEFT JOIN group_random r ON r.group_key = d.group_key AND r.learner = d.learner
      WHERE NOT (SELECT current FROM completers_rolled) AND d.n = coalesce(x.n, 0) + coalesce(r.n, 0)
      GROUP BY d.group_key
      UNION ALL
      SELECT g.group_key, g.completed_learners
      FROM rollup_groups g
      WHERE (SELECT current FROM completers_rolled) AND g.course_id = ${courseId}
        AND g.level = ${group}
    ),
    components AS (
      SELECT u.group_key, count(*) AS n
      FROM course_blocks c JOIN units u ON u.usage_key = c.unit_key
      WHERE c.course_id = ${courseId} AND c.kind = 'component' AND c.active
      GROUP BY u.group_key
    )
    SELECT g.usage_key AS id, g.label, g.name, g.chapter_key AS chapter_id,
           g.sequential_key AS sequential_id,
           coalesce(n.time_s, 0)::float8 AS time_s,
           coalesce(n.visits, 0)::float8 AS visits,
           coalesce(n.visitors, 0)::float8 AS visitors,
           coalesce(n.learners_with_time, 0)::float8 AS learners_with_time,
           n.mean_time_s::float8 AS mean_time_s,
           n.sd_time_s::float8 AS sd_time_s,
           coalesce(x.n, 0)::float8 AS completed_learners,
           coalesce(c.n, 0)::float8 AS components
    FROM course_blocks g
    LEFT JOIN numbers n ON n.group_key = g.usage_key
    LEFT JOIN completers x ON x.group_key = g.usage_key
    LEFT JOIN components c ON c.group_key = g.usage_key
    WHERE g.course_id = ${courseId} AND g.kind = ${group} AND g.active
    ORDER BY g.course_order`;
  if (group === 'unit') return rows.map((row) => ({ ...row }));
  return rows.map(({ sequential_id: _s, chapter_id, ...row }) =>
    group === 'sequential' ? { ...row, chapter_id } : row,
  );
}
