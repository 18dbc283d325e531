import * as React from 'react';

import type { SnapshotParams } from '../../../common/field-value';
import { type DescribedError, describeError, explainCosFailure } from '../api/errors';
import { SNAPSHOT_URLS_PER_BATCH, type SignedUrl, type VideoLocation } from '../../../common/contracts/admin-api';
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
/** A signed URL is not used this close to its expiresAt (the image must still load with it). */
const EXPIRY_MARGIN_MS = 30_000;
/** Signed URLs kept per field (the oldest are dropped first). */
const CACHE_LIMIT = 200;
/** Images of upcoming choices kept loaded (the oldest are dropped first). */
const PRELOAD_LIMIT = 4;

const choiceKeyOf = (loc: VideoLocation, snapshot: SnapshotParams) => JSON.stringify([locationKey(loc), snapshot]);

/**
 * Signed GetSnapshot URL for the current choice, latest-wins: every change aborts the
 * in-flight signing request, and an image that finishes loading only counts as "ready" when
 * it is the URL of the current choice — so the preview never shows an older frame as done.
 *
 * `ahead` are the choices the editor may step to next (utils/preview-ahead.ts): they are signed
 * in the same request as the current one (POST /snapshot-urls), or in the background once the
 * current one was at hand, and kept until shortly before they expire. A step to one of them
 * shows its image at once, without a round trip to Strapi; the first step after a pause is
 * shown immediately, quick successive steps wait for the editor to stop, so COS is not asked
 * for frames nobody looks at.
 *
 * `upcoming` is the choice a step in progress is expected to store (utils/step-prediction.ts).
 * When its URL is at hand, its image is loaded in a detached Image while the step runs; nothing
 * shows it. If the step then stores that choice, the preview's <img> gets the same URL and the
 * browser takes the image it already holds instead of asking COS again.
 */
export function useSnapshotPreview(
  loc: VideoLocation | null,
  snapshot: SnapshotParams | null,
  ahead: SnapshotParams[] = [],
  upcoming: SnapshotParams | null = null
): SnapshotPreview {
  const api = useCosVideoApi();
  const choiceKey = loc && snapshot ? choiceKeyOf(loc, snapshot) : null;
  // Read when signing: a new prediction alone (e.g. the frame rate became known) does not restart a request.
  const aheadRef = React.useRef(ahead);
  aheadRef.current = ahead;
  const [signed, setSigned] = React.useState<{ choice: string; url: string } | null>(null);
  const [failure, setFailure] = React.useState<{ choice: string; error: DescribedError } | null>(null);
  const [loadedUrl, setLoadedUrl] = React.useState<string | null>(null);
  const cache = React.useRef(new Map<string, { url: string; expiresAt: number }>());
  const lastChange = React.useRef(0);
  // Held so the browser keeps their images (see `upcoming`).
  const preloaded = React.useRef(new Map<string, HTMLImageElement>());
  const fresh = React.useCallback((key: string) => {
    const hit = cache.current.get(key);
    return hit && hit.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? hit.url : undefined;
  }, []);

  const upcomingKey = loc && upcoming ? choiceKeyOf(loc, upcoming) : null;
  // A layout effect: the load starts before the browser paints the click's render.
  React.useLayoutEffect(() => {
    const url = upcomingKey ? fresh(upcomingKey) : undefined;
    // Not at hand: no round trip for a guess; the step signs what it stores.
    if (!url || preloaded.current.has(url) || typeof Image === 'undefined') return;
    const img = new Image();
    img.src = url;
    preloaded.current.set(url, img);
    for (const k of preloaded.current.keys()) {
      if (preloaded.current.size <= PRELOAD_LIMIT) break;
      preloaded.current.delete(k);
    }
  }, [upcomingKey, fresh]);

  React.useEffect(() => {
    if (!choiceKey || !loc || !snapshot) return undefined;
    const controller = new AbortController();
    const remember = (choices: SnapshotParams[], urls: SignedUrl[]) => {
      choices.forEach((c, i) => urls[i] && cache.current.set(choiceKeyOf(loc, c), { url: urls[i].url, expiresAt: Date.parse(urls[i].expiresAt) }));
      for (const k of cache.current.keys()) {
        if (cache.current.size <= CACHE_LIMIT) break;
        cache.current.delete(k);
      }
    };
    const missing = () => aheadRef.current.filter((c) => !fresh(choiceKeyOf(loc, c))).slice(0, SNAPSHOT_URLS_PER_BATCH - 1);
    const sign = (choices: SnapshotParams[]) =>
      api.snapshotUrls(loc, choices, controller.signal).then((r) => {
        remember(choices, r.urls);
        return r.urls;
      });

    const quiet = Date.now() - lastChange.current >= DEBOUNCE_MS;
    lastChange.current = Date.now();
    const atHand = fresh(choiceKey);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (atHand) {
      const show = () => setSigned({ choice: choiceKey, url: atHand });
      const prefetch = () => {
        const rest = missing();
        // A failed prefetch costs nothing: the step that needs it signs then.
        if (rest.length) sign(rest).catch(() => undefined);
      };
      if (quiet) {
        show();
        timer = setTimeout(prefetch, DEBOUNCE_MS);
      } else {
        timer = setTimeout(() => {
          show();
          prefetch();
        }, DEBOUNCE_MS);
      }
    } else {
      timer = setTimeout(() => {
        sign([snapshot, ...missing()]).then(
          (urls) => !controller.signal.aborted && setSigned({ choice: choiceKey, url: urls[0].url }),
          (err) => !controller.signal.aborted && setFailure({ choice: choiceKey, error: describeError(err) })
        );
      }, DEBOUNCE_MS);
    }
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
