/**
 * The pure parts of what front ends get with a thumbnail: renditions (thumbnail.formats), the
 * placeholder, the layout facts, the editor's alt text and the config that drives them.
 */
import sharp from 'sharp';
import { decode, isBlurhashValid } from 'blurhash';
import type { CosVideoValue, ThumbnailInfo } from '../../common/field-value';
import { ALT_MAX_LENGTH, validateAlt } from '../../common/poster-alt';
import { THUMBNAIL_FORMATS_DEFAULTS, validateThumbnailFormats } from '../../server/src/config/thumbnail-formats';
import { validateConfig } from '../../server/src/config/validate';
import { withReadUrls } from '../../server/src/field/read-urls';
import { mergeResult } from '../../server/src/thumbnails/run-job';
import { aspectRatio, imageProcess, planFormats, withFrontEndFacts } from '../../server/src/thumbnails/formats';
import { blurhashComponents, computePlaceholder, dominantColour, placeholderSize } from '../../server/src/thumbnails/placeholder';

const base = { secretId: 'AKIDTEST', secretKey: 'top-secret-key-value', bucket: 'media-1250000000', region: 'ap-guangzhou' };
const THUMB: ThumbnailInfo = { key: 'thumbnails/a.jpg', url: 'u', format: 'jpg', width: 1280, height: 720, size: 9, generatedAt: 't' };

describe('thumbnail.formats plan', () => {
  it('imageProcess names width, type and quality as COS imageMogr2 reads them (no quality for png)', () => {
    expect(imageProcess(320, 'webp', 80)).toBe('imageMogr2/thumbnail/320x/format/webp/quality/80');
    expect(imageProcess(640, 'png', 80)).toBe('imageMogr2/thumbnail/640x/format/png');
  });

  it('defaults: each size no wider than the image, in its own format (plain name) and webp (<size>_webp)', () => {
    const plans = planFormats(THUMB, THUMBNAIL_FORMATS_DEFAULTS);
    expect(plans.map((p) => [p.name, p.width, p.height, p.mime])).toEqual([
      ['small', 320, 180, 'image/jpeg'],
      ['medium', 640, 360, 'image/jpeg'],
      ['large', 1280, 720, 'image/jpeg'],
      ['small_webp', 320, 180, 'image/webp'],
      ['medium_webp', 640, 360, 'image/webp'],
      ['large_webp', 1280, 720, 'image/webp'],
    ]);
  });

  it('never upscales, rounds heights, and names a png thumbnail\'s own format plainly', () => {
    const plans = planFormats({ width: 500, height: 333, format: 'png' }, { sizes: { small: 320, large: 1280 }, types: ['original', 'jpg', 'png', 'avif'], quality: 70 });
    expect(plans.map((p) => [p.name, p.width, p.height, p.ext, p.process])).toEqual([
      ['small', 320, 213, 'png', 'imageMogr2/thumbnail/320x/format/png'],
      ['small_jpg', 320, 213, 'jpg', 'imageMogr2/thumbnail/320x/format/jpg/quality/70'],
      ['small_avif', 320, 213, 'avif', 'imageMogr2/thumbnail/320x/format/avif/quality/70'],
    ]);
  });

  it('no formats when the image size is unknown or no size is configured', () => {
    expect(planFormats({ width: 0, height: 0, format: 'jpg' }, THUMBNAIL_FORMATS_DEFAULTS)).toEqual([]);
    expect(planFormats(THUMB, { ...THUMBNAIL_FORMATS_DEFAULTS, sizes: {} })).toEqual([]);
  });

  it('aspectRatio: 4 decimals, 0 when unknown', () => {
    expect(aspectRatio(1280, 720)).toBe(1.7778);
    expect(aspectRatio(0, 720)).toBe(0);
  });

  it('withFrontEndFacts: every rendition gets the URL made for its own process parameter; unbuildable ones are left out', () => {
    const out = withFrontEndFacts(THUMB, { sizes: { small: 320 }, types: ['original', 'webp'], quality: 80 }, (p) =>
      p.includes('webp') ? undefined : `https://cdn.example/a.jpg?${p}`,
    );
    expect(out.aspectRatio).toBe(1.7778);
    expect(out.formats).toEqual({
      small: { width: 320, height: 180, mime: 'image/jpeg', ext: 'jpg', url: 'https://cdn.example/a.jpg?imageMogr2/thumbnail/320x/format/jpg/quality/80' },
    });
  });
});

describe('withReadUrls adds the front-end facts', () => {
  const VERIFIED = { etag: 'abc', contentType: 'video/mp4', verifiedAt: 't' };
  const value = (extra: Partial<CosVideoValue> = {}): CosVideoValue => ({
    key: 'videos/a.mp4', bucket: 'media-1250000000', region: 'ap-guangzhou',
    snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
    thumbnail: THUMB, media: null, status: 'ready', error: null, ...extra,
  });
  const cos = {
    readUrl: (loc: { key: string }, _type?: string, process?: string) => `https://signed.example/${loc.key}?sig${process ? `&${process}` : ''}`,
    thumbnailFormats: () => ({ sizes: { small: 320 }, types: ['webp' as const], quality: 75 }),
  };

  it('a verified value: formats with URLs through readUrl, and the aspect ratio', () => {
    const out = withReadUrls(value({ verified: VERIFIED }), cos) as CosVideoValue;
    expect(out.thumbnail?.formats).toEqual({
      small_webp: { width: 320, height: 180, mime: 'image/webp', ext: 'webp', url: 'https://signed.example/thumbnails/a.jpg?sig&imageMogr2/thumbnail/320x/format/webp/quality/75' },
    });
    expect(out.thumbnail?.aspectRatio).toBe(1.7778);
  });

  it('an unverified value: no URL of any kind (a stored formats map is dropped), the aspect ratio still there', () => {
    const stale = { ...THUMB, formats: { small: { width: 1, height: 1, mime: 'image/jpeg', ext: 'jpg', url: 'https://evil.example' } } };
    const out = withReadUrls(value({ thumbnail: stale }), cos) as CosVideoValue;
    expect(out.thumbnail).not.toHaveProperty('formats');
    expect(out.thumbnail).not.toHaveProperty('url');
    expect(out.thumbnail?.aspectRatio).toBe(1.7778);
  });

  it('mergeResult keeps the editor\'s alt through a job result', () => {
    const next = mergeResult(value({ alt: 'A red car' }), { status: 'ready', thumbnail: THUMB, media: null, error: null });
    expect(next.alt).toBe('A red car');
    expect(mergeResult(value(), { status: 'ready', thumbnail: THUMB, media: null, error: null })).not.toHaveProperty('alt');
  });
});

describe('config thumbnailFormats', () => {
  const errorOf = (thumbnailFormats: unknown) => {
    const r = validateConfig({ ...base, thumbnailFormats });
    if (r.ok) throw new Error('expected the config to be rejected');
    return r.errors.map((e) => e.message).join('\n');
  };

  it('partial objects take the other keys from the defaults; {} sizes turns formats off', () => {
    expect(validateThumbnailFormats({ quality: 60 })).toEqual({ value: { ...THUMBNAIL_FORMATS_DEFAULTS, quality: 60 }, errors: [] });
    expect(validateThumbnailFormats({ sizes: {} }).value.sizes).toEqual({});
  });

  it.each([
    [{ sizes: { small: 0 } }, 'thumbnailFormats.sizes.small must be an integer width in pixels from 1 to 9999: got 0'],
    [{ sizes: { Small: 320 } }, 'thumbnailFormats.sizes.Small is not a valid size name: got "Small"'],
    [{ sizes: { a: 320, b: 320 } }, 'gives two sizes the same width'],
    [{ sizes: [320] }, 'thumbnailFormats.sizes must be an object: got [320]'],
    [{ types: ['gif'] }, 'thumbnailFormats.types.0 is not a supported type: got "gif"; allowed: a non-empty array of "original", "jpg", "png", "webp", "avif"'],
    [{ types: ['webp', 'webp'] }, 'thumbnailFormats.types.1 is listed twice'],
    [{ types: [] }, 'thumbnailFormats.types must be a non-empty array'],
    [{ quality: 101 }, 'thumbnailFormats.quality must be an integer from 1 to 100: got 101'],
    [{ widths: {} }, 'thumbnailFormats.widths is not a known option'],
    ['webp', 'thumbnailFormats must be an object: got "webp"'],
  ])('%j is rejected naming the key, the value and what is allowed', (input, message) => {
    expect(errorOf(input)).toContain(message);
  });
});

describe('alt', () => {
  it('trims; absent, null and blank mean none', () => {
    expect(validateAlt('  A red car  ', 'video.alt')).toEqual({ ok: true, value: 'A red car' });
    for (const none of [undefined, null, '', '   ']) expect(validateAlt(none, 'video.alt')).toEqual({ ok: true, value: undefined });
  });

  it(`counts characters, not UTF-16 units: ${ALT_MAX_LENGTH} emoji pass, one more does not`, () => {
    expect(validateAlt('🎬'.repeat(ALT_MAX_LENGTH), 'video.alt').ok).toBe(true);
    const r = validateAlt('🎬'.repeat(ALT_MAX_LENGTH + 1), 'video.alt');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain(`video.alt is too long (${ALT_MAX_LENGTH + 1} characters)`);
  });

  it.each([
    [42, 'video.alt must be a string: got 42; allowed: a single line of text of at most 300 characters, or null for none'],
    ['two\nlines', 'video.alt contains a line break or another control character'],
  ])('%j is rejected with the path and what is allowed', (input, message) => {
    const r = validateAlt(input, 'video.alt');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain(message);
  });
});

describe('placeholder', () => {
  it('placeholderSize keeps the aspect with the long side 32, never larger than the image', () => {
    expect(placeholderSize(1280, 720)).toEqual({ width: 32, height: 18 });
    expect(placeholderSize(360, 640)).toEqual({ width: 18, height: 32 });
    expect(placeholderSize(10, 5)).toEqual({ width: 10, height: 5 });
    expect(blurhashComponents(32, 18)).toEqual({ x: 4, y: 3 });
  });

  it('computePlaceholder: a valid BlurHash that decodes to the stated size, and the dominant colour', async () => {
    // Left two thirds blue, right third yellow: the dominant colour is blue, and the hash is not flat.
    const image = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 20, g: 40, b: 220 } } })
      .composite([{ input: { create: { width: 213, height: 360, channels: 3, background: { r: 240, g: 220, b: 10 } } }, left: 427, top: 0 }])
      .jpeg()
      .toBuffer();
    const p = await computePlaceholder(image);
    expect(p).not.toBeNull();
    expect(isBlurhashValid(p!.blurhash)).toEqual({ result: true });
    expect([p!.width, p!.height]).toEqual([32, 18]);
    const pixels = decode(p!.blurhash, p!.width, p!.height);
    expect(pixels.length).toBe(32 * 18 * 4);
    // Decoded left edge is blue-ish, right edge yellow-ish.
    const at = (x: number, y: number) => Array.from(pixels.slice((y * 32 + x) * 4, (y * 32 + x) * 4 + 3));
    expect(at(1, 9)[2]).toBeGreaterThan(at(1, 9)[0]);
    expect(at(31, 9)[0]).toBeGreaterThan(at(31, 9)[2]);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(p!.dominantColor.slice(i, i + 2), 16));
    expect(p!.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(80);
    expect(g).toBeLessThan(100);
  });

  it('dominantColour names the colour sharp stats() names for the same pixels', async () => {
    // Three areas of different sizes, colours chosen inside one histogram bucket each, in both orders of size.
    const areas = [
      [{ r: 200, g: 30, b: 90 }, { r: 10, g: 180, b: 250 }, { r: 120, g: 120, b: 5 }],
      [{ r: 10, g: 180, b: 250 }, { r: 120, g: 120, b: 5 }, { r: 200, g: 30, b: 90 }],
    ];
    for (const [big, middle, small] of areas) {
      const { data, info } = await sharp({ create: { width: 32, height: 18, channels: 4, background: { ...big, alpha: 1 } } })
        .composite([
          { input: { create: { width: 12, height: 18, channels: 4, background: { ...middle, alpha: 1 } } }, left: 20, top: 0 },
          { input: { create: { width: 4, height: 18, channels: 4, background: { ...small, alpha: 1 } } }, left: 0, top: 0 },
        ])
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { dominant } = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).stats();
      expect(dominantColour(data, info.channels)).toEqual(dominant);
    }
  });

  it('computePlaceholder: a greyscale image gives a placeholder of its grey', async () => {
    const image = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 100, g: 100, b: 100 } } }).toColourspace('b-w').jpeg().toBuffer();
    expect((await sharp(image).metadata()).channels).toBe(1);
    const p = await computePlaceholder(image);
    expect(p).toMatchObject({ width: 32, height: 24, dominantColor: '#686868' });
    expect(isBlurhashValid(p!.blurhash)).toEqual({ result: true });
    // The hash decodes to that grey (the single channel read as grey, not as red, green, blue and alpha).
    const pixels = decode(p!.blurhash, 32, 24);
    for (const i of [0, (12 * 32 + 16) * 4, pixels.length - 4]) for (const c of [0, 1, 2]) expect(Math.abs(pixels[i + c] - 100)).toBeLessThanOrEqual(12);
  });

  it('computePlaceholder: bytes that are no image give null (the thumbnail is still made)', async () => {
    expect(await computePlaceholder(Buffer.from('not an image'))).toBeNull();
  });
});
