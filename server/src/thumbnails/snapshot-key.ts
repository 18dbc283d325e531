import { createHash } from 'node:crypto';
import type { SnapshotParams } from '../../../common/field-value';
import { SNAPSHOT_PARAM_NAMES, sameSnapshot } from '../../../common/snapshot-params';

/** The editor's choice: which video, which frame and how. What rows are compared on. */
export interface VideoChoice {
  bucket: string;
  region: string;
  key: string;
  snapshot: SnapshotParams;
}

/** Everything that determines the thumbnail image: the choice plus the video's ETag when known. */
export interface JobFingerprint extends VideoChoice {
  etag?: string;
}

const sha256 = (parts: unknown[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

const choiceParts = (c: VideoChoice): unknown[] => [c.bucket, c.region, c.key, ...SNAPSHOT_PARAM_NAMES.map((n) => c.snapshot[n])];

/** Identifies rows that carry the same choice (the compare in compare-and-set). */
export function matchHash(choice: VideoChoice): string {
  return sha256(choiceParts(choice)).slice(0, 40);
}

export function sameChoice(a: VideoChoice, b: VideoChoice): boolean {
  return a.bucket === b.bucket && a.region === b.region && a.key === b.key && sameSnapshot(a.snapshot, b.snapshot);
}

export function sameVideo(a: Pick<VideoChoice, 'bucket' | 'region' | 'key'>, b: Pick<VideoChoice, 'bucket' | 'region' | 'key'>): boolean {
  return a.bucket === b.bucket && a.region === b.region && a.key === b.key;
}

/** ETags arrive quoted from HEAD; store them bare so fingerprints compare equal. */
export function normaliseEtag(etag: string | undefined | null): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Thumbnail object key, derived from everything that determines the image (DESIGN.md §3):
 * the same choice on the same video bytes maps to the same key (no second GetSnapshot), a
 * changed choice or a re-uploaded video maps to a new key (no stale cached image).
 * The video's base name is kept for humans browsing the bucket.
 */
export function thumbnailKey(prefix: string, f: JobFingerprint & { etag: string }): string {
  const hash = sha256([...choiceParts(f), f.etag]).slice(0, 32);
  const base = (f.key.split('/').pop() ?? 'video').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'video';
  return `${prefix}${base}-${hash}.${f.snapshot.format}`;
}
