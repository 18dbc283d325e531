import { PresentedFrames, storedFrameTime } from '../../admin/src/utils/frames';
import { aheadTimes } from '../../admin/src/utils/preview-ahead';
import { predictStep, type StepStart } from '../../admin/src/utils/step-prediction';

const at = (time: number, over: Partial<StepStart> = {}): StepStart => ({ time, onScreen: null, frames: new PresentedFrames(), fps: 25, end: 10, ...over });

describe('predictStep: the frame a live picker step is expected to land on', () => {
  it('±1 frame from a presented frame (stored as its media time + 1 µs), on the nominal grid', () => {
    expect(predictStep({ frames: 1 }, at(1.040001, { onScreen: 1.04 }))).toBe(1.080001);
    expect(predictStep({ frames: -1 }, at(1.040001, { onScreen: 1.04 }))).toBe(1.000001);
    expect(predictStep({ frames: 2 }, at(1.040001))).toBe(1.120001);
  });

  it('from a typed time (not a presented frame): the frame that contains it, then the step', () => {
    expect(predictStep({ frames: 1 }, at(0))).toBe(0.040001);
    expect(predictStep({ frames: 1 }, at(1))).toBe(1.040001);
    expect(predictStep({ seconds: 1 }, at(0))).toBe(1.000001);
    expect(predictStep({ seconds: -1 }, at(2.5))).toBe(1.480001);
  });

  it('uses frames the player proved adjacent instead of the grid (a variable frame rate)', () => {
    const frames = new PresentedFrames();
    frames.link(1.04, 1.1);
    frames.link(1.0, 1.04);
    expect(predictStep({ frames: 1 }, at(1.040001, { frames }))).toBe(1.100001);
    expect(predictStep({ frames: -1 }, at(1.100001, { frames }))).toBe(1.040001);
  });

  it('no guess at the ends, where the player decides: before the first frame, at or past the end, or no frame rate', () => {
    expect(predictStep({ frames: -1 }, at(0))).toBeUndefined();
    expect(predictStep({ frames: 1 }, at(9.960001, { end: 10 }))).toBeUndefined();
    expect(predictStep({ seconds: 1 }, at(9.5, { end: 10 }))).toBeUndefined();
    expect(predictStep({ frames: 1 }, at(1, { fps: 0 }))).toBeUndefined();
  });

  it('every prediction is one of the times signed ahead (so the step needs no round trip to Strapi)', () => {
    for (const fps of [24, 25, 30]) {
      for (const t of [0, 0.5, 1.040001, 2.000001, storedFrameTime(3)]) {
        const ahead = aheadTimes(t, fps, 10);
        for (const step of [{ frames: 1 }, { frames: -1 }, { seconds: 1 }, { seconds: -1 }]) {
          const p = predictStep(step, at(t, { fps }));
          if (p !== undefined) expect({ fps, t, step, p, signedAhead: ahead.includes(p) }).toEqual({ fps, t, step, p, signedAhead: true });
        }
      }
    }
  });
});
