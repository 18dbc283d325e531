import { PNG } from 'pngjs';
import {
  AT_OR_AFTER_LEAD,
  CALIBRATION_CLIP,
  CALIBRATION_TIMES,
  IDENTITY_TIMING,
  SNAPSHOT_TIME_ORIGINS,
  SNAPSHOT_TIME_SEMANTICS,
  calibrationFrame,
  matchingModels,
  toCosTime,
  type FrameTimingModel,
} from '../../common/frame-timing';
import { renderFrame } from '../../common/frame-code';
import type { Core } from '@strapi/strapi';
import { FRAME_TIMING_TTL_MS, currentFrameTiming, readCalibrationFrame, snapshotForCos } from '../../server/src/calibration/frame-timing';
import { chooseFrame } from '../../dev/emulator/snapshot';
import { parseVideoInfo } from '../../server/src/cos/media-info';

const MODELS: FrameTimingModel[] = SNAPSHOT_TIME_SEMANTICS.flatMap((semantics) => SNAPSHOT_TIME_ORIGINS.map((origin) => ({ semantics, origin })));

interface Frame {
  pts: number;
  keyframe: boolean;
  index: number;
}

/** Phone-like: starts 0.5 s in, 25 fps then 50 fps, a few ms of jitter. */
const VFR: Frame[] = Array.from({ length: 100 }, (_, n) => ({
  index: n,
  keyframe: n % 30 === 0,
  pts: 0.5 + (n < 50 ? n * 0.04 : 2 + (n - 50) * 0.02) + (n ? ((n * 7) % 5 - 2) * 0.0015 : 0),
}));
/** 29.97 fps for 11 minutes, from 0: frame starts are not decimal-exact. */
const NTSC: Frame[] = Array.from({ length: 20000 }, (_, n) => ({ index: n, keyframe: n % 30 === 0, pts: (n * 1001) / 30000 }));

/** A COS with mapping `m`, written here independently of the code under test. */
function cosFrame(frames: Frame[], m: FrameTimingModel, time: number): number {
  const at = m.origin === 'timeline' ? time : frames[0].pts + time;
  if (m.semantics === 'on-screen') {
    let shown = frames[0];
    for (const f of frames) if (f.pts <= at) shown = f;
    return shown.index;
  }
  return (frames.find((f) => f.pts >= at) ?? frames[frames.length - 1]).index;
}

/** What a browser shows at `t` (file timeline): the last frame starting at or before t, else the first. */
const onScreen = (frames: Frame[], t: number) => cosFrame(frames, IDENTITY_TIMING, t);

/** The times the picker stores: a presented frame's start + 1 µs, to the microsecond. */
const pickerTime = (f: Frame) => Math.round((f.pts + 1e-6) * 1e6) / 1e6;

describe('toCosTime', () => {
  it('is the identity for the browsers\' own mapping', () => {
    for (const t of [0, 0.04, 2.000001, 633.966668]) expect(toCosTime(t, IDENTITY_TIMING, { startTime: 1.5 })).toBe(t);
  });

  it.each(MODELS.map((m) => [`${m.semantics} / ${m.origin}`, m] as const))(
    '%s: COS returns the frame the browser shows, for every frame the picker can store (VFR with a start offset, 29.97 over 11 minutes)',
    (_, m) => {
      for (const frames of [VFR, NTSC]) {
        const startTime = frames[0].pts;
        const wrong: string[] = [];
        // every frame of the short clip; the start and the drift-prone end of the long one
        for (const f of frames.filter((_, i) => i < 120 || i > frames.length - 400)) {
          const t = pickerTime(f);
          const got = cosFrame(frames, m, toCosTime(t, m, { startTime }));
          if (got !== onScreen(frames, t)) wrong.push(`${t} → ${got}, want ${f.index}`);
        }
        expect(wrong).toEqual([]);
      }
    },
  );

  it('a time before the first frame asks for the first frame; never negative', () => {
    for (const m of MODELS) {
      const t = toCosTime(0.2, m, { startTime: VFR[0].pts });
      expect(t).toBeGreaterThanOrEqual(0);
      expect(cosFrame(VFR, m, t)).toBe(0);
    }
  });

  it('agrees with the emulator\'s own frame choice under both of its semantics', () => {
    const table = VFR.map((f) => ({ pts: f.pts, keyframe: f.keyframe }));
    const emulatorModels: Array<[FrameTimingModel, 'on-screen' | 'at-or-after']> = [
      [{ semantics: 'on-screen', origin: 'timeline' }, 'on-screen'],
      [{ semantics: 'at-or-after', origin: 'first-frame' }, 'at-or-after'],
    ];
    for (const [m, emu] of emulatorModels) {
      for (const f of VFR) {
        const chosen = chooseFrame(table, toCosTime(pickerTime(f), m, { startTime: VFR[0].pts }), 'exactframe', emu);
        expect(chosen.pts).toBe(f.pts);
      }
    }
  });

  it('under at-or-after, a time up to the lead after a frame start still gets that frame, also when COS rounds to milliseconds', () => {
    const m: FrameTimingModel = { semantics: 'at-or-after', origin: 'timeline' };
    const f = NTSC[19001];
    for (const inside of [0, 1e-6, 0.0009, AT_OR_AFTER_LEAD - 1e-6]) {
      const t = toCosTime(f.pts + inside, m);
      expect(cosFrame(NTSC, m, t)).toBe(f.index);
      expect(cosFrame(NTSC, m, Math.round(t * 1000) / 1000)).toBe(f.index);
    }
  });

  it('snapshotForCos converts only the time, with the video\'s start from videoinfo', () => {
    const p = { time: 2.000001, width: 320, height: 0, format: 'png' as const, rotate: 'off' as const, mode: 'exactframe' as const };
    expect(snapshotForCos(p, { semantics: 'on-screen', origin: 'first-frame' }, { startTime: 1.5 })).toEqual({ ...p, time: 0.500001 });
    expect(snapshotForCos(p, IDENTITY_TIMING, null)).toEqual(p);
  });
});

describe('media.startTime', () => {
  const info = (start: string) => ({ Format: { Duration: '3.500000', StartTime: '0.000000' }, Stream: { Video: { Width: '96', Height: '64', Fps: '25', StartTime: start } } });
  it('is the video stream\'s StartTime from videoinfo (audio primed before the video), not the format\'s', () => {
    expect(parseVideoInfo(info('0.500000'))?.startTime).toBe(0.5);
  });
  it('is absent for a video starting at 0', () => {
    expect(parseVideoInfo(info('0.000000'))).not.toHaveProperty('startTime');
  });
});

describe('calibration', () => {
  it('each calibration time tells all four mappings apart', () => {
    for (const time of CALIBRATION_TIMES) {
      const frames = MODELS.map((m) => calibrationFrame(m, time, CALIBRATION_CLIP));
      expect(new Set(frames).size).toBe(MODELS.length);
    }
  });

  it('recognises each mapping from its answers, and none from mixed answers', () => {
    for (const m of MODELS) {
      const probes = CALIBRATION_TIMES.map((time) => ({ time, frame: calibrationFrame(m, time, CALIBRATION_CLIP) }));
      expect(matchingModels(probes, CALIBRATION_CLIP)).toEqual([m]);
    }
    const [a, b] = [MODELS[0], MODELS[3]];
    const mixed = [
      { time: CALIBRATION_TIMES[0], frame: calibrationFrame(a, CALIBRATION_TIMES[0], CALIBRATION_CLIP) },
      { time: CALIBRATION_TIMES[1], frame: calibrationFrame(b, CALIBRATION_TIMES[1], CALIBRATION_CLIP) },
    ];
    expect(matchingModels(mixed, CALIBRATION_CLIP)).toEqual([]);
  });

  it('expected frames of the calibration clip (frame n starts at 1 + n/10 s)', () => {
    const at = (semantics: FrameTimingModel['semantics'], origin: FrameTimingModel['origin']) => calibrationFrame({ semantics, origin }, 1.25, CALIBRATION_CLIP);
    expect([at('on-screen', 'timeline'), at('at-or-after', 'timeline'), at('on-screen', 'first-frame'), at('at-or-after', 'first-frame')]).toEqual([2, 3, 12, 13]);
  });

  const png = (index: number, width: number, height: number) => {
    const rgb = renderFrame(index, width, height);
    const img = new PNG({ width, height });
    for (let i = 0; i < width * height; i++) {
      img.data[i * 4] = rgb[i * 3];
      img.data[i * 4 + 1] = rgb[i * 3 + 1];
      img.data[i * 4 + 2] = rgb[i * 3 + 2];
      img.data[i * 4 + 3] = 255;
    }
    return PNG.sync.write(img);
  };

  it('reads the frame number from a PNG snapshot of any size', () => {
    for (const [n, w, h] of [[0, 64, 48], [13, 64, 48], [49, 32, 24], [2047, 200, 150]]) {
      expect(readCalibrationFrame(png(n, w, h))).toBe(n);
    }
  });

  it('says why an image cannot be read', () => {
    expect(() => readCalibrationFrame(Buffer.from('<Error/>'))).toThrow(/not a readable PNG image/);
    const grey = new PNG({ width: 8, height: 8 });
    grey.data.fill(128);
    expect(() => readCalibrationFrame(PNG.sync.write(grey))).toThrow(/not a frame of the calibration clip/);
  });
});

describe('currentFrameTiming (the mapping a process converts with)', () => {
  /** A Strapi whose plugin store holds `value` and counts its reads: just what currentFrameTiming touches. */
  const strapiWith = (value: unknown) => {
    const s = { reads: 0, value, store: () => ({ get: async () => (s.reads++, s.value) }) };
    return s;
  };
  const MEASURED = { semantics: 'at-or-after', origin: 'first-frame', measuredAt: '2026-11-30T00:00:00.000Z', bucket: 'b-1250000000', region: 'ap-guangzhou', probes: [] };

  it('reads the setting once per FRAME_TIMING_TTL_MS, concurrent callers sharing the read', async () => {
    const s = strapiWith(MEASURED);
    const strapi = s as unknown as Core.Strapi;
    const t0 = 1_000_000;
    const [a, b] = await Promise.all([currentFrameTiming(strapi, t0), currentFrameTiming(strapi, t0)]);
    expect(a).toEqual({ semantics: 'at-or-after', origin: 'first-frame' });
    expect(b).toEqual(a);
    expect(await currentFrameTiming(strapi, t0 + FRAME_TIMING_TTL_MS - 1)).toEqual(a);
    expect(s.reads).toBe(1);
    s.value = null; // the measurement removed: after the TTL the browsers' mapping is back
    expect(await currentFrameTiming(strapi, t0 + FRAME_TIMING_TTL_MS)).toEqual(IDENTITY_TIMING);
    expect(s.reads).toBe(2);
  });

  it('a failed read is not kept: the next call reads again', async () => {
    let fail = true;
    const strapi = { store: () => ({ get: async () => { if (fail) throw new Error('database gone'); return MEASURED; } }) } as unknown as Core.Strapi;
    await expect(currentFrameTiming(strapi, 5_000)).rejects.toThrow('database gone');
    fail = false;
    expect(await currentFrameTiming(strapi, 5_001)).toEqual({ semantics: 'at-or-after', origin: 'first-frame' });
  });
});
