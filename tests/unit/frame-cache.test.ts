/** The emulator's GetSnapshot image cache (dev/emulator/frame-cache.ts) as a data structure. */
import { FrameCache } from '../../dev/emulator/frame-cache';

const image = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill);

describe('FrameCache', () => {
  it('keys by object version: equal parts of two versions are two entries', () => {
    const cache = new FrameCache(1000);
    const [v1, v2] = [{}, {}];
    expect(cache.key(v1, [1.04, 0, 0, 'jpg', 'auto'])).toBe(cache.key(v1, [1.04, 0, 0, 'jpg', 'auto']));
    expect(cache.key(v1, [1.04, 0, 0, 'jpg', 'auto'])).not.toBe(cache.key(v2, [1.04, 0, 0, 'jpg', 'auto']));
    cache.set(cache.key(v1, [1]), image(10, 1));
    expect(cache.get(cache.key(v2, [1]))).toBeUndefined();
    expect(cache.get(cache.key(v1, [1]))).toEqual(image(10, 1));
  });

  it('keeps at most maxBytes, dropping the least recently used first', () => {
    const cache = new FrameCache(100);
    const v = {};
    cache.set(cache.key(v, ['a']), image(20));
    cache.set(cache.key(v, ['b']), image(20));
    cache.set(cache.key(v, ['c']), image(20));
    cache.get(cache.key(v, ['a'])); // a is now the most recently used
    cache.set(cache.key(v, ['d']), image(25));
    cache.set(cache.key(v, ['e']), image(25)); // 110 bytes: b (least recently used) goes
    expect(cache.get(cache.key(v, ['b']))).toBeUndefined();
    for (const k of ['a', 'c', 'd', 'e']) expect(cache.get(cache.key(v, [k]))).toBeDefined();
    expect(cache.size()).toEqual({ images: 4, bytes: 90 });
  });

  it('keeps no image larger than a quarter of the budget, and nothing at all with maxBytes 0', () => {
    const cache = new FrameCache(100);
    cache.set(cache.key({}, ['big']), image(26));
    expect(cache.size()).toEqual({ images: 0, bytes: 0 });
    const off = new FrameCache(0);
    off.set(off.key({}, ['x']), image(1));
    expect(off.size()).toEqual({ images: 0, bytes: 0 });
  });

  it('rejects a budget that is not a whole number of bytes, naming the option and the value', () => {
    expect(() => new FrameCache(-1)).toThrow('snapshotCacheBytes must be a whole number of bytes >= 0, got -1');
    expect(() => new FrameCache(1.5)).toThrow('snapshotCacheBytes must be a whole number of bytes >= 0, got 1.5');
  });
});
