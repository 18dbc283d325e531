import { encode } from 'blurhash';
import sharp from 'sharp';
import type { ThumbnailPlaceholder } from '../../../common/field-value';
import { imageDimensions } from './snapshot-image';

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
 * The colour sharp's `stats().dominant` names for these pixels, computed here from the few
 * pixels of the placeholder (a second sharp call costs a thread-pool round trip per job): the
 * fullest bucket of a 16 × 16 × 16 histogram of RGB (each channel in steps of 16), reported as
 * the bucket's middle (16·i + 8). Ties go to the first bucket in sharp's scan order: green
 * bucket, then red bucket, then blue bucket. `channels` ≥ 3; a fourth (alpha) is ignored.
 */
export function dominantColour(data: Uint8Array | Uint8ClampedArray, channels: number): { r: number; g: number; b: number } {
  const hist = new Uint32Array(4096);
  for (let i = 0; i + 2 < data.length; i += channels) hist[((data[i + 1] >> 4) << 8) | ((data[i] >> 4) << 4) | (data[i + 2] >> 4)]++;
  // vips finds the pixel (red bucket, green bucket) of the 16 × 16 histogram image whose fullest
  // band is largest (first in row-major order), then the first band of that pixel with that count.
  let best = 0;
  let at = 0;
  for (let i = 0; i < 4096; i++) {
    if (hist[i] > best) {
      best = hist[i];
      at = i;
    }
  }
  return { r: ((at >> 4) & 15) * 16 + 8, g: (at >> 8) * 16 + 8, b: (at & 15) * 16 + 8 };
}

/**
 * The placeholder of a thumbnail image (JPEG or PNG bytes), computed once when the image is made:
 * decoded and scaled down by sharp (libvips, which every Strapi app already has through
 * @strapi/upload), then BlurHash-encoded; the dominant colour is that of sharp's `stats()` (the
 * fullest colour bucket, see dominantColour) of that small image. Null when the bytes are not an
 * image sharp can read: a thumbnail is still useful without a placeholder, so this never fails the job.
 *
 * It runs for every job on the save's critical path (next to PutObject), so it costs one sharp
 * pipeline: the size comes from the image header (sharp's metadata only for headers we do not
 * parse), the scaled-down sRGB + alpha pixels from a single decode (JPEG shrinks while decoding),
 * and BlurHash and the colour statistics are computed in JS from those few pixels.
 */
export async function computePlaceholder(image: Buffer): Promise<ThumbnailPlaceholder | null> {
  try {
    const dims = imageDimensions(image) ?? (await sharp(image).metadata());
    if (!dims.width || !dims.height) return null;
    const size = placeholderSize(dims.width, dims.height);
    // sRGB + alpha: four channels whatever the source (a greyscale JPEG decodes to one).
    const { data, info } = await sharp(image).resize(size.width, size.height, { fit: 'fill' }).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
    const c = blurhashComponents(info.width, info.height);
    const blurhash = encode(pixels, info.width, info.height, c.x, c.y);
    const dominant = dominantColour(pixels, info.channels);
    return { blurhash, width: size.width, height: size.height, dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}` };
  } catch {
    return null;
  }
}
