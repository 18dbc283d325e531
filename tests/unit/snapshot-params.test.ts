import type { SnapshotParams } from '../../common/field-value';
import { SNAPSHOT_LIMITS, sameSnapshot, timelineEnd, validateSnapshotParams } from '../../common/snapshot-params';
import { parseVideoInfo } from '../../server/src/cos/media-info';

const defaults: SnapshotParams = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
const path = 'video.snapshot';

function errorsOf(input: unknown, end?: number) {
  const r = validateSnapshotParams(input, { path, defaults, end });
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return r.errors;
}

describe('validateSnapshotParams', () => {
  it('fills missing parameters from the defaults', () => {
    expect(validateSnapshotParams(undefined, { path, defaults })).toEqual({ ok: true, value: defaults });
    expect(validateSnapshotParams({ time: 2.52, format: 'png' }, { path, defaults })).toEqual({
      ok: true,
      value: { ...defaults, time: 2.52, format: 'png' },
    });
    expect(validateSnapshotParams({ time: null }, { path, defaults })).toEqual({ ok: true, value: defaults });
  });

  it('accepts every allowed value', () => {
    const all: SnapshotParams = { time: 0, width: 4096, height: 1, format: 'png', rotate: 'off', mode: 'keyframe' };
    expect(validateSnapshotParams(all, { path, defaults })).toEqual({ ok: true, value: all });
  });

  it('accepts time strings and keeps times to the microsecond', () => {
    const r = validateSnapshotParams({ time: '1:02.5' }, { path, defaults });
    expect(r.ok && r.value.time).toBe(62.5);
    const r2 = validateSnapshotParams({ time: 1.2345678 }, { path, defaults });
    expect(r2.ok && r2.value.time).toBe(1.234568);
    const r3 = validateSnapshotParams({ time: '10:33.966668' }, { path, defaults });
    expect(r3.ok && r3.value.time).toBe(633.966668);
  });

  it('keeps a presented frame time of a long 29.97 fps clip inside its frame (no millisecond rounding)', () => {
    // frame 19000 starts at 19000 × 1001/30000 = 633.96666… s; the picker stores 633.966668
    const r = validateSnapshotParams({ time: 633.966668 }, { path, defaults });
    expect(r.ok && r.value.time).toBe(633.966668);
    expect(r.ok && r.value.time).toBeGreaterThan((19000 * 1001) / 30000);
  });

  it.each([
    [{ time: -1 }, 'video.snapshot.time', 'got -1', 'must not be negative'],
    [{ time: 'abc' }, 'video.snapshot.time', 'got "abc"', 'is not a time'],
    [{ time: NaN }, 'video.snapshot.time', 'got NaN', 'finite'],
    [{ time: Infinity }, 'video.snapshot.time', 'got Infinity', 'finite'],
    [{ time: true }, 'video.snapshot.time', 'got true', 'must be a number'],
    [{ width: -1 }, 'video.snapshot.width', 'got -1', 'from 0 to 4096'],
    [{ width: 4097 }, 'video.snapshot.width', 'got 4097', 'from 0 to 4096'],
    [{ height: 10.5 }, 'video.snapshot.height', 'got 10.5', 'must be an integer'],
    [{ height: '640' }, 'video.snapshot.height', 'got "640"', 'an integer'],
    [{ format: 'gif' }, 'video.snapshot.format', 'got "gif"', '"jpg" or "png"'],
    [{ rotate: 'left' }, 'video.snapshot.rotate', 'got "left"', '"auto" or "off"'],
    [{ mode: 'fast' }, 'video.snapshot.mode', 'got "fast"', '"exactframe" or "keyframe"'],
    [{ quality: 90 }, 'video.snapshot.quality', 'got 90', 'time, width, height, format, rotate, mode'],
    ['2.5', 'video.snapshot', 'got "2.5"', 'must be an object'],
    [[1], 'video.snapshot', 'got [1]', 'must be an object'],
  ])('rejects %j naming the field, the value and what is allowed', (input, field, got, allowed) => {
    const [e, ...rest] = errorsOf(input);
    expect(rest).toEqual([]);
    expect(e.path).toBe(field);
    expect(e.message.startsWith(field)).toBe(true);
    expect(e.message).toContain(got);
    expect(e.message).toContain(allowed);
  });

  it('reports every bad parameter at once', () => {
    const errors = errorsOf({ time: -1, width: 5000, format: 'bmp' });
    expect(errors.map((e) => e.path)).toEqual(['video.snapshot.time', 'video.snapshot.width', 'video.snapshot.format']);
  });

  it('checks time against a known duration', () => {
    expect(validateSnapshotParams({ time: 10 }, { path, defaults, end: 10 }).ok).toBe(true);
    const [e] = errorsOf({ time: 10.5 }, 10);
    expect(e.path).toBe('video.snapshot.time');
    expect(e.message).toContain('got 10.5');
    expect(e.message).toContain('0 to 10 seconds');
    // a default time beyond the end is caught too
    expect(errorsOf(undefined, 0.5)[0].path).toBe('video.snapshot.time');
  });

  it('a video that does not start at 0: time is allowed up to where it ends on the file timeline', () => {
    // starts 1.5 s into its timeline, 3 s long: the player shows frames until 4.5 s
    const media = { duration: 3, startTime: 1.5, end: 4.5, width: 96, height: 64, fps: 25, rotation: 0 };
    expect(timelineEnd(media)).toBe(4.5);
    expect(validateSnapshotParams({ time: 4.460001 }, { path, defaults, end: timelineEnd(media) }).ok).toBe(true);
    expect(validateSnapshotParams({ time: 4.5 }, { path, defaults, end: timelineEnd(media) }).ok).toBe(true);
    const [e] = errorsOf({ time: 4.6 }, timelineEnd(media));
    expect(e.message).toContain('got 4.6');
    expect(e.message).toContain('allowed: 0 to 4.5 seconds');
    // without a start offset the end is the duration
    expect(timelineEnd({ duration: 3 })).toBe(3);
  });

  it('the end comes from videoinfo: Format.StartTime + Format.Duration, for every kind of late start', () => {
    const info = (format: Record<string, string>, video: Record<string, string>) => ({
      Format: format,
      Stream: { Video: { Width: '96', Height: '64', Fps: '25', ...video } },
    });
    // start offset: the whole file starts at 1.5 s
    const offset = parseVideoInfo(info({ StartTime: '1.500000', Duration: '3.000000' }, { StartTime: '1.500000', Duration: '3.000000' }))!;
    expect(offset).toMatchObject({ duration: 3, startTime: 1.5, end: 4.5 });
    expect(timelineEnd(offset)).toBe(4.5);
    // audio primed 0.5 s before the video: the format's timeline starts at 0 and its duration covers the video
    const audioFirst = parseVideoInfo(info({ StartTime: '0.000000', Duration: '3.500000' }, { StartTime: '0.500000', Duration: '3.000000' }))!;
    expect(audioFirst).toMatchObject({ duration: 3.5, startTime: 0.5 });
    expect(timelineEnd(audioFirst)).toBe(3.5);
    // an edit-list cut starting at 0: the end is the duration, no extra field
    const cut = parseVideoInfo(info({ StartTime: '0.000000', Duration: '3.700000' }, { StartTime: '0.000000', Duration: '3.700000' }))!;
    expect(cut).not.toHaveProperty('end');
    expect(timelineEnd(cut)).toBe(3.7);
    // Format without StartTime: the video stream's own start counts
    const streamOnly = parseVideoInfo(info({ Duration: '2.000000' }, { StartTime: '1.000000', Duration: '2.000000' }))!;
    expect(timelineEnd(streamOnly)).toBe(3);
  });

  it('exposes the dimension limit', () => {
    expect(SNAPSHOT_LIMITS.maxDimension).toBe(4096);
  });
});

describe('sameSnapshot', () => {
  it('compares all six parameters', () => {
    expect(sameSnapshot(defaults, { ...defaults })).toBe(true);
    for (const change of [{ time: 2 }, { width: 1 }, { height: 1 }, { format: 'png' }, { rotate: 'off' }, { mode: 'keyframe' }]) {
      expect(sameSnapshot(defaults, { ...defaults, ...change } as SnapshotParams)).toBe(false);
    }
  });
});
