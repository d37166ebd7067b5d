// `?metric=` of the URL: what the units chart's bars show, so a shared link shows the same chart.
import { useSearchParams } from 'react-router-dom';

export const METRICS = ['time', 'visits', 'completion'] as const;
export type UnitMetric = (typeof METRICS)[number];

export function useMetric(fallback: UnitMetric = 'time'): [UnitMetric, (m: UnitMetric) => void] {
  const [search, setSearch] = useSearchParams();
  const value = search.get('metric') as UnitMetric | null;
  const metric = value && METRICS.includes(value) ? value : fallback;
  const setMetric = (next: UnitMetric) => {
    const updated = new URLSearchParams(search);
    updated.set('metric', next);
    setSearch(updated, { replace: true });
  };
  return [metric, setMetric];
}
