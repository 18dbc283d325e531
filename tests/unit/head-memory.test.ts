import { createHeadMemory } from '../../server/src/cos/head-memory';

const loc = (key: string, bucket = 'media-1250000000', region = 'ap-guangzhou') => ({ bucket, region, key });
const head = (etag: string) => ({ etag, contentType: 'video/mp4' });

describe('head memory (the save reuses a recent HEAD of its video)', () => {
  it('answers within maxAgeMs of the HEAD, not at or after it', () => {
    const m = createHeadMemory();
    m.remember(loc('v.mp4'), head('e1'), 1000);
    expect(m.recall(loc('v.mp4'), 500, 1499)).toEqual({ etag: 'e1', contentType: 'video/mp4', at: 1000 });
    expect(m.recall(loc('v.mp4'), 500, 1500)).toBeNull();
  });

  it('maxAgeMs 0 never answers (every save HEADs)', () => {
    const m = createHeadMemory();
    m.remember(loc('v.mp4'), head('e1'), 1000);
    expect(m.recall(loc('v.mp4'), 0, 1000)).toBeNull();
  });

  it('a later answer replaces the earlier one; forget drops it', () => {
    const m = createHeadMemory();
    m.remember(loc('v.mp4'), head('e1'), 1000);
    m.remember(loc('v.mp4'), head('e2'), 1100);
    expect(m.recall(loc('v.mp4'), 500, 1200)?.etag).toBe('e2');
    m.forget(loc('v.mp4'));
    expect(m.recall(loc('v.mp4'), 500, 1200)).toBeNull();
  });

  it('keys by bucket, region and key', () => {
    const m = createHeadMemory();
    m.remember(loc('v.mp4'), head('e1'), 1000);
    expect(m.recall(loc('v.mp4', 'other-1250000000'), 500, 1000)).toBeNull();
    expect(m.recall(loc('v.mp4', undefined, 'ap-shanghai'), 500, 1000)).toBeNull();
    expect(m.recall(loc('w.mp4'), 500, 1000)).toBeNull();
  });

  it('a clock that went backwards is not trusted', () => {
    const m = createHeadMemory();
    m.remember(loc('v.mp4'), head('e1'), 1000);
    expect(m.recall(loc('v.mp4'), 500, 999)).toBeNull();
  });

  it('is bounded: past max keys the least recently used goes first', () => {
    const m = createHeadMemory(3);
    for (const k of ['a', 'b', 'c']) m.remember(loc(k), head(k), 1000);
    m.recall(loc('a'), 500, 1000); // a is now more recent than b
    m.remember(loc('d'), head('d'), 1000);
    expect(m.size()).toBe(3);
    expect(m.recall(loc('b'), 500, 1000)).toBeNull();
    expect(m.recall(loc('a'), 500, 1000)?.etag).toBe('a');
    expect(m.recall(loc('d'), 500, 1000)?.etag).toBe('d');
  });
});
