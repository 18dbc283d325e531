import * as React from 'react';

import type { FieldConfig, ObjectPage } from '../../../../common/contracts/admin-api';
import { useCosVideoApi } from '../../api/useCosVideoApi';
import { type AsyncState, useAsync } from '../../hooks/useAsync';

const PAGE_SIZE = 20;
/** milliseconds of typing pause before a search is sent */
const SEARCH_DEBOUNCE_MS = 300;

export interface ObjectPages {
  bucket: string;
  /** a new bucket starts again at page 1 */
  setBucket: (bucket: string) => void;
  /** the search box's text; the list follows it after a short pause */
  typed: string;
  setTyped: (text: string) => void;
  /** 0-based */
  page: number;
  list: AsyncState<ObjectPage>;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
}

/**
 * Paging and key search over GET /objects. COS pages by marker, not by number, so the marker
 * that opened each visited page is kept to go back; a new bucket or search starts at page 1.
 * Nothing is listed while `open` is false.
 */
export function useObjectPages(config: FieldConfig, open: boolean): ObjectPages {
  const api = useCosVideoApi();
  const [bucket, setBucketState] = React.useState(config.bucket);
  const [typed, setTyped] = React.useState('');
  const [search, setSearch] = React.useState('');
  // markers[i] = marker that opens page i; page 0 starts at the beginning.
  const [markers, setMarkers] = React.useState<string[]>(['']);
  const page = markers.length - 1;

  React.useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(typed.trim());
      setMarkers(['']);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const key = open ? JSON.stringify([bucket, search, markers[page]]) : null;
  const list = useAsync(
    key,
    (signal) => api.listObjects({ bucket, search, marker: markers[page] || undefined, limit: PAGE_SIZE }, signal),
    { keepPrevious: true }
  );

  const setBucket = React.useCallback((b: string) => {
    setBucketState(b);
    setMarkers(['']);
  }, []);
  const nextMarker = list.data?.isTruncated ? list.data.nextMarker : undefined;
  return {
    bucket,
    setBucket,
    typed,
    setTyped,
    page,
    list,
    hasNext: Boolean(nextMarker),
    next: () => {
      if (nextMarker) setMarkers((m) => [...m, nextMarker]);
    },
    previous: () => setMarkers((m) => (m.length > 1 ? m.slice(0, -1) : m)),
  };
}
