// `/courses/:courseId/units` (ui.md "Units"): where learners spend their time, unit by unit;
// how long one learner stays; which sections they visit on which days; time outside units.
import { DailyVisitsChart } from './DailyVisitsChart.tsx';
import { MeanTimeChart } from './MeanTimeChart.tsx';
import { TimeOutsideUnitsCard } from './TimeOutsideUnitsCard.tsx';
import { UnitsChart } from './UnitsChart.tsx';

export function UnitsPage() {
  return (
    <>
      <UnitsChart />
      <MeanTimeChart />
      <DailyVisitsChart />
      <TimeOutsideUnitsCard />
    </>
  );
}
