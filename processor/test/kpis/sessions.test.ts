import { describe, expect, it } from 'vitest';
import { key, runKpis, unitLoad, type CourseSpec } from './harness.ts';

const SPEC: CourseSpec = [[[['html'], ['problem'], ['html']], [['html']]], [[['video']]]];
const ana = { username: 'ana', user_id: 11 };

describe('sessions and time (kpis.md §5)', () => {
  it('credits each gap to the current unit and 10 min to the last event', async () => {
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      unitLoad(ana, 60, '1.1.2'),
      unitLoad(ana, 100, '1.1.1'),
    ]);
    try {
      expect(await run.unitDay()).toEqual([
        { username: 'ana', unit_key: key('1.1.1'), day: '2025-03-03', time_s: 660, visits: 2 },
        { username: 'ana', unit_key: key('1.1.2'), day: '2025-03-03', time_s: 40, visits: 1 },
      ]);
    } finally {
      await run.close();
    }
  });

  it('keeps a gap of exactly 30 min in the session and cuts one of 30 min + 1 s', async () => {
    const run = await runKpis(SPEC, [
      unitLoad(ana, 0, '1.1.1'),
      unitLoad(ana, 1800, '1.1.1'),
      unitLoad(ana, 3601, '1.1.1'),
    ]);
    try {
      const rows = await run.learnerEvents('ana');
      expect(rows.map((r) => [r.credit_s, r.visit])).toEqual([
        [1800, true],
        [600, false],
        [600, true],
      ]);
      expect(await run.learnerDay()).toEqual([
        { username: 'ana', day: '2025-03-03', time_s: 3000, sessions: 2, visits: 2 },
      ]);
    } finally {
      await run.close();
    }
  });
});
