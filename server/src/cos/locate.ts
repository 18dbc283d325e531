import { fieldError, type Validated } from '../../../common/field-error';
import { validateObjectKey } from '../../../common/object-key';
import { allowedBuckets, type CosVideoConfig } from '../config/read';
import type { ObjectLocation } from '../services/cos';

/** `fieldPath.name`, or `name` at the top level of a request body. */
const at = (fieldPath: string | undefined, name: string): string => (fieldPath ? `${fieldPath}.${name}` : name);

/**
 * Which configured bucket a value or request means. `bucket` defaults to the `bucket` config key;
 * `region` to the first configured region of that bucket. Anything else is an error naming
 * `<fieldPath>.bucket` or `<fieldPath>.region`, the value sent and the configured choices.
 * Pure: callers decide whether an error becomes a 400 or a field error of a larger check.
 */
export function resolveBucket(config: CosVideoConfig, bucket: unknown, region: unknown, fieldPath?: string): Validated<{ bucket: string; region: string }> {
  const list = allowedBuckets(config);
  const names = list.map((b) => `"${b.bucket}"`).join(', ');
  if (bucket !== undefined && bucket !== null && bucket !== '' && typeof bucket !== 'string') {
    return { ok: false, errors: [fieldError(at(fieldPath, 'bucket'), bucket, 'must be a string', `one of the configured buckets: ${names}`)] };
  }
  const name = (bucket as string | undefined) || config.bucket;
  const candidates = list.filter((b) => b.bucket === name);
  if (candidates.length === 0) {
    return { ok: false, errors: [fieldError(at(fieldPath, 'bucket'), bucket, 'is not a configured bucket', `one of the configured buckets: ${names}`)] };
  }
  if (region === undefined || region === null || region === '') return { ok: true, value: candidates[0] };
  const match = candidates.find((b) => b.region === region);
  if (!match) {
    const regions = candidates.map((b) => `"${b.region}"`).join(', ');
    return { ok: false, errors: [fieldError(at(fieldPath, 'region'), region, `is not the region of bucket ${name}`, regions)] };
  }
  return { ok: true, value: match };
}

/**
 * Where the object `{ key, bucket?, region? }` lives: the key checked (no leading slash, no
 * `..` segment, …; see common/object-key.ts), then the bucket resolved as above. Errors name
 * `<fieldPath>.key` first: a bucket is only looked at once the key is usable. Pure.
 */
export function resolveLocation(config: CosVideoConfig, input: unknown, fieldPath?: string): Validated<ObjectLocation> {
  const src = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const key = validateObjectKey(src.key, at(fieldPath, 'key'));
  if (!key.ok) return key;
  const where = resolveBucket(config, src.bucket, src.region, fieldPath);
  return where.ok ? { ok: true, value: { ...where.value, key: key.value } } : where;
}
