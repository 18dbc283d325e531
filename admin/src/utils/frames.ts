import { roundMs } from '../../../common/time';

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
