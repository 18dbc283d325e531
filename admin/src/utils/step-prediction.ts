import { frameIndex, frameTime, roundUs, storedFrameTime, type PresentedFrames } from './frames';

/** A step of the frame picker: ±n frames (buttons, ←/→) or ±n seconds (buttons, Shift+←/→). */
export type StepKind = { frames: number } | { seconds: number };

export interface StepStart {
  /** the stored time the step starts from (seconds) */
  time: number;
  /** start (media time, seconds) of the frame the player shows, or null before one was presented */
  onScreen: number | null;
  /** what the player has learnt of this video's frames */
  frames: PresentedFrames;
  /** frames per second from the video's media info */
  fps: number;
  /** seconds: where the video ends on the player's timeline (Infinity when unknown) */
  end: number;
}

/**
 * The stored time a live step (FramePicker: the player seeks and reports the frame it presents)
 * is expected to land on, so the preview can load that frame's GetSnapshot out of sight while the
 * player still seeks, and show it at once if the step stores that time. Frames the player already
 * proved adjacent are used as they are; otherwise the nominal frame grid of `fps`. Undefined when
 * no good guess exists (at or past the video's end, where the player decides which frame is
 * last). Only a prediction, never shown as such: the step's presented frame is what is stored,
 * and a wrong guess costs one GetSnapshot of a frame the editor did not land on.
 */
export function predictStep(step: StepKind, from: StepStart): number | undefined {
  const { fps, end, frames } = from;
  if (!(fps > 0)) return undefined;
  // A stored time is its frame's media time + 1 µs (storedFrameTime).
  const learnt = roundUs(from.time - 1e-6);
  const known = (from.onScreen !== null && roundUs(from.onScreen) === learnt) || frames.known().includes(learnt);
  let start = known ? learnt : frameTime(frameIndex(from.time, fps), fps);
  if ('frames' in step) {
    for (let i = 0; i < Math.abs(step.frames); i++) {
      const proven = step.frames > 0 ? frames.next(start) : frames.prev(start);
      if (proven !== undefined) start = proven;
      else if (step.frames < 0 && start <= 0) return undefined;
      else start = frameTime(frameIndex(start, fps) + Math.sign(step.frames), fps);
    }
  } else {
    const target = Math.max(0, from.time + step.seconds);
    if (target >= end) return undefined;
    start = frameTime(frameIndex(target, fps), fps);
  }
  if (start >= end) return undefined;
  const predicted = storedFrameTime(start);
  return predicted === from.time ? undefined : predicted;
}
