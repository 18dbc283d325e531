import type { SnapshotFormat, ThumbnailFormat, ThumbnailInfo } from '../../../common/field-value';
import type { FormatType, ThumbnailFormatsConfig } from '../config/thumbnail-formats';

type OutputType = Exclude<FormatType, 'original'>;

const MIME: Record<OutputType, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

/** One rendition to offer, before its URL is made. */
export interface FormatPlan {
  name: string;
  width: number;
  height: number;
  ext: OutputType;
  mime: string;
  /** The COS image-processing parameter, e.g. `imageMogr2/thumbnail/320x/format/webp/quality/80`. */
  process: string;
}

/**
 * The COS image-processing parameter for one rendition: scale to `width` (height follows the
 * aspect ratio), convert to `type`, and encode with `quality` (not for png, which is lossless).
 */
export function imageProcess(width: number, type: OutputType, quality: number): string {
  return `imageMogr2/thumbnail/${width}x/format/${type}${type === 'png' ? '' : `/quality/${quality}`}`;
}

/** width / height rounded to 4 decimals; 0 when either is unknown (0). */
export function aspectRatio(width: number, height: number): number {
  return width > 0 && height > 0 ? Math.round((width / height) * 10_000) / 10_000 : 0;
}

/**
 * Which renditions a thumbnail of this size and format gets: each configured size no wider than
 * the image (no upscaling; the same width is a re-encode, useful for webp/avif) in each type.
 * Keys: the size name for the thumbnail's own format (`original`, or its jpg/png named
 * explicitly), `<size>_<type>` for the others. Heights are rounded like COS scales
 * (`thumbnail/<W>x`). None when the image's size is unknown.
 */
export function planFormats(thumb: { width: number; height: number; format: SnapshotFormat }, cfg: ThumbnailFormatsConfig): FormatPlan[] {
  if (!(thumb.width > 0 && thumb.height > 0)) return [];
  const plans: FormatPlan[] = [];
  const sizes = Object.entries(cfg.sizes).sort((a, b) => a[1] - b[1]);
  for (const type of cfg.types) {
    const ext: OutputType = type === 'original' ? thumb.format : type;
    for (const [name, width] of sizes) {
      if (width > thumb.width) continue;
      const key = ext === thumb.format ? name : `${name}_${ext}`;
      if (plans.some((p) => p.name === key)) continue;
      const height = Math.max(1, Math.round((width * thumb.height) / thumb.width));
      plans.push({ name: key, width, height, ext, mime: MIME[ext], process: imageProcess(width, ext, cfg.quality) });
    }
  }
  return plans;
}

/**
 * The thumbnail as API responses show it to front ends: `aspectRatio` always, and `formats`
 * (see planFormats) with one URL each from `urlFor(process)` — the same public / CDN / signed
 * URL logic as `thumbnail.url`. A rendition whose URL cannot be made is left out.
 */
export function withFrontEndFacts(
  thumbnail: ThumbnailInfo,
  cfg: ThumbnailFormatsConfig | undefined,
  urlFor: ((process: string) => string | undefined) | undefined,
): ThumbnailInfo {
  const out: ThumbnailInfo = { ...thumbnail, aspectRatio: aspectRatio(thumbnail.width, thumbnail.height) };
  if (!cfg || !urlFor) return out;
  const formats: Record<string, ThumbnailFormat> = {};
  for (const p of planFormats(thumbnail, cfg)) {
    const url = urlFor(p.process);
    if (url) formats[p.name] = { width: p.width, height: p.height, mime: p.mime, ext: p.ext, url };
  }
  out.formats = formats;
  return out;
}
