import * as React from 'react';

import type { SnapshotParams } from '../../../common/field-value';
import { type DescribedError, describeError, explainCosFailure } from '../api/errors';
import type { VideoLocation } from '../../../common/contracts/admin-api';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { locationKey } from '../utils/location';

export type PreviewPhase = 'idle' | 'loading' | 'ready' | 'error';

export interface SnapshotPreview {
  /** URL to show (the latest one, or the previous one while the latest is being signed). */
  src?: string;
  phase: PreviewPhase;
  error?: DescribedError;
  onLoad: (e: React.SyntheticEvent<HTMLImageElement>) => void;
  onError: (e: React.SyntheticEvent<HTMLImageElement>) => void;
}

/** Quiet period while the editor scrubs/steps, so only the choice they stop at is requested. */
const DEBOUNCE_MS = 120;

/**
 * Signed GetSnapshot URL for the current choice, latest-wins: every change aborts the
 * in-flight signing request, and an image that finishes loading only counts as "ready" when
 * it is the URL of the current choice — so the preview never shows an older frame as done.
 */
export function useSnapshotPreview(loc: VideoLocation | null, snapshot: SnapshotParams | null): SnapshotPreview {
  const api = useCosVideoApi();
  const choiceKey = loc && snapshot ? JSON.stringify([locationKey(loc), snapshot]) : null;
  const [signed, setSigned] = React.useState<{ choice: string; url: string } | null>(null);
  const [failure, setFailure] = React.useState<{ choice: string; error: DescribedError } | null>(null);
  const [loadedUrl, setLoadedUrl] = React.useState<string | null>(null);

  React.useEffect(() => {
    if (!choiceKey || !loc || !snapshot) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.snapshotUrl(loc, snapshot, controller.signal).then(
        (r) => !controller.signal.aborted && setSigned({ choice: choiceKey, url: r.url }),
        (err) => !controller.signal.aborted && setFailure({ choice: choiceKey, error: describeError(err) })
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // choiceKey captures loc and snapshot
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choiceKey, api]);

  const current = signed && signed.choice === choiceKey ? signed.url : undefined;

  const onLoad = React.useCallback((e: React.SyntheticEvent<HTMLImageElement>) => {
    setLoadedUrl(e.currentTarget.getAttribute('src'));
  }, []);

  const onError = React.useCallback(
    (e: React.SyntheticEvent<HTMLImageElement>) => {
      const url = e.currentTarget.getAttribute('src');
      if (!url || !choiceKey || url !== current) return;
      const choice = choiceKey;
      // <img> hides why it failed: COS's error XML, a CSP or CORS block, or no answer at all.
      explainCosFailure(url).then((error) => setFailure({ choice, error }));
    },
    [choiceKey, current]
  );

  if (!choiceKey) return { phase: 'idle', onLoad, onError };
  if (failure && failure.choice === choiceKey) return { phase: 'error', error: failure.error, src: undefined, onLoad, onError };
  const phase: PreviewPhase = current && loadedUrl === current ? 'ready' : 'loading';
  return { src: current ?? signed?.url, phase, onLoad, onError };
}
