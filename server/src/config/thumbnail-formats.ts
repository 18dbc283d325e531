import { type FieldError, fieldError } from '../../../common/field-error';

/** Output types a rendition may have. `original` = the thumbnail's own format (jpg or png). */
export const FORMAT_TYPES = ['original', 'jpg', 'png', 'webp', 'avif'] as const;
export type FormatType = (typeof FORMAT_TYPES)[number];

/**
 * `thumbnailFormats`: the responsive renditions API responses offer in `thumbnail.formats`.
 * Each is a COS image-processing URL (`imageMogr2/thumbnail/<width>x/format/<type>/quality/<q>`)
 * on the stored thumbnail, made by COS when first requested; nothing extra is stored.
 */
export interface ThumbnailFormatsConfig {
  /**
   * Size name → width in pixels (1–9999); the height follows the aspect ratio. Sizes wider than
   * the thumbnail are left out (no upscaling). Names: lower-case letters and digits, starting with
   * a letter. Default `{ small: 320, medium: 640, large: 1280 }`; `{}` turns formats off.
   */
  sizes: Record<string, number>;
  /**
   * Output types, each size in each type. Default `['original', 'webp']`. `avif` needs the bucket's
   * "advanced image compression" (图片高级压缩) switched on in the COS console, billed separately.
   */
  types: FormatType[];
  /** Encoder quality 1–100 for jpg, webp and avif (png is lossless). Default 80. */
  quality: number;
}

export const THUMBNAIL_FORMATS_DEFAULTS: ThumbnailFormatsConfig = {
  sizes: { small: 320, medium: 640, large: 1280 },
  types: ['original', 'webp'],
  quality: 80,
};

const NAME_RE = /^[a-z][a-z0-9]{0,31}$/;
const MAX_SIDE = 9999;
const MAX_SIZES = 12;
const KEYS = ['sizes', 'types', 'quality'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates `thumbnailFormats` (every key optional) and fills the defaults; every problem is an error naming the key. */
export function validateThumbnailFormats(input: unknown): { value: ThumbnailFormatsConfig; errors: FieldError[] } {
  const d = THUMBNAIL_FORMATS_DEFAULTS;
  const errors: FieldError[] = [];
  if (input === undefined || input === null) return { value: d, errors };
  if (!isObject(input)) {
    errors.push(fieldError('thumbnailFormats', input, 'must be an object', '{ sizes?, types?, quality? }'));
    return { value: d, errors };
  }
  for (const k of Object.keys(input)) {
    if (!KEYS.includes(k)) errors.push(fieldError(`thumbnailFormats.${k}`, input[k], 'is not a known option', KEYS.join(', ')));
  }

  let sizes = d.sizes;
  if (input.sizes !== undefined) {
    const raw = input.sizes;
    const allowed = `an object of size name → width in pixels, e.g. { small: 320, large: 1280 }: names of lower-case letters and digits starting with a letter, widths integers from 1 to ${MAX_SIDE}, at most ${MAX_SIZES} sizes ({} = no formats)`;
    if (!isObject(raw)) errors.push(fieldError('thumbnailFormats.sizes', raw, 'must be an object', allowed));
    else {
      sizes = {};
      const entries = Object.entries(raw);
      if (entries.length > MAX_SIZES) errors.push(fieldError('thumbnailFormats.sizes', raw, `has ${entries.length} sizes`, allowed));
      for (const [name, width] of entries) {
        if (!NAME_RE.test(name)) errors.push(fieldError(`thumbnailFormats.sizes.${name}`, name, 'is not a valid size name', allowed));
        else if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > MAX_SIDE) {
          errors.push(fieldError(`thumbnailFormats.sizes.${name}`, width, 'must be an integer width in pixels from 1 to ' + MAX_SIDE, allowed));
        } else sizes[name] = width;
      }
      const widths = Object.values(sizes);
      if (new Set(widths).size !== widths.length) {
        errors.push(fieldError('thumbnailFormats.sizes', raw, 'gives two sizes the same width', 'a different width for each size'));
      }
    }
  }

  let types = d.types;
  if (input.types !== undefined) {
    const raw = input.types;
    const allowed = `a non-empty array of ${FORMAT_TYPES.map((t) => `"${t}"`).join(', ')} without repeats`;
    if (!Array.isArray(raw) || raw.length === 0) errors.push(fieldError('thumbnailFormats.types', raw, 'must be a non-empty array', allowed));
    else {
      types = [];
      raw.forEach((t, i) => {
        if (!(FORMAT_TYPES as readonly unknown[]).includes(t)) errors.push(fieldError(`thumbnailFormats.types.${i}`, t, 'is not a supported type', allowed));
        else if (types.includes(t as FormatType)) errors.push(fieldError(`thumbnailFormats.types.${i}`, t, 'is listed twice', allowed));
        else types.push(t as FormatType);
      });
    }
  }

  let quality = d.quality;
  if (input.quality !== undefined) {
    const q = input.quality;
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > 100) {
      errors.push(fieldError('thumbnailFormats.quality', q, 'must be an integer from 1 to 100', 'an encoder quality from 1 (smallest) to 100 (best), default 80'));
    } else quality = q;
  }
  return { value: { sizes, types, quality }, errors };
}
