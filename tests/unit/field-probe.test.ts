/**
 * probeVideo against a hand-written CosPort (our own interface, not the COS SDK): HEAD and video
 * info run in parallel within one budget; only "no video stream" is a verdict, other COS errors
 * and slowness are 'unknown' (the job deals with them; an error answer is marked `infoFailed`).
 */
import type { MediaInfo } from '../../common/field-value';
import { CosError } from '../../server/src/cos/errors';
import { probeVideo, probeVideos } from '../../server/src/field/probe';

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
    expect(p).toEqual({ head: 'missing', info: 'unknown', infoFailed: true });
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
  ])('%s → info "unknown" (not a rejection), marked as an error answer', async (_name, error) => {
    const p = await probeVideo({ headObject: async () => HEAD, getMediaInfo: () => Promise.reject(error) }, loc, 10_000);
    expect(p).toEqual({ head: { etag: '"abc"', contentType: 'video/mp4' }, info: 'unknown', infoFailed: true });
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

  it('a budget of 0 asks nothing: only a HEAD answer already known comes back', async () => {
    const asked: string[] = [];
    const cos = { headObject: async () => (asked.push('head'), HEAD), getMediaInfo: async () => (asked.push('info'), MEDIA) };
    const known = { etag: '"k"', contentType: 'video/mp4' };
    const p = await probeVideos(cos, [{ ...loc, withInfo: true }, { ...loc, key: 'videos/b.mp4', withInfo: true, knownHead: known }], 0, 4);
    expect({ asked, p }).toEqual({ asked: [], p: [{ head: 'unknown', info: 'unknown' }, { head: known, info: 'unknown' }] });
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

describe('probeVideos', () => {
  const at = (key: string, withInfo = true) => ({ bucket: loc.bucket, region: loc.region, key, withInfo });

  it('asks once per distinct object, answering every target in order', async () => {
    const asked: string[] = [];
    const cos = {
      headObject: async (o: { key: string }) => (asked.push(`HEAD ${o.key}`), o.key === 'videos/gone.mp4' ? null : HEAD),
      getMediaInfo: async (o: { key: string }) => (asked.push(`INFO ${o.key}`), MEDIA),
    };
    const targets = [at('videos/a.mp4', false), at('videos/gone.mp4'), at('videos/a.mp4'), at('videos/a.mp4', false)];
    const p = await probeVideos(cos, targets, 10_000, 4);
    expect(asked.sort()).toEqual(['HEAD videos/a.mp4', 'HEAD videos/gone.mp4', 'INFO videos/a.mp4', 'INFO videos/gone.mp4']);
    expect(p.map((x) => x.head)).toEqual([{ etag: '"abc"', contentType: 'video/mp4' }, 'missing', { etag: '"abc"', contentType: 'video/mp4' }, { etag: '"abc"', contentType: 'video/mp4' }]);
    // video info is asked for when any value of that object needs it, and shared by all
    expect(p[0].info).toEqual(MEDIA);
  });

  it('withHead=false asks video info only; any target of the object that wants HEAD still gets it', async () => {
    const asked: string[] = [];
    const cos = {
      headObject: async (o: { key: string }) => (asked.push(`HEAD ${o.key}`), HEAD),
      getMediaInfo: async (o: { key: string }) => (asked.push(`INFO ${o.key}`), MEDIA),
    };
    const p = await probeVideos(cos, [{ ...at('videos/a.mp4'), withHead: false }, { ...at('videos/b.mp4'), withHead: false }, at('videos/b.mp4', false)], 10_000, 4);
    expect(asked.sort()).toEqual(['HEAD videos/b.mp4', 'INFO videos/a.mp4', 'INFO videos/b.mp4']);
    expect(p[0]).toEqual({ head: 'unknown', info: MEDIA });
    expect(p[1].head).toEqual({ etag: '"abc"', contentType: 'video/mp4' });
  });

  it('keeps at most `concurrency` COS calls open', async () => {
    let open = 0;
    let most = 0;
    const slow = async <T>(v: T) => {
      most = Math.max(most, ++open);
      await new Promise((r) => setImmediate(r));
      open--;
      return v;
    };
    const cos = { headObject: () => slow(HEAD), getMediaInfo: () => slow(MEDIA) };
    const p = await probeVideos(cos, Array.from({ length: 12 }, (_, i) => at(`videos/${i}.mp4`)), 10_000, 3);
    expect(most).toBe(3);
    expect(p.every((x) => x.info === MEDIA)).toBe(true);
  });

  it('sends nothing more once the budget is spent: what did not answer is unknown', async () => {
    const asked: string[] = [];
    const cos = {
      // answers after the budget: the two slots free up, but no further call may start then
      headObject: (o: { key: string }) => (asked.push(o.key), new Promise<typeof HEAD>((r) => setTimeout(() => r(HEAD), 60))),
      getMediaInfo: () => never<MediaInfo>(),
    };
    const p = await probeVideos(cos, Array.from({ length: 5 }, (_, i) => at(`videos/${i}.mp4`, false)), 20, 2);
    expect(p).toEqual(Array.from({ length: 5 }, () => ({ head: 'unknown', info: 'unknown' })));
    await new Promise((r) => setTimeout(r, 200));
    expect(asked).toEqual(['videos/0.mp4', 'videos/1.mp4']);
  });
});

describe('probeVideos with a known HEAD answer (videoRecheckMs)', () => {
  it('sends no HEAD for an object whose answer is known, for every target naming it; video info is still asked when wanted', async () => {
    const asked: string[] = [];
    const cos = {
      headObject: async (l: { key: string }) => (asked.push(`HEAD ${l.key}`), HEAD),
      getMediaInfo: async (l: { key: string }) => (asked.push(`info ${l.key}`), MEDIA),
    };
    const known = { etag: 'known', contentType: 'video/mp4' };
    const other = { ...loc, key: 'videos/b.mp4' };
    const p = await probeVideos(
      cos,
      [
        { ...loc, withInfo: false, knownHead: known },
        { ...loc, withInfo: true, knownHead: known },
        { ...other, withInfo: false },
      ],
      10_000,
      4,
    );
    expect(asked.sort()).toEqual(['HEAD videos/b.mp4', 'info videos/a.mp4']);
    expect(p.map((x) => x.head)).toEqual([known, known, { etag: '"abc"', contentType: 'video/mp4' }]);
    expect(p[1].info).toEqual(MEDIA);
  });
});
