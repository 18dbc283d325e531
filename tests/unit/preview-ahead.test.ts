import { aheadTimes } from '../../admin/src/utils/preview-ahead';
import { frameIndex, frameTime, snapToFrame, storedFrameTime } from '../../admin/src/utils/frames';

describe('aheadTimes: the frames a picker step may land on next', () => {
  it('25 fps at a presented frame (2.680001): ±1 frame and ±1 s, as presented times and as frame starts', () => {
    expect(aheadTimes(2.680001, 25, 4)).toEqual([1.68, 1.680001, 2.64, 2.640001, 2.72, 2.720001, 3.68, 3.680001]);
  });

  it('each step of the picker (both modes) lands on one of the predicted times', () => {
    for (const fps of [25, 30, 24]) {
      for (const t of [0.5, 1, 1.040001, 2.000001]) {
        const times = aheadTimes(t, fps, 10);
        const idx = frameIndex(t, fps);
        // without a playable video: snapped frame starts
        expect(times).toContain(snapToFrame(frameTime(idx + 1, fps), fps));
        expect(times).toContain(snapToFrame(t + 1, fps));
        // with one: the presented frame's time, frame start + 1 µs
        expect(times).toContain(storedFrameTime(frameTime(idx + 1, fps)));
        expect(times).toContain(storedFrameTime(frameTime(frameIndex(t + 1, fps), fps)));
      }
    }
  });

  it('stays within [0, end] and leaves out the current time', () => {
    expect(aheadTimes(0, 25, 4).every((t) => t > 0)).toBe(true);
    expect(aheadTimes(3.96, 25, 3.99).every((t) => t <= 3.99)).toBe(true);
    expect(aheadTimes(1, 25)).not.toContain(1);
  });
});
