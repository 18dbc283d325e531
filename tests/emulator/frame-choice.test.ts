/** The emulator's frame selection rule on hand-made frame tables (pure logic, no ffmpeg). */
import { packetsEnd, type FrameEntry, type VideoFacts } from '../../dev/emulator/probe';
import { chooseFrame, lastValidTime } from '../../dev/emulator/snapshot';

const table = (start: number, times: number[], keys: number[] = [0]): FrameEntry[] =>
  times.map((t, i) => ({ pts: start + t, keyframe: keys.includes(i) }));

// 25 fps, then 50 fps; keyframes at frames 0 and 3
const vfr = table(0, [0, 0.04, 0.08, 0.12, 0.14, 0.16], [0, 3]);
const offset = table(1.5, [0, 0.04, 0.08]);
const pick = (frames: FrameEntry[], t: number, semantics: 'on-screen' | 'at-or-after', mode: 'exactframe' | 'keyframe' = 'exactframe') =>
  frames.indexOf(chooseFrame(frames, t, mode, semantics));

describe('chooseFrame', () => {
  test.each([
    [0, 0],
    [0.039, 0],
    [0.04, 1],
    [0.1, 2],
    [0.12, 3],
    [0.13, 3],
    [0.14, 4],
    [0.2, 5],
  ])('on-screen: t=%s shows frame %i (the last one presented at or before t)', (t, want) => {
    expect(pick(vfr, t, 'on-screen')).toBe(want);
  });

  test('on-screen: times count from the file timeline; before the first frame it is the first frame', () => {
    expect(pick(offset, 0, 'on-screen')).toBe(0);
    expect(pick(offset, 1.5, 'on-screen')).toBe(0);
    expect(pick(offset, 1.54, 'on-screen')).toBe(1);
  });

  test('decimal input equals a frame time computed from its time base', () => {
    const frames = Array.from({ length: 10 }, (_, i) => ({ pts: (i * 1) / 25, keyframe: i === 0 }));
    expect(pick(frames, 0.28, 'on-screen')).toBe(7);
    expect(pick(frames, 0.28, 'at-or-after')).toBe(7);
  });

  test.each([
    [0, 0],
    [0.001, 1],
    [0.04, 1],
    [0.041, 2],
    [0.139, 4],
    [0.17, 5],
  ])('at-or-after: t=%s is frame %i (the first one starting at or after t, else the last)', (t, want) => {
    expect(pick(vfr, t, 'at-or-after')).toBe(want);
  });

  test('at-or-after: time counts from the first frame', () => {
    expect(pick(offset, 0, 'at-or-after')).toBe(0);
    expect(pick(offset, 0.02, 'at-or-after')).toBe(1);
  });

  test('keyframe: the last keyframe at or before t, under either semantics', () => {
    expect(pick(vfr, 0.11, 'on-screen', 'keyframe')).toBe(0);
    expect(pick(vfr, 0.12, 'on-screen', 'keyframe')).toBe(3);
    expect(pick(vfr, 0.2, 'at-or-after', 'keyframe')).toBe(3);
    // no keyframe presented at or before t (an edit list hid it): the first frame
    expect(pick(table(0, [0, 0.04, 0.08], [2]), 0.05, 'on-screen', 'keyframe')).toBe(0);
  });

  test('lastValidTime: the end of the file timeline, or the duration counted from the first frame', () => {
    const facts = { startTime: 1.5, duration: 3 } as VideoFacts;
    expect(lastValidTime(facts, 'on-screen')).toBe(4.5);
    expect(lastValidTime(facts, 'at-or-after')).toBe(3);
  });
});

describe('packetsEnd: where the last frame stops being shown', () => {
  test('the latest pts + duration, in any packet order (B-frames arrive out of order)', () => {
    expect(packetsEnd([{ pts: 0, duration: 0.04 }, { pts: 0.08, duration: 0.04 }, { pts: 0.04, duration: 0.04 }])).toBeCloseTo(0.12, 9);
    // the last packet lasts longer than the others (an edit-list cut can give it that)
    expect(packetsEnd([{ pts: 3.6, duration: 0.04 }, { pts: 3.64, duration: 0.06 }])).toBeCloseTo(3.7, 9);
  });

  test('a last packet without a duration (a VFR MP4) is shown as long as the interval before it', () => {
    expect(packetsEnd([{ pts: 2.9355, duration: 0.023 }, { pts: 2.9585, duration: 0.023 }, { pts: 2.9815 }])).toBeCloseTo(3.0045, 9);
    // a single packet without a duration ends where it starts: nothing to go by
    expect(packetsEnd([{ pts: 1.5 }])).toBe(1.5);
    expect(packetsEnd([])).toBe(0);
  });
});
