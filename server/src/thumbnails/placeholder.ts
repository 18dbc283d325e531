import { encode } from 'blurhash';
import sharp from 'sharp';
import type { ThumbnailPlaceholder } from '../../../common/field-value';

/** Longest side (pixels) of the image the BlurHash is computed from, and of `placeholder.width/height`. */
export const PLACEHOLDER_MAX_SIDE = 32;

/** The placeholder's size for an image of `width` × `height`: the same aspect, the long side PLACEHOLDER_MAX_SIDE (never larger than the image). */
export function placeholderSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, PLACEHOLDER_MAX_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * BlurHash components for an aspect ratio: 4 along the long side, 3 along the short one — enough
 * for the coarse layout of a video frame, and a hash of 28 characters.
 */
export function blurhashComponents(width: number, height: number): { x: number; y: number } {
  return width >= height ? { x: 4, y: 3 } : { x: 3, y: 4 };
}

const hex = (n: number) => Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');

/**
 * The placeholder of a thumbnail image (JPEG or PNG bytes), computed once when the image is made:
 * decoded and scaled down by sharp (libvips, which every Strapi app already has through
 * @strapi/upload), then BlurHash-encoded; the dominant colour is sharp's (the most frequent
 * colour bucket) of that small image. Null when the bytes are not an image sharp can read: a
 * thumbnail is still useful without a placeholder, so this never fails the job.
 *
 * One decode per image: the header gives the size, the scaled-down pixels come from a single
 * pipeline (JPEG shrinks while decoding), and the colour statistics are taken of those few
 * pixels rather than of a second full decode — it runs for every job, on the worker's critical path.
 */
export async function computePlaceholder(image: Buffer): Promise<ThumbnailPlaceholder | null> {
  try {
    const decoder = sharp(image);
    const meta = await decoder.metadata();
    if (!meta.width || !meta.height) return null;
    const size = placeholderSize(meta.width, meta.height);
    const { data, info } = await decoder.resize(size.width, size.height, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const c = blurhashComponents(info.width, info.height);
    const blurhash = encode(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height, c.x, c.y);
    const { dominant } = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).stats();
    return { blurhash, width: size.width, height: size.height, dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}` };
  } catch {
    return null;
  }
}
