/**
 * The picker's frame logic over presented-frame tables like the ones browsers show for real
 * uploads (variable frame rate with jitter, 29.97 fps, a start offset). `present` plays the
 * browser's part: the frame on screen at a time is the last one starting at or before it (the
 * first one before any starts), its media time microsecond-rounded.
 */
import { BEFORE_FRAME, PresentedFrames, nextFrame, previousFrame, roundUs, seekTarget, storedFrameTime } from '../../admin/src/utils/frames';

function browser(starts: number[]) {
  let seeks = 0;
  const present = async (t: number) => {
    seeks++;
    // currentTime is truncated to whole microseconds by the browser
    const at = Math.floor(t * 1e6 + 1e-6) / 1e6;
    let shown = starts[0];
    for (const s of starts) if (roundUs(s) <= at) shown = s;
    return roundUs(shown);
  };
  return { present, seeks: () => seeks };
}

// 25 fps then 50 fps with a few ms of jitter (the corpus's phone-like VFR)
const vfr = Array.from({ length: 100 }, (_, n) => (n < 50 ? n * 0.04 : 2 + (n - 50) * 0.02) + (n > 0 ? ((((n * 7) % 5) - 2) * 0.0015) : 0));
const ntsc = Array.from({ length: 20_000 }, (_, n) => (n * 1001) / 30000); // ≈ 11 minutes at 29.97
const offset = Array.from({ length: 75 }, (_, n) => 1.5 + n * 0.04);

describe('stepping through presented frames', () => {
  for (const [name, starts, fps] of [['vfr', vfr, 25], ['ntsc', ntsc.slice(0, 400), 29.97], ['start offset', offset, 25]] as const) {
    it(`${name}: +1 frame from every frame lands on the very next presented frame, −1 on the one before`, async () => {
      const b = browser(starts as unknown as number[]);
      const frames = new PresentedFrames();
      const end = (starts[starts.length - 1] as number) + 0.02;
      let cur = frames.see(await b.present(seekTarget(starts[0] as number)));
      for (let i = 1; i < starts.length; i++) {
        cur = await nextFrame(frames, b.present, cur, 1 / fps, end);
        expect(cur).toBe(roundUs(starts[i] as number));
      }
      // last frame: +1 stays
      expect(await nextFrame(frames, b.present, cur, 1 / fps, end)).toBe(cur);
      for (let i = starts.length - 2; i >= 0; i--) {
        cur = await previousFrame(frames, b.present, cur);
        expect(cur).toBe(roundUs(starts[i] as number));
      }
      expect(await previousFrame(frames, b.present, cur)).toBe(cur); // first frame: −1 stays
    });
  }

  it('a forward guess that jumps several frames still returns the next one (walks back)', async () => {
    const b = browser(vfr);
    const frames = new PresentedFrames();
    const from = roundUs(vfr[50]);
    frames.see(from);
    // 50 fps part, guessing 1/10 s: lands 5 frames ahead, then walks back
    expect(await nextFrame(frames, b.present, from, 0.1, 4)).toBe(roundUs(vfr[51]));
  });

  it('known neighbours cost no seek', async () => {
    const b = browser(vfr);
    const frames = new PresentedFrames();
    const a = frames.see(await b.present(seekTarget(vfr[10])));
    const n = await nextFrame(frames, b.present, a, 0.04, 4);
    const before = b.seeks();
    expect(await nextFrame(frames, b.present, a, 0.04, 4)).toBe(n);
    expect(await previousFrame(frames, b.present, n)).toBe(a);
    expect(b.seeks()).toBe(before);
  });
});

describe('frame numbers only when known from presented frames', () => {
  it('no number until a chain reaches the first frame; then the number counts presented frames', async () => {
    const b = browser(vfr);
    const frames = new PresentedFrames();
    const at = frames.see(await b.present(seekTarget(vfr[3])));
    expect(frames.index(at)).toBeUndefined();
    let cur = at;
    for (let i = 0; i < 3; i++) cur = await previousFrame(frames, b.present, cur);
    expect(await previousFrame(frames, b.present, cur)).toBe(cur); // proves it is the first
    expect(frames.index(at)).toBe(3);
    expect(frames.index(cur)).toBe(0);
  });

  it('a start offset: seeking before the first frame presents it, which proves it first', async () => {
    const b = browser(offset);
    const frames = new PresentedFrames();
    const first = frames.see(await b.present(seekTarget(1.5)));
    expect(await previousFrame(frames, b.present, first)).toBe(first);
    expect(frames.index(first)).toBe(0);
    expect(frames.index(await nextFrame(frames, b.present, first, 0.04, 4.5))).toBe(1);
  });
});

describe('stored times', () => {
  it('29.97 fps over 11 minutes: every stored time is inside its own frame (no fps product, no drift)', () => {
    const outside: number[] = [];
    for (let n = 0; n < ntsc.length - 1; n++) {
      const t = storedFrameTime(roundUs(ntsc[n]));
      if (!(t > ntsc[n] && t < ntsc[n + 1])) outside.push(n);
    }
    expect(outside).toEqual([]);
  });

  it('seek targets present the frame starting there even after the browser truncates to microseconds', () => {
    for (const s of [2.01, 2.02, 0.997, 1.9615, ntsc[19_000]]) {
      const truncated = Math.floor(seekTarget(roundUs(s)) * 1e6) / 1e6;
      expect(truncated).toBeGreaterThanOrEqual(roundUs(s));
      expect(truncated).toBeLessThan(roundUs(s) + BEFORE_FRAME);
    }
  });
});

describe('what a step leaves on screen', () => {
  // The picker shows the frame a step lands on; a step that ends on another frame costs a third seek.
  function tracking(starts: number[]) {
    const b = browser(starts);
    let onScreen: number | null = null;
    const present = async (t: number) => (onScreen = await b.present(t));
    return { present, seeks: b.seeks, onScreen: () => onScreen };
  }

  for (const [name, starts, fps] of [['25 fps', Array.from({ length: 50 }, (_, n) => n * 0.04), 25], ['ntsc', ntsc.slice(0, 200), 29.97], ['start offset', offset, 25]] as const) {
    it(`${name}: +1 frame at the nominal rate takes two seeks and leaves the new frame presented`, async () => {
      const list = starts as unknown as number[];
      const b = tracking(list);
      const frames = new PresentedFrames();
      const end = list[list.length - 1] + 0.02;
      let cur = frames.see(await b.present(seekTarget(list[0])));
      for (let i = 1; i < list.length; i++) {
        const before = b.seeks();
        cur = await nextFrame(frames, b.present, cur, 1 / fps, end);
        expect({ i, frame: cur, seeks: b.seeks() - before, onScreen: b.onScreen() }).toEqual({ i, frame: roundUs(list[i]), seeks: 2, onScreen: roundUs(list[i]) });
      }
    });
  }
});
