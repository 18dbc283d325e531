import { roundMs, roundUs } from '../../../common/time';

/**
 * Frame arithmetic for the picker. Frame n is shown from n/fps to (n+1)/fps; times are
 * kept to the millisecond like the stored value. A frame's time is the first millisecond
 * inside its interval so "the frame at t" is frame n on every decoder.
 */
export const DEFAULT_FPS = 25;

export function frameIndex(time: number, fps: number): number {
  return Math.floor(time * fps + 1e-6);
}

export function frameTime(index: number, fps: number): number {
  return Math.ceil(((Math.max(0, index) * 1000) / fps) - 1e-6) / 1000;
}

/** Snaps a time onto the start of its frame, clamped to [0, last frame]. */
export function snapToFrame(time: number, fps: number, duration?: number): number {
  let t = frameTime(frameIndex(Math.max(0, time), fps), fps);
  if (duration !== undefined && Number.isFinite(duration)) t = Math.min(t, lastFrameTime(duration, fps));
  return t;
}

export function lastFrameTime(duration: number, fps: number): number {
  const last = frameTime(Math.max(0, Math.ceil(duration * fps - 1e-6) - 1), fps);
  return Math.min(last, roundMs(duration));
}

/** `count` evenly spaced times across the video (centres of equal slices), on frame starts. */
export function suggestedTimes(duration: number, fps: number, count: number): number[] {
  if (!(duration > 0)) return [];
  return Array.from({ length: count }, (_, i) => snapToFrame((duration * (i + 0.5)) / count, fps, duration));
}

/** Times the browser presents are microsecond-exact (its media clock counts microseconds). */
export { roundUs };

/**
 * The time stored for a presented frame: its own media time plus one microsecond, to the
 * microsecond. The browser and COS may each round the frame's exact start (e.g. 1001/30000 s
 * steps) to the microsecond in different directions; one microsecond inside the frame is still
 * that frame on either side, and no frame is that short. No fps product, so nothing drifts.
 */
export function storedFrameTime(mediaTime: number): number {
  return roundUs(mediaTime + 1e-6);
}

/**
 * Where to put `<video>.currentTime` to present the frame starting at `start` (seconds): one
 * microsecond in, because the browser truncates currentTime to whole microseconds
 * (2.01 becomes 2.009999, the frame before).
 */
export function seekTarget(start: number): number {
  return start + 1e-6;
}

/**
 * What the picker has learnt about the frames the browser presents, from
 * `requestVideoFrameCallback` media times (seconds on the file's timeline, like currentTime).
 * Frame times are recorded as they are seen; two frames are "adjacent" only once a seek proved
 * nothing is presented between them, and a frame is "first" once a seek to a time before it
 * presented it. Frame numbers exist only along proven chains from the first frame.
 */
export class PresentedFrames {
  /** known frame start times, ascending, microsecond-rounded */
  private times: number[] = [];
  /** start → start of the frame proven to come right after it */
  private nextOf = new Map<number, number>();
  private prevOf = new Map<number, number>();
  private first: number | null = null;

  /** Records a presented frame; returns its (rounded) start time. */
  see(mediaTime: number): number {
    const t = roundUs(mediaTime);
    const i = this.search(t);
    if (this.times[i] !== t) this.times.splice(i, 0, t);
    return t;
  }

  /** `b` is presented right after `a` (nothing in between was presented at any seek). */
  link(a: number, b: number): void {
    const x = this.see(a);
    const y = this.see(b);
    if (y <= x) return;
    this.nextOf.set(x, y);
    this.prevOf.set(y, x);
  }

  markFirst(t: number): void {
    this.first = this.see(t);
  }

  /** The frame proven to follow `t`'s frame, if any. */
  next(t: number): number | undefined {
    return this.nextOf.get(roundUs(t));
  }

  /** The frame proven to precede `t`'s frame, if any. */
  prev(t: number): number | undefined {
    return this.prevOf.get(roundUs(t));
  }

  isFirst(t: number): boolean {
    return this.first !== null && this.first === roundUs(t);
  }

  /** 0-based frame number of the frame starting at `t`, when a proven chain reaches the first frame. */
  index(t: number): number | undefined {
    let cur: number | undefined = roundUs(t);
    let n = 0;
    while (cur !== undefined) {
      if (cur === this.first) return n;
      cur = this.prevOf.get(cur);
      n++;
    }
    return undefined;
  }

  /** Smallest gap between two known adjacent frames (a step size that cannot jump a frame twice). */
  shortestKnownDuration(): number | undefined {
    let best: number | undefined;
    for (const [a, b] of this.nextOf) if (best === undefined || b - a < best) best = b - a;
    return best;
  }

  /** Known frame times, ascending (for tests and debugging). */
  known(): readonly number[] {
    return this.times;
  }

  private search(t: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Presents the frame at a time and answers its media time (seconds); the picker's player does it with a seek. */
export type PresentAt = (time: number) => Promise<number>;

/** Shorter than any real frame: a seek this far before a frame's start presents the frame before it. */
export const BEFORE_FRAME = 0.0005;

/**
 * The frame presented right before the one starting at `current`: one seek half a millisecond
 * earlier shows exactly that frame (no real frame is shorter). At the first frame it answers
 * `current` and marks it first.
 */
export async function previousFrame(frames: PresentedFrames, present: PresentAt, current: number): Promise<number> {
  const known = frames.prev(current);
  if (known !== undefined) return known;
  if (frames.isFirst(current) || current - BEFORE_FRAME < 0) {
    if (current - BEFORE_FRAME < 0) frames.markFirst(current);
    return current;
  }
  const shown = frames.see(await present(current - BEFORE_FRAME));
  if (shown >= current) {
    // nothing is presented before it: the first frame (a start offset puts it past 0)
    frames.markFirst(current);
    return current;
  }
  frames.link(shown, current);
  return shown;
}

/**
 * The frame presented right after the one starting at `current`. When it is not known yet:
 * first the two seeks around the guessed start (`guess` seconds on), which settle the usual
 * case and leave that frame on screen; otherwise seek forward (doubling while the same frame
 * stays on screen, up to `end`), then walk back with `previousFrame` until the chain reaches
 * `current`, so a seek that jumped more than one frame still lands on the very next one. At
 * the last frame it answers `current`.
 */
export async function nextFrame(frames: PresentedFrames, present: PresentAt, current: number, guess: number, end: number): Promise<number> {
  const known = frames.next(current);
  if (known !== undefined) return known;
  let step = Math.max(BEFORE_FRAME, guess);
  let ahead = current;
  // The usual case in two seeks that leave the player on the answer (the walk back below ends on
  // the frame before it, so the caller would seek a third time): just before the guessed start
  // still presents `current`, and the guessed start presents a later frame. A frame between the
  // two would be shorter than BEFORE_FRAME (the 2 µs cover the browser truncating currentTime).
  if (guess > BEFORE_FRAME && current + guess < end) {
    const before = frames.see(await present(current + guess - BEFORE_FRAME + 2e-6));
    if (before === current) {
      ahead = frames.see(await present(seekTarget(current + guess)));
      if (ahead > current) {
        frames.link(current, ahead);
        return ahead;
      }
      step *= 2; // still `current` at the guess: the loop below looks further
    } else if (before > current) {
      ahead = before; // a frame starts before the guess: walk back from it
    }
  }
  while (ahead <= current) {
    const target = current + step;
    if (target >= end) {
      const last = frames.see(await present(Math.max(current, end - BEFORE_FRAME)));
      if (last <= current) return current;
      ahead = last;
      break;
    }
    ahead = frames.see(await present(seekTarget(target)));
    step *= 2;
  }
  // walk back from the frame we reached to the one right after `current`
  let after = ahead;
  for (;;) {
    const before = await previousFrame(frames, present, after);
    if (before <= current) {
      frames.link(current, after);
      return after;
    }
    after = before;
  }
}
