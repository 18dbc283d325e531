import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

import type { CosVideoValue } from '../../../common/field-value';
import type { EntryContext } from './useEntryContext';

const POLL_MS = 1500;

/** Reads `a.b.0.c` out of an entry (the Input's `name` is such a path inside components). */
function readPath(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as any)[part] : undefined), data);
}

/**
 * The value as the server last stored it. While it is `pending` (thumbnail job still
 * running after the save) it re-reads the entry every 1.5 s until the job has finished.
 * Display only: it never touches the form, so polling cannot mark the entry as modified.
 */
export function useSavedValue(initial: CosVideoValue | null | undefined, entry: EntryContext | null, path: string) {
  const { get } = useFetchClient();
  const [fresh, setFresh] = React.useState<CosVideoValue | null | undefined>(undefined);
  const [nonce, setNonce] = React.useState(0);

  // A new save (new initial value) supersedes what we polled.
  React.useEffect(() => setFresh(undefined), [initial]);

  const saved = fresh !== undefined ? fresh : initial;
  const pending = saved?.status === 'pending';
  const canPoll = !!entry && (entry.collectionType === 'single-types' || !!entry.documentId);

  React.useEffect(() => {
    if (!pending || !canPoll || !entry) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const url =
        entry.collectionType === 'single-types'
          ? `/content-manager/single-types/${entry.uid}`
          : `/content-manager/collection-types/${entry.uid}/${entry.documentId}`;
      try {
        const res = await get<{ data: unknown }>(url, {
          params: entry.locale ? { locale: entry.locale } : undefined,
          signal: controller.signal,
        });
        if (!controller.signal.aborted) setFresh((readPath(res.data?.data, path) as CosVideoValue) ?? null);
      } catch {
        if (!controller.signal.aborted) setNonce((n) => n + 1); // try again on the next tick
      }
    }, POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [pending, canPoll, entry?.uid, entry?.documentId, entry?.locale, entry?.collectionType, path, get, saved, nonce]);

  const markPending = React.useCallback(
    () => setFresh((v) => (v === undefined ? (initial ? { ...initial, status: 'pending', error: null } : initial) : v && { ...v, status: 'pending', error: null })),
    [initial]
  );

  return { saved, markPending, canRegenerate: canPoll };
}
