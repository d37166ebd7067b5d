// The selected video, kept in the URL (`?video=<usage key>`) so that a link opens its timeline.
import { useSearchParams } from 'react-router-dom';

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
