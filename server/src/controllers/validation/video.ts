import { SNAPSHOT_URLS_PER_BATCH, type BucketRef, type EntryRef, type SnapshotUrlRequest, type VideoLocation } from '../../../../common/contracts/admin-api';
import type { SnapshotParams } from '../../../../common/field-value';
import { fieldError, type FieldError, type Validated } from '../../../../common/field-error';
import { validateSnapshotParams } from '../../../../common/snapshot-params';
import type { CosVideoConfig } from '../../config/read';
import { resolveLocation } from '../../cos/locate';
import { validationError } from '../../utils/validation-error';
import { jsonObject } from './body';

/** A checked video location: the key checked and the bucket / region resolved against the config. */
export type CheckedVideoLocation = VideoLocation & BucketRef;

/** A checked POST /snapshot-url body: every GetSnapshot parameter present (missing ones took the config defaults). */
export type CheckedSnapshotUrlRequest = CheckedVideoLocation & Omit<SnapshotUrlRequest, 'snapshot'> & { snapshot: SnapshotParams };

/** A checked POST /snapshot-urls body: each choice complete (missing keys took the config defaults). */
export type CheckedSnapshotUrlsRequest = CheckedVideoLocation & { snapshots: SnapshotParams[] };

/** `entry` of a video request: absent, or `{ uid, documentId, locale? }` naming the entry that stores the key. */
export function parseEntryRef(raw: unknown): Validated<EntryRef | undefined> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  const problems: FieldError[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [fieldError('entry', raw, 'must be an object', '{ uid, documentId, locale? }: the entry whose stored value holds this key')] };
  }
  const e = raw as Record<string, unknown>;
  if (typeof e.uid !== 'string' || e.uid === '') problems.push(fieldError('entry.uid', e.uid, 'must be a non-empty string', 'a content-type uid such as "api::clip.clip"'));
  if (typeof e.documentId !== 'string' || e.documentId.trim() === '') {
    problems.push(fieldError('entry.documentId', e.documentId, 'must be a non-empty string', 'the documentId of an entry'));
  }
  if (e.locale !== undefined && e.locale !== null && (typeof e.locale !== 'string' || e.locale === '')) {
    problems.push(fieldError('entry.locale', e.locale, 'must be a non-empty string', 'a locale code such as "en", or leave it out'));
  }
  if (problems.length) return { ok: false, errors: problems };
  return { ok: true, value: { uid: e.uid as string, documentId: e.documentId as string, ...(typeof e.locale === 'string' ? { locale: e.locale } : {}) } };
}

/** The location and entry of a body, every problem collected (key first, then bucket / region, then entry). */
function readVideoLocation(config: CosVideoConfig, b: Record<string, unknown>, problems: FieldError[]): CheckedVideoLocation | undefined {
  const loc = resolveLocation(config, b);
  const entry = parseEntryRef(b.entry);
  if (!loc.ok) problems.push(...loc.errors);
  if (!entry.ok) problems.push(...entry.errors);
  if (!loc.ok || !entry.ok) return undefined;
  return { ...loc.value, ...(entry.value ? { entry: entry.value } : {}) };
}

/**
 * POST /playback-url and /media-info body `{ key, bucket?, region?, entry? }`: the key checked
 * (common/object-key.ts), the bucket one of the configured ones (default: `bucket`), the region
 * that bucket's (default: its first), `entry` as parseEntryRef says.
 */
export function validateVideoLocationBody(body: unknown, config: CosVideoConfig): CheckedVideoLocation {
  const problems: FieldError[] = [];
  const location = readVideoLocation(config, jsonObject(body), problems);
  // problems is non-empty whenever location is missing
  if (problems.length || !location) throw validationError(problems);
  return location;
}

/** POST /snapshot-url body: a video location as above plus the required `snapshot` choice (common/snapshot-params.ts). */
export function validateSnapshotUrlBody(body: unknown, config: CosVideoConfig): CheckedSnapshotUrlRequest {
  const b = jsonObject(body);
  const problems: FieldError[] = [];
  const location = readVideoLocation(config, b, problems);
  if (b.snapshot === undefined || b.snapshot === null) {
    problems.push(fieldError('snapshot', b.snapshot, 'is required', '{ time, width, height, format, rotate, mode } (missing keys take the defaults)'));
  }
  const snap = validateSnapshotParams(b.snapshot ?? {}, { path: 'snapshot', defaults: config.snapshot });
  if (!snap.ok) problems.push(...snap.errors);
  if (problems.length || !location || !snap.ok) throw validationError(problems);
  return { ...location, snapshot: snap.value };
}

/**
 * POST /snapshot-urls body: a video location as above plus `snapshots`, 1–SNAPSHOT_URLS_PER_BATCH
 * choices each checked like /snapshot-url's `snapshot` (problems named `snapshots.<i>.<param>`).
 */
export function validateSnapshotUrlsBody(body: unknown, config: CosVideoConfig): CheckedSnapshotUrlsRequest {
  const b = jsonObject(body);
  const problems: FieldError[] = [];
  const location = readVideoLocation(config, b, problems);
  const list = b.snapshots;
  const snapshots: SnapshotParams[] = [];
  if (!Array.isArray(list) || list.length < 1 || list.length > SNAPSHOT_URLS_PER_BATCH) {
    problems.push(fieldError('snapshots', list, 'must be a list of snapshot choices', `1 to ${SNAPSHOT_URLS_PER_BATCH} objects { time, width, height, format, rotate, mode } (missing keys take the defaults)`));
  } else {
    list.forEach((raw, i) => {
      const snap = validateSnapshotParams(raw ?? {}, { path: `snapshots.${i}`, defaults: config.snapshot });
      if (snap.ok) snapshots.push(snap.value);
      else problems.push(...snap.errors);
    });
  }
  if (problems.length || !location) throw validationError(problems);
  return { ...location, snapshots };
}
