import * as React from 'react';

import { PresentedFrames } from '../utils/frames';

/** The part of requestVideoFrameCallback's metadata the picker reads. */
interface FrameMetadata {
  /** presentation time of the frame on screen, seconds on the file's timeline (like currentTime) */
  mediaTime: number;
}
type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback(cb: (now: number, metadata: FrameMetadata) => void): number;
  cancelVideoFrameCallback(handle: number): void;
};

/** MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED: the format or codec cannot be played here. */
const SRC_NOT_SUPPORTED = 4;
/** A seek that presents no frame within this long falls back to the last frame seen (hang guard). */
const PRESENT_GUARD_MS = 5000;
/**
 * Seconds within which a seek target is where the paused player already sits. Chromium fires
 * seeking and seeked for a seek to the position it holds but presents no frame, so waiting for one
 * would hit the guard; and it reads a position back a microsecond or two off (1.013001 as
 * 1.0129995), so an exact comparison misses it. A player moved since (played, scrubbed) is far more
 * than this away.
 */
const SAME_POSITION_S = 1e-5;
/**
 * How far past the player's position `present` seeks when the player sits at the target but no
 * seek of its own proved which frame is on screen: a seek that moves presents a frame. 3 µs stays
 * within the frame (frames are milliseconds long) and moves chromium's whole-microsecond media time.
 */
const NUDGE_S = 3e-6;

export interface PlayerFrames {
  /** Frames learnt from this video so far (reset when the source changes). */
  frames: PresentedFrames;
  /** Start time of the frame on screen (media time), once one was presented. */
  current: number | null;
  /** The browser reports presented frames (requestVideoFrameCallback). */
  supported: boolean;
  /** 'no' once the browser said it cannot play this format (error 4, or canPlayType says ""). */
  playable: 'unknown' | 'yes' | 'no';
  /**
   * Seeks the (paused) player to `time` seconds and resolves with the media time of the frame it
   * then presents. Calls run one after another, so rapid steps never interleave their seeks.
   */
  present: (time: number) => Promise<number>;
  /**
   * Media time of the last frame the browser presented, read now (not as of the last render), or
   * null before the first one: for the paused player, the frame on screen.
   */
  shown: () => number | null;
}

/**
 * Follows the frames a `<video>` actually presents. `src` identifies the video (a new one
 * forgets what was learnt); `mimeType` (e.g. 'video/mp4; codecs="hvc1"') lets the browser say
 * up front that it cannot play the codec.
 */
export function usePresentedFrames(ref: React.RefObject<HTMLVideoElement>, src: string | undefined, mimeType?: string): PlayerFrames {
  const frames = React.useMemo(() => new PresentedFrames(), [src]);
  const [current, setCurrent] = React.useState<number | null>(null);
  const [playable, setPlayable] = React.useState<'unknown' | 'yes' | 'no'>('unknown');
  const [supported, setSupported] = React.useState(false);
  const last = React.useRef<number | null>(null);
  const waiters = React.useRef(new Set<(t: number) => void>());
  const queue = React.useRef<Promise<unknown>>(Promise.resolve());
  /** The time of the last `present` whose seek presented its frame (null: none yet for this source). */
  const held = React.useRef<number | null>(null);

  React.useEffect(() => {
    setCurrent(null);
    last.current = null;
    held.current = null;
    setPlayable('unknown');
    const v = ref.current as FrameCallbackVideo | null;
    if (!v || !src) return undefined;
    if (mimeType && typeof v.canPlayType === 'function' && v.canPlayType(mimeType) === '') setPlayable('no');
    if (v.error?.code === SRC_NOT_SUPPORTED) setPlayable('no');
    const onError = () => {
      if (v.error?.code === SRC_NOT_SUPPORTED) setPlayable('no');
    };
    const onLoaded = () => setPlayable((p) => (p === 'no' ? p : 'yes'));
    v.addEventListener('error', onError);
    v.addEventListener('loadeddata', onLoaded);
    const can = typeof v.requestVideoFrameCallback === 'function';
    setSupported(can);
    let handle = 0;
    let stopped = false;
    const onFrame = (_now: number, meta: FrameMetadata) => {
      if (stopped) return;
      const t = frames.see(meta.mediaTime);
      last.current = t;
      setCurrent(t);
      for (const w of [...waiters.current]) w(t);
      handle = v.requestVideoFrameCallback(onFrame);
    };
    if (can) handle = v.requestVideoFrameCallback(onFrame);
    return () => {
      stopped = true;
      if (can) v.cancelVideoFrameCallback(handle);
      v.removeEventListener('error', onError);
      v.removeEventListener('loadeddata', onLoaded);
    };
  }, [ref, src, mimeType, frames]);

  const present = React.useCallback(
    (time: number): Promise<number> => {
      const run = () =>
        new Promise<number>((resolve) => {
          const v = ref.current;
          if (!v) {
            resolve(time);
            return;
          }
          if (!v.paused) v.pause();
          const there = Math.abs(v.currentTime - time) < SAME_POSITION_S;
          // Already there, and the frame on screen was presented for this time by our own seek: it is the answer.
          if (!v.seeking && last.current !== null && there && held.current === time) {
            resolve(last.current);
            return;
          }
          // There without that proof (the position set before the video loaded, where chromium may
          // still show the frame it loaded first, or a stored time typed through the API such as
          // 1.013): a seek to the same position would present nothing, so move a little past it.
          const target = there ? v.currentTime + NUDGE_S : time;
          held.current = null;
          let seeked = false;
          let shown: number | null = null;
          let guard: ReturnType<typeof setTimeout> | undefined;
          const done = (t: number) => {
            waiters.current.delete(onShown);
            v.removeEventListener('seeked', onSeeked);
            if (guard) clearTimeout(guard);
            resolve(t);
          };
          // The browser presents a frame for a seek that moves, even within the frame on screen.
          const onShown = (t: number) => {
            shown = t;
            if (seeked) arrived(t);
          };
          // The frame this seek presented: the player holds `time` now.
          const arrived = (t: number) => {
            held.current = time;
            done(t);
          };
          const onSeeked = () => {
            seeked = true;
            if (shown !== null) arrived(shown);
            else guard = setTimeout(() => done(last.current ?? v.currentTime), PRESENT_GUARD_MS);
          };
          waiters.current.add(onShown);
          v.addEventListener('seeked', onSeeked);
          v.currentTime = target;
        });
      const next = queue.current.then(run, run);
      queue.current = next;
      return next;
    },
    [ref]
  );

  const shown = React.useCallback(() => last.current, []);

  return { frames, current, supported, playable, present, shown };
}
