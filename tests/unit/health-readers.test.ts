import { readersFix as fixText, readersVerdict as verdictText, withoutQuery, type ReaderProbe } from '../../server/src/health/readers';
import { renderText, text } from '../../server/src/health/texts';

/** Verdict and fix as the API's English `message` / `fix`; any string stands for the fix text. */
const readersVerdict = (probes: ReaderProbe[], fix: string) => {
  const v = verdictText(probes, text('detail', { message: fix }));
  return { ok: v.ok, message: renderText(v.message), ...(v.fix ? { fix: renderText(v.fix) } : {}) };
};
const readersFix = (opts: Parameters<typeof fixText>[0]) => renderText(fixText(opts));

const probe = (over: Partial<ReaderProbe>): ReaderProbe => ({
  kind: 'thumbnail',
  key: 'thumbnails/a.jpg',
  url: 'http://127.0.0.1:9/thumbnails/a.jpg',
  status: 200,
  ...over,
});

describe('readersVerdict', () => {
  it('passes when every probe answered 2xx (206 for a ranged video read)', () => {
    const v = readersVerdict([probe({}), probe({ kind: 'video', key: 'videos/a.mp4', status: 206 })], 'FIX');
    expect(v).toEqual({ ok: true, message: 'Anonymous readers can open the thumbnail thumbnails/a.jpg and the video videos/a.mp4.' });
  });

  it('fails naming each refused object, its URL without the signature, and the status', () => {
    const v = readersVerdict(
      [probe({ status: 403, url: 'http://h/thumbnails/a.jpg?q-sign-algorithm=sha1&q-signature=abc' }), probe({ kind: 'video', key: 'videos/a.mp4', url: 'http://h/videos/a.mp4', status: 0, error: 'fetch failed' })],
      'FIX',
    );
    expect(v.ok).toBe(false);
    expect(v.fix).toBe('FIX');
    expect(v.message).toContain('thumbnail thumbnails/a.jpg at http://h/thumbnails/a.jpg answered HTTP 403');
    expect(v.message).toContain('video videos/a.mp4 at http://h/videos/a.mp4 answered nothing (fetch failed)');
    expect(v.message).not.toContain('q-signature');
  });

  it('a 3xx/4xx/5xx is a failure, a 2xx is not', () => {
    for (const status of [301, 404, 500]) expect(readersVerdict([probe({ status })], 'F').ok).toBe(false);
    expect(readersVerdict([probe({ status: 204 })], 'F').ok).toBe(true);
  });
});

describe('readersFix', () => {
  const base = { signUrls: false, prefixes: ['thumbnails/', 'videos/'], bucket: 'media-1250000000' };

  it('private bucket with unsigned URLs: public-read on the prefixes, a CDN, or signUrls', () => {
    const fix = readersFix(base);
    expect(fix).toContain('Bucket media-1250000000 is private');
    expect(fix).toContain('make "thumbnails/" and "videos/" public-read');
    expect(fix).toContain('anonymous GetObject on thumbnails/* and videos/*');
    expect(fix).toContain('--public-read <bucket>');
    expect(fix).toContain('set publicBaseUrl');
    expect(fix).toContain('signUrls: true');
  });

  it('an empty prefix means the whole bucket', () => {
    expect(readersFix({ ...base, prefixes: ['', ''] })).toContain('make the whole bucket public-read');
  });

  it('publicBaseUrl: the CDN must be able to read the bucket, or sign instead', () => {
    const fix = readersFix({ ...base, publicBaseUrl: 'https://cdn.example.com' });
    expect(fix).toContain('URLs come from publicBaseUrl (https://cdn.example.com)');
    expect(fix).toContain('signUrls: true');
  });

  it('signUrls on: the signing key or the clock is at fault', () => {
    expect(readersFix({ ...base, signUrls: true })).toMatch(/signing key may not read these objects.*clocks differ/);
  });
});

it('withoutQuery drops the query string only', () => {
  expect(withoutQuery('http://h/a/b.jpg?x=1&y=2')).toBe('http://h/a/b.jpg');
  expect(withoutQuery('http://h/a/b.jpg')).toBe('http://h/a/b.jpg');
});
