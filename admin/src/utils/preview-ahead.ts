import { frameIndex, frameTime, snapToFrame, storedFrameTime } from './frames';

/**
 * The times the frame picker may show next from `time` (seconds): one frame and one second either
 * way, as the step buttons and arrow keys choose them, so their GetSnapshot URLs can be signed
 * while the editor looks at the current frame. Each neighbour is listed in both forms a step can
 * store: the presented frame's time (frame start + 1 µs, when the browser plays the video) and the
 * frame start (when it cannot). Sorted, without `time` itself, within [0, end] (`end` in seconds,
 * unknown = no upper bound). A prediction: a step that lands elsewhere is signed when it happens.
 */
export function aheadTimes(time: number, fps: number, end?: number): number[] {
  const idx = frameIndex(time, fps);
  const starts = [frameTime(idx + 1, fps), frameTime(idx - 1, fps), snapToFrame(time + 1, fps), snapToFrame(time - 1, fps)];
  const limit = end !== undefined && Number.isFinite(end) ? end : Number.POSITIVE_INFINITY;
  const out = new Set<number>();
  for (const start of starts) {
    for (const t of [start, storedFrameTime(start)]) if (t >= 0 && t <= limit && t !== time) out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}
