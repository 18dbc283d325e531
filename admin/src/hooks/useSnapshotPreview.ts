import * as React from 'react';

import type { SnapshotParams } from '../../../common/field-value';
import { type DescribedError, describeError, explainCosFailure } from '../api/errors';
import { SNAPSHOT_URLS_PER_BATCH, type SignedUrl, type VideoLocation } from '../../../common/contracts/admin-api';
import { useCosVideoApi } from '../api/useCosVideoApi';
import { previewChoiceKey as choiceKeyOf, type SnapshotImages } from '../utils/snapshot-images';

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
 *
 * `ahead` are the choices the editor may step to next (utils/preview-ahead.ts): they are signed
 * in the same request as the current one (POST /snapshot-urls), or in the background once the
 * current one's image is shown and the editor stays on it (`images.afterPreview`: a step drops
 * it, so it never competes with a step's own GetSnapshot), and kept in `images` until shortly
 * before they expire. A step to one of them shows its image at once, without a round trip to
 * Strapi; a step to a choice not signed yet waits for the editor to stop before it is signed, so
 * COS is not asked for frames nobody looks at.
 *
 * `images` (utils/snapshot-images.ts) is shared with the picker, which loads the image of the
 * frame a step is expected to land on out of sight. When the stored choice's image was loaded
 * there, the preview is ready in the same render that shows the new time (its <img> takes the
 * image the browser already holds); otherwise, when that image or the <img> itself loads.
 */
export function useSnapshotPreview(
  loc: VideoLocation | null,
  snapshot: SnapshotParams | null,
  ahead: SnapshotParams[],
  images: SnapshotImages
): SnapshotPreview {
  const api = useCosVideoApi();
  const choiceKey = loc && snapshot ? choiceKeyOf(loc, snapshot) : null;
  // Read when signing: a new prediction alone (e.g. the frame rate became known) does not restart a request.
  const aheadRef = React.useRef(ahead);
  aheadRef.current = ahead;
  const [signed, setSigned] = React.useState<{ choice: string; url: string } | null>(null);
  const [failure, setFailure] = React.useState<{ choice: string; error: DescribedError } | null>(null);
  const [loadedUrl, setLoadedUrl] = React.useState<string | null>(null);
  const lastChange = React.useRef(0);
  const fresh = (key: string) => images.fresh(key);

  // A layout effect: a URL at hand is put on the <img> before the browser paints the new time.
  React.useLayoutEffect(() => {
    if (!choiceKey || !loc || !snapshot) return undefined;
    const controller = new AbortController();
    const remember = (choices: SnapshotParams[], urls: SignedUrl[]) => {
      choices.forEach((c, i) => urls[i] && images.remember(choiceKeyOf(loc, c), urls[i].url, Date.parse(urls[i].expiresAt)));
    };
    const missing = () => aheadRef.current.filter((c) => !fresh(choiceKeyOf(loc, c))).slice(0, SNAPSHOT_URLS_PER_BATCH - 1);
    const sign = (choices: SnapshotParams[], signal?: AbortSignal) =>
      api.snapshotUrls(loc, choices, signal).then((r) => {
        remember(choices, r.urls);
        return r.urls;
      });

    const quiet = Date.now() - lastChange.current >= DEBOUNCE_MS;
    lastChange.current = Date.now();
    const atHand = fresh(choiceKey);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelPrefetch: (() => void) | undefined;
    // Signing the choices a later step may need (those not at hand yet: the list may have grown
    // since, e.g. once the frame rate is known) waits until this preview is ready and the editor
    // stays on it (a step drops it), so it never competes with the step's own image. Not aborted
    // when the choice changes: Strapi does the work anyway, and the signatures stay useful.
    const prefetch = () => {
      const rest = missing();
      // A failed prefetch costs nothing: the step that needs it signs then.
      if (rest.length) sign(rest).catch(() => undefined);
    };
    const schedulePrefetch = () => (cancelPrefetch = images.afterPreview(choiceKey, DEBOUNCE_MS, prefetch));
    if (atHand) {
      const show = () => setSigned({ choice: choiceKey, url: atHand });
      if (quiet) {
        show();
        schedulePrefetch();
      } else {
        timer = setTimeout(() => {
          show();
          schedulePrefetch();
        }, DEBOUNCE_MS);
      }
    } else {
      timer = setTimeout(() => {
        sign([snapshot, ...missing()], controller.signal).then(
          (urls) => {
            if (controller.signal.aborted) return;
            setSigned({ choice: choiceKey, url: urls[0].url });
            schedulePrefetch();
          },
          (err) => !controller.signal.aborted && setFailure({ choice: choiceKey, error: describeError(err) })
        );
      }, DEBOUNCE_MS);
    }
    return () => {
      clearTimeout(timer);
      cancelPrefetch?.();
      controller.abort();
    };
    // choiceKey captures loc and snapshot
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choiceKey, api, images]);

  const current = signed && signed.choice === choiceKey ? signed.url : undefined;
  // The current URL's image loading out of sight (the picker's guess): ready when it is.
  const [, settled] = React.useReducer((n: number) => n + 1, 0);
  React.useLayoutEffect(() => (current && !images.ready(current) ? images.onSettled(current, settled) : undefined), [current, images]);

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

  const failed = !!choiceKey && !!failure && failure.choice === choiceKey;
  const ready = !!choiceKey && !failed && !!current && (loadedUrl === current || images.ready(current));
  // Background work (afterPreview) waits for this: the stored choice's image shown, loaded.
  React.useLayoutEffect(() => images.previewReady(ready ? choiceKey : null), [ready, choiceKey, images]);

  if (!choiceKey) return { phase: 'idle', onLoad, onError };
  if (failed) return { phase: 'error', error: failure!.error, src: undefined, onLoad, onError };
  const phase: PreviewPhase = ready ? 'ready' : 'loading';
  return { src: current ?? signed?.url, phase, onLoad, onError };
}
