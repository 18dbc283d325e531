import type { SnapshotParams } from '../../../common/field-value';
import { type FieldError, type Validated, fieldError } from '../../../common/field-error';
import { describeKeyScope, keyInScope, type KeyScopeConfig } from '../../../common/key-scope';
import { validateObjectKey } from '../../../common/object-key';
import { validateAlt } from '../../../common/poster-alt';
import { validateSnapshotParams } from '../../../common/snapshot-params';
import type { VideoChoice } from '../thumbnails/snapshot-key';
import type { CosVideoConfig } from '../config/read';
import { resolveLocation } from '../cos/locate';

/**
 * Who wrote the value, for the key scope: editors and API clients may only store keys inside
 * the scope (common/key-scope.ts), except an object the entry already stores (`stored`: a
 * value kept as it was, e.g. after browsePrefixes was narrowed, is not re-checked).
 */
export interface ClientKeyScope {
  scope: KeyScopeConfig;
  stored: ReadonlyArray<{ bucket?: string; key?: string }>;
}

/**
 * What a client wrote, normalised: key checked, bucket/region resolved against the
 * configured buckets (and stored explicitly, so a later change of the default bucket does not
 * move existing videos), snapshot filled with defaults. Server-owned keys are simply dropped.
 * With `clientScope` (values written by editors or API clients) a key outside the editors' key
 * scope is an error on `<path>.key`; server code (generate, backfill) passes none.
 */
export function readClientChoice(
  raw: unknown,
  path: string,
  defaults: SnapshotParams,
  config: CosVideoConfig,
  clientScope?: ClientKeyScope,
): Validated<VideoChoice & { alt?: string }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [fieldError(path, raw, 'must be an object', '{ key, bucket?, region?, snapshot?, alt? } or null for no video')],
    };
  }
  const input = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  const key = validateObjectKey(input.key, `${path}.key`);
  if (!key.ok) errors.push(...key.errors);
  for (const name of ['bucket', 'region'] as const) {
    const v = input[name];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.trim() === '')) {
      errors.push(fieldError(`${path}.${name}`, v, 'must be a non-empty string', `a configured ${name}, or leave it out for the default`));
    }
  }
  const snapshot = validateSnapshotParams(input.snapshot, { path: `${path}.snapshot`, defaults });
  if (!snapshot.ok) errors.push(...snapshot.errors);
  const alt = validateAlt(input.alt, `${path}.alt`);
  if (!alt.ok) errors.push(...alt.errors);
  if (errors.length > 0 || !key.ok || !snapshot.ok || !alt.ok) return { ok: false, errors };

  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const where = resolveLocation(config, { bucket: str(input.bucket), region: str(input.region), key: key.value }, path);
  if (!where.ok) return where;
  const loc = where.value;
  if (clientScope && !clientScope.stored.some((v) => v.key === loc.key && v.bucket === loc.bucket) && !keyInScope(clientScope.scope, loc).ok) {
    const scopeBucket = loc.bucket === clientScope.scope.bucket ? '' : ` (bucket ${loc.bucket})`;
    return { ok: false, errors: [fieldError(`${path}.key`, loc.key, `is outside the keys editors may use${scopeBucket}`, describeKeyScope(clientScope.scope))] };
  }
  // alt is the editor's, not part of the choice a thumbnail depends on (see videoChoice).
  return { ok: true, value: { bucket: loc.bucket, region: loc.region, key: loc.key, snapshot: snapshot.value, ...(alt.value ? { alt: alt.value } : {}) } };
}

/** The part of a checked value a thumbnail depends on (job fingerprints carry no editor text). */
export function videoChoice(c: VideoChoice): VideoChoice {
  return { bucket: c.bucket, region: c.region, key: c.key, snapshot: c.snapshot };
}
