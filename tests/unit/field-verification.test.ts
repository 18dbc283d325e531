/**
 * Pure rules of item "no URL before verification": which values get URLs on read
 * (withReadUrls with a hand-written readUrl, not the COS SDK) and how a job result is merged
 * into the stored value (mergeResult: a failure keeps the last good thumbnail; the
 * verification changes only when the job decided it).
 */
import type { CosVideoValue, ThumbnailInfo } from '../../common/field-value';
import { isVerified } from '../../common/field-value';
import { withReadUrls } from '../../server/src/field/read-urls';
import { mergeResult } from '../../server/src/thumbnails/run-job';

const readUrl = ({ key }: { bucket: string; region: string; key: string }) => `https://signed.example/${key}?sig`;
const THUMB: ThumbnailInfo = { key: 'thumbnails/a.jpg', url: 'https://stored.example/thumbnails/a.jpg', format: 'jpg', width: 4, height: 3, size: 9, generatedAt: 't' };
const VERIFIED = { etag: 'abc', contentType: 'video/mp4', verifiedAt: '2026-11-25T00:00:00.000Z' };
const value = (extra: Partial<CosVideoValue> = {}): CosVideoValue => ({
  key: 'videos/a.mp4',
  bucket: 'dev-1250000000',
  region: 'ap-guangzhou',
  snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
  thumbnail: THUMB,
  media: null,
  status: 'ready',
  error: null,
  ...extra,
});

describe('isVerified', () => {
  it.each([
    [undefined, false],
    [null, false],
    [{}, false],
    [{ etag: 'abc' }, false],
    [true, false],
    [VERIFIED, true],
  ])('verified %j → %s', (verified, expected) => {
    expect(isVerified({ verified } as never)).toBe(expected);
  });
});

describe('withReadUrls', () => {
  it('a verified value gets a fresh url and thumbnail.url', () => {
    const out = withReadUrls(value({ verified: VERIFIED }), { readUrl }) as CosVideoValue;
    expect(out.url).toBe('https://signed.example/videos/a.mp4?sig');
    expect(out.thumbnail?.url).toBe('https://signed.example/thumbnails/a.jpg?sig');
  });

  it.each([
    ['never verified', {}],
    ['verification cleared', { verified: null }],
    ['a failed verification', { verified: null, status: 'failed' as const }],
    ['a malformed verification', { verified: { etag: 1 } as never }],
  ])('%s: no url, and the stored thumbnail.url is dropped too', (_label, extra) => {
    const out = withReadUrls(value({ ...extra, url: 'https://evil.example/x' }), { readUrl }) as CosVideoValue;
    expect(out).not.toHaveProperty('url');
    expect(out.thumbnail).not.toHaveProperty('url');
    expect(out.thumbnail?.key).toBe(THUMB.key);
  });

  it('leaves non-values alone', () => {
    expect(withReadUrls(null, { readUrl })).toBeNull();
    expect(withReadUrls('x', { readUrl })).toBe('x');
  });
});

describe('mergeResult', () => {
  const current = value({ verified: VERIFIED, media: { duration: 4, width: 4, height: 3, fps: 25, rotation: 0 } });

  it('a failure keeps the last good thumbnail, media and verification; status and error are the attempt\'s', () => {
    const next = mergeResult(current, { status: 'failed', thumbnail: null, media: null, error: { code: 'MediaProcessingDisabled', message: 'm' } });
    expect(next).toMatchObject({ thumbnail: THUMB, media: current.media, verified: VERIFIED, status: 'failed', error: { code: 'MediaProcessingDisabled' } });
  });

  it('a failed verification clears the verification', () => {
    const next = mergeResult(current, { status: 'failed', thumbnail: null, media: null, error: { code: 'NotAVideo', message: 'm' }, verified: null });
    expect(next.verified).toBeNull();
  });

  it('success replaces thumbnail and verification', () => {
    const thumbnail = { ...THUMB, key: 'thumbnails/b.jpg' };
    const verified = { ...VERIFIED, etag: 'def' };
    const next = mergeResult(value(), { status: 'ready', thumbnail, media: null, error: null, verified });
    expect(next).toMatchObject({ thumbnail, verified, status: 'ready', error: null });
  });

  it('keeps only the stored choice and server fields (nothing else from the current value)', () => {
    const next = mergeResult({ ...current, url: 'https://evil.example/x' } as CosVideoValue, { status: 'ready', thumbnail: THUMB, media: null, error: null });
    expect(Object.keys(next).sort()).toEqual(['bucket', 'error', 'key', 'media', 'region', 'snapshot', 'status', 'thumbnail', 'verified']);
  });
});
