import type { CosVideoValue } from '../../../common/field-value';
import type { VideoChoice } from '../thumbnails/snapshot-key';

/**
 * The complete choice a field value carries — bucket, region, key and snapshot — or null when
 * any of them is missing or not of its type. A value the plugin normalised always has all four;
 * one written around it (raw DB import, seed) may not, and then has nothing to compare, carry
 * over, queue or regenerate. The one test for "does this value name a video and a frame".
 */
export function storedChoice(value: unknown): VideoChoice | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { bucket, region, key, snapshot } = value as Partial<CosVideoValue>;
  const text = (s: unknown): s is string => typeof s === 'string' && s !== '';
  if (!text(bucket) || !text(region) || !text(key)) return null;
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) return null;
  return { bucket, region, key, snapshot };
}
