import type { SnapshotParams } from '../../common/field-value';
import { matchHash, normaliseEtag, sameChoice, thumbnailKey } from '../../server/src/thumbnails/snapshot-key';

const snapshot: SnapshotParams = { time: 2.52, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
const base = { bucket: 'media-1250000000', region: 'ap-guangzhou', key: 'videos/intro.mp4', snapshot, etag: 'abc' };

describe('thumbnailKey', () => {
  it('is stable for the same inputs and lives under the prefix with the format extension', () => {
    const k = thumbnailKey('thumbnails/', base);
    expect(k).toBe(thumbnailKey('thumbnails/', { ...base, snapshot: { ...snapshot } }));
    expect(k).toMatch(/^thumbnails\/intro-[0-9a-f]{32}\.jpg$/);
    expect(thumbnailKey('thumbs/', { ...base, snapshot: { ...snapshot, format: 'png' } })).toMatch(/^thumbs\/intro-[0-9a-f]{32}\.png$/);
  });

  it('changes with everything that determines the image', () => {
    const k = thumbnailKey('t/', base);
    const variants = [
      { ...base, bucket: 'other-1250000000' },
      { ...base, region: 'ap-shanghai' },
      { ...base, key: 'videos/other.mp4' },
      { ...base, etag: 'def' },
      ...(['time', 'width', 'height', 'format', 'rotate', 'mode'] as const).map((n) => ({
        ...base,
        snapshot: { ...snapshot, [n]: { time: 3, width: 640, height: 360, format: 'png', rotate: 'off', mode: 'keyframe' }[n] },
      })),
    ];
    const keys = new Set(variants.map((v) => thumbnailKey('t/', v as typeof base)));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(k)).toBe(false);
  });

  it('keeps a readable, safe base name', () => {
    expect(thumbnailKey('t/', { ...base, key: 'a/b/我的 视频 (1).final.mov' })).toMatch(/^t\/1-final-[0-9a-f]{32}\.jpg$/);
    expect(thumbnailKey('t/', { ...base, key: '视频.mp4' })).toMatch(/^t\/video-[0-9a-f]{32}\.jpg$/);
  });
});

describe('matchHash / sameChoice', () => {
  it('ignore the ETag (rows carry the choice, not the bytes)', () => {
    expect(matchHash(base)).toBe(matchHash({ ...base, etag: 'zzz' } as typeof base));
    expect(matchHash(base)).not.toBe(matchHash({ ...base, snapshot: { ...snapshot, time: 2.5 } }));
    expect(sameChoice(base, { ...base, snapshot: { ...snapshot } })).toBe(true);
    expect(sameChoice(base, { ...base, key: 'x.mp4' })).toBe(false);
  });
});

describe('normaliseEtag', () => {
  it('strips quotes and weak markers', () => {
    expect(normaliseEtag('"abc"')).toBe('abc');
    expect(normaliseEtag('W/"abc"')).toBe('abc');
    expect(normaliseEtag('')).toBeUndefined();
  });
});
