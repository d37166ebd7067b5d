// What the videos page shows, kept in the URL so that a link opens the same view: the selected
// video (`?video=<usage key>`, its timeline shown) and the table's order (`?sort=&order=`).
import { useSearchParams } from 'react-router-dom';
import { sortFromSearch, withSort, type VideoSort } from './sorting.ts';

export function useSelectedVideo(): [string | undefined, (video: string) => void] {
  const [search, setSearch] = useSearchParams();
  const video = search.get('video') || undefined;
  const select = (next: string) => {
    const updated = new URLSearchParams(search);
    updated.set('video', next);
    setSearch(updated);
  };
  return [video, select];
}

export function useVideoSort(): [VideoSort, (sort: VideoSort) => void] {
  const [search, setSearch] = useSearchParams();
  return [sortFromSearch(search), (sort) => setSearch((current) => withSort(current, sort))];
}
