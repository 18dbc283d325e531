/**
 * probeVideo against a hand-written CosPort (our own interface, not the COS SDK): HEAD and video
 * info run in parallel within one budget; only "no video stream" is a verdict, other COS errors
 * and slowness are 'unknown' (the job deals with them).
 */
import type { MediaInfo } from '../../common/field-value';
import { CosError } from '../../server/src/services/cos-errors';
import { probeVideo } from '../../server/src/services/field-probe';

const loc = { bucket: 'dev-1250000000', region: 'ap-guangzhou', key: 'videos/a.mp4' };
const MEDIA: MediaInfo = { duration: 4, width: 320, height: 180, fps: 25, rotation: 0 };
const HEAD = { etag: '"abc"', size: 10, contentType: 'video/mp4', lastModified: '2026-11-25T00:00:00.000Z' };
const never = <T>() => new Promise<T>(() => undefined);
const cosError = (code: string, transient = false) => new CosError({ code, transient, statusCode: transient ? 503 : 400, userMessage: code, detail: code });

describe('probeVideo', () => {
  it('answers both when COS answers', async () => {
    const p = await probeVideo({ headObject: async () => HEAD, getMediaInfo: async () => MEDIA }, loc, 10_000);
    expect(p).toEqual({ head: { etag: '"abc"', contentType: 'video/mp4' }, info: MEDIA });
  });

  it('sends video info without waiting for HEAD (parallel, not in series)', async () => {
    let infoAsked!: () => void;
    const infoStarted = new Promise<void>((r) => (infoAsked = r));
    const cos = {
      // HEAD only answers once video info has been asked for: in series this would run out of budget.
      headObject: async () => {
        await infoStarted;
        return HEAD;
      },
      getMediaInfo: async () => {
        infoAsked();
        return MEDIA;
      },
    };
    const p = await probeVideo(cos, loc, 5_000);
    expect(p.head).not.toBe('unknown');
    expect(p.info).toEqual(MEDIA);
  });

  it('missing object → head "missing"', async () => {
    const p = await probeVideo({ headObject: async () => null, getMediaInfo: () => Promise.reject(cosError('NoSuchKey')) }, loc, 10_000);
    expect(p).toEqual({ head: 'missing', info: 'unknown' });
  });

  it('"no video stream" → info "not-video"', async () => {
    const p = await probeVideo({ headObject: async () => HEAD, getMediaInfo: () => Promise.reject(cosError('NotAVideo')) }, loc, 10_000);
    expect(p.info).toBe('not-video');
  });

  it.each([
    ['unbound media bucket', cosError('MediaProcessingDisabled')],
    ['COS 5xx', cosError('ServerError', true)],
    ['timeout', cosError('Timeout', true)],
    ['not a CosError', new Error('boom')],
  ])('%s → info "unknown" (not a rejection)', async (_name, error) => {
    const p = await probeVideo({ headObject: async () => HEAD, getMediaInfo: () => Promise.reject(error) }, loc, 10_000);
    expect(p).toEqual({ head: { etag: '"abc"', contentType: 'video/mp4' }, info: 'unknown' });
  });

  it('a synchronous throw is "unknown" too', async () => {
    const p = await probeVideo(
      {
        headObject: () => {
          throw new Error('sync');
        },
        getMediaInfo: async () => MEDIA,
      },
      loc,
      10_000,
    );
    expect(p).toEqual({ head: 'unknown', info: MEDIA });
  });

  it('COS never answering → both "unknown" once the budget is spent', async () => {
    jest.useFakeTimers();
    try {
      const pending = probeVideo({ headObject: never, getMediaInfo: never }, loc, 500);
      await jest.advanceTimersByTimeAsync(500);
      expect(await pending).toEqual({ head: 'unknown', info: 'unknown' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('one budget for both: a slow video info does not extend the wait past it', async () => {
    jest.useFakeTimers();
    try {
      let settled = false;
      const pending = probeVideo({ headObject: async () => HEAD, getMediaInfo: never }, loc, 500).then((p) => {
        settled = true;
        return p;
      });
      await jest.advanceTimersByTimeAsync(499);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await pending).toEqual({ head: { etag: '"abc"', contentType: 'video/mp4' }, info: 'unknown' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('withInfo=false does not ask for video info', async () => {
    const asked: string[] = [];
    const p = await probeVideo(
      {
        headObject: async () => (asked.push('head'), HEAD),
        getMediaInfo: async () => (asked.push('info'), MEDIA),
      },
      loc,
      10_000,
      false,
    );
    expect(asked).toEqual(['head']);
    expect(p.info).toBe('unknown');
  });
});
