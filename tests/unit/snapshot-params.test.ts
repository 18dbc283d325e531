import type { SnapshotParams } from '../../common/field-value';
import { SNAPSHOT_LIMITS, sameSnapshot, validateSnapshotParams } from '../../common/snapshot-params';

const defaults: SnapshotParams = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
const path = 'video.snapshot';

function errorsOf(input: unknown, duration?: number) {
  const r = validateSnapshotParams(input, { path, defaults, duration });
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
    expect(validateSnapshotParams({ time: 10 }, { path, defaults, duration: 10 }).ok).toBe(true);
    const [e] = errorsOf({ time: 10.5 }, 10);
    expect(e.path).toBe('video.snapshot.time');
    expect(e.message).toContain('got 10.5');
    expect(e.message).toContain('0 to 10 seconds');
    // a default time beyond the end is caught too
    expect(errorsOf(undefined, 0.5)[0].path).toBe('video.snapshot.time');
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
