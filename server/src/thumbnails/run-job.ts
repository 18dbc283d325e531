import type { Core } from '@strapi/strapi';
import type { CosVideoValue, MediaInfo, RetryInfo, SnapshotFormat, VideoVerification } from '../../../common/field-value';
import { looksLikeVideo, VIDEO_ALLOWED } from '../../../common/video-types';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { isCosError } from '../cos/errors';
import { compareAndSet, loadDocumentValues } from '../field/entries';
import { expectedDimensions, imageDimensions } from './snapshot-image';
import { computePlaceholder } from './placeholder';
import { announceSettled, type SettledWrite } from './settle-events';
import { normaliseEtag, sameChoice, thumbnailKey, type JobFingerprint } from './snapshot-key';
import type { JobStore } from '../jobs/store';
import type { CosPort, JobResult, JobRow } from './types';
import { IDENTITY_TIMING, type FrameTimingModel } from '../../../common/frame-timing';
import { snapshotForCos } from '../calibration/frame-timing';
import { timelineEnd } from '../../../common/snapshot-params';

const CONTENT_TYPES: Record<SnapshotFormat, string> = { jpg: 'image/jpeg', png: 'image/png' };

export interface RunDeps {
  cos: CosPort;
  thumbnailPrefix: string;
  /** How the connected COS maps time to frame (calibration); the browsers' mapping when absent. */
  frameTiming?: () => Promise<FrameTimingModel>;
}

/**
 * The COS side of a job. First the verification that lets the value's URLs be served at all
 * (HEAD: exists with a video Content-Type or, untyped, a video extension; videoinfo: a video
 * stream), then GetSnapshot → PutObject under the derived key (skipped when that image already
 * exists and the job is not forced; the stored image is then read once, for its size and its
 * placeholder). A failed verification is a permanent `failed` with
 * `verified: null`; other CosErrors propagate and the worker decides retry vs fail.
 */
export async function produceThumbnail(deps: RunDeps, fp: JobFingerprint, force = false): Promise<JobResult> {
  const { cos } = deps;
  const video = { bucket: fp.bucket, region: fp.region, key: fp.key };
  const head = await cos.headObject(video);
  if (!head) {
    return failed(COS_ERROR_CODES.noSuchKey, `The video "${fp.key}" does not exist in bucket ${fp.bucket}. Pick or upload the video again.`, null);
  }
  if (!looksLikeVideo(fp.key, head.contentType)) {
    return failed(
      COS_ERROR_CODES.notAVideo,
      `The object "${fp.key}" is not a video (Content-Type "${head.contentType}"); allowed: ${VIDEO_ALLOWED}. Pick or upload a video.`,
      null,
    );
  }
  let media: MediaInfo;
  try {
    media = await cos.getMediaInfo(video);
  } catch (e) {
    if (isCosError(e) && e.code === COS_ERROR_CODES.notAVideo) return failed(e.code, e.userMessage, null);
    throw e;
  }
  // The ETag HEAD just answered, not the one seen at save: a re-uploaded video gets a new image.
  const etag = normaliseEtag(head.etag) ?? '';
  const verified: VideoVerification = { etag, contentType: head.contentType, verifiedAt: new Date().toISOString() };
  // The editor's time against where the video ends on its timeline (fresh videoinfo, the same
  // rule as the save check): a refusal from COS would only name the converted time.
  const end = timelineEnd(media);
  if (fp.snapshot.time > end) {
    return failed(
      COS_ERROR_CODES.timeBeyondDuration,
      `The snapshot time ${fp.snapshot.time} s is beyond the end of the video "${fp.key}" in bucket ${fp.bucket}, which ends at ${Math.round(end * 1e6) / 1e6} s on its timeline. Choose a time between 0 and ${Math.round(end * 1e6) / 1e6} s.`,
    );
  }
  // The time COS must be sent for the editor's frame; it also names the image, so a new
  // calibration result never serves an image made under the old mapping.
  const snapshot = snapshotForCos(fp.snapshot, deps.frameTiming ? await deps.frameTiming() : IDENTITY_TIMING, media);
  const thumb = { ...video, key: thumbnailKey(deps.thumbnailPrefix, { ...fp, snapshot, etag }) };
  const existing = force ? null : await cos.headObject(thumb);
  let image: Buffer;
  if (existing) {
    // The stored image's bytes give its real size and the placeholder (one GetObject, no GetSnapshot).
    image = await cos.getObject(thumb);
  } else {
    const shot = await cos.getSnapshot(video, snapshot);
    await cos.putObject(thumb, shot.body, CONTENT_TYPES[fp.snapshot.format]);
    image = shot.body;
  }
  const size = image.length;
  const dims = imageDimensions(image) ?? expectedDimensions(media, fp.snapshot);
  const placeholder = await computePlaceholder(image);
  return {
    status: 'ready',
    thumbnail: {
      key: thumb.key,
      url: cos.publicUrl(thumb),
      format: fp.snapshot.format,
      width: dims.width,
      height: dims.height,
      size,
      generatedAt: new Date().toISOString(),
      placeholder,
    },
    media,
    error: null,
    verified,
  };
}

/** `verified: null` when the failure is the verification itself (the object is no video). */
export function failed(code: string, message: string, verified?: null): JobResult {
  return { status: 'failed', thumbnail: null, media: null, error: { code, message }, ...(verified === null ? { verified: null } : {}) };
}

/**
 * The stored value after a job: the job's result on top of the current value of the same
 * choice. A failure keeps the last good thumbnail (a failed Retry never blanks a ready image;
 * `status`/`error` then describe the failed attempt) and what was known about the video; the
 * verification changes only when the job decided it (set on success, cleared when the object
 * proved not to be a video).
 */
export function mergeResult(current: CosVideoValue, result: JobResult): CosVideoValue {
  const ok = result.status === 'ready';
  return {
    key: current.key,
    bucket: current.bucket,
    region: current.region,
    snapshot: current.snapshot,
    // The editor's text travels with the value; a job never writes it.
    ...(typeof current.alt === 'string' ? { alt: current.alt } : {}),
    thumbnail: ok ? result.thumbnail : (current.thumbnail ?? null),
    media: result.media ?? current.media ?? null,
    status: result.status,
    error: result.error,
    verified: result.verified !== undefined ? result.verified : (current.verified ?? null),
  };
}

/**
 * Single flight, the follower's side: a job whose choice another job (of any entry) has just
 * generated reuses that image instead of asking COS again. Only for the same video bytes
 * (the ETag, from the fingerprint or one HEAD, must give the sibling's derived thumbnail key)
 * and only while the image is still in the bucket (one HEAD). Returns null when there is
 * nothing to reuse: the job then runs normally.
 */
export async function reuseFinished(deps: RunDeps, store: Pick<JobStore, 'lastDone'>, job: JobRow): Promise<JobResult | null> {
  const fp = job.fingerprint;
  if (job.force) return null;
  const done = await store.lastDone(job.matchHash, job.id);
  const image = done?.result?.status === 'ready' ? done.result.thumbnail : null;
  // The sibling's verification vouches for the object it HEADed: reused only for that ETag.
  const verified = done?.result?.verified;
  if (!done || !image || !verified || !sameChoice(done.fingerprint, fp)) return null;
  const video = { bucket: fp.bucket, region: fp.region, key: fp.key };
  let etag = fp.etag;
  if (!etag) {
    const head = await deps.cos.headObject(video);
    etag = head ? normaliseEtag(head.etag) : undefined;
    if (!etag) return null;
  }
  const thumb = { ...video, key: thumbnailKey(deps.thumbnailPrefix, { ...fp, etag }) };
  if (etag !== verified.etag || image.key !== thumb.key || !(await deps.cos.headObject(thumb))) return null;
  return { status: 'ready', thumbnail: { ...image, url: deps.cos.publicUrl(thumb) }, media: done.result!.media, error: null, verified };
}

/**
 * Writes a job's result into every row of the document — draft and published, each locale,
 * inside components and dynamic zones — whose value still carries the job's choice, then
 * announces what this call changed (entry.update + plugin events, see settle-events.ts).
 * Returns how many values were written.
 */
export async function writeResult(strapi: Core.Strapi, job: Pick<JobRow, 'entryUid' | 'entryDocumentId' | 'fingerprint'>, result: JobResult): Promise<number> {
  const stored = await loadDocumentValues(strapi, job.entryUid, job.entryDocumentId);
  const written: SettledWrite[] = [];
  for (const s of stored) {
    const current = s.value as CosVideoValue | null;
    if (!current || typeof current !== 'object' || !current.snapshot) continue;
    if (!sameChoice(current as Required<CosVideoValue>, job.fingerprint)) continue;
    const next = mergeResult(current, result);
    if (JSON.stringify(next) === JSON.stringify(current)) continue;
    if (await compareAndSet(strapi, s, current, next)) written.push({ stored: s, value: next });
  }
  await announceSettled(strapi, job.entryUid, job.entryDocumentId, written);
  return written.length;
}

/**
 * Tells the editor a job is retrying by itself after a transient error: sets `retry` on every
 * row of the document whose value still carries the job's choice and is still pending (a
 * ready or failed value, or a newer choice, is left alone). Compare-and-set, no events: nothing
 * settled. Returns how many values were written.
 */
export async function writeRetry(strapi: Core.Strapi, job: Pick<JobRow, 'entryUid' | 'entryDocumentId' | 'fingerprint'>, retry: RetryInfo): Promise<number> {
  const stored = await loadDocumentValues(strapi, job.entryUid, job.entryDocumentId);
  let written = 0;
  for (const s of stored) {
    const current = s.value as CosVideoValue | null;
    if (!current || typeof current !== 'object' || !current.snapshot || current.status !== 'pending') continue;
    if (!sameChoice(current as Required<CosVideoValue>, job.fingerprint)) continue;
    if (await compareAndSet(strapi, s, current, { ...current, error: null, retry })) written++;
  }
  return written;
}
