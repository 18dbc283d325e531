import type { Core } from '@strapi/strapi';
import type { CosVideoValue, MediaInfo, RetryInfo, SnapshotFormat, VideoVerification } from '../../../common/field-value';
import { looksLikeVideo, VIDEO_ALLOWED } from '../../../common/video-types';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { isCosError } from '../cos/errors';
import { compareAndSet, loadDocumentValues, type DbTransaction } from '../field/entries';
import { expectedDimensions, imageDimensions } from './snapshot-image';
import { computePlaceholder } from './placeholder';
import { entryEventPopulate, type SettledWrite } from './settle-events';
import { normaliseEtag, sameChoice, thumbnailKey, type JobFingerprint } from './snapshot-key';
import type { JobStore } from '../jobs/store';
import type { CosPort, JobResult, JobRow, VideoCheck } from './types';
import type { EarlySnapshots } from './early-snapshot';
import { IDENTITY_TIMING, type FrameTimingModel } from '../../../common/frame-timing';
import { snapshotForCos } from '../calibration/frame-timing';
import { timelineEnd } from '../../../common/snapshot-params';

const CONTENT_TYPES: Record<SnapshotFormat, string> = { jpg: 'image/jpeg', png: 'image/png' };

export interface RunDeps {
  cos: CosPort;
  thumbnailPrefix: string;
  /** How the connected COS maps time to frame (calibration); the browsers' mapping when absent. */
  frameTiming?: () => Promise<FrameTimingModel>;
  /** Snapshots the save started alongside its check of the video (taken only with that check). */
  early?: Pick<EarlySnapshots, 'take'>;
}

/**
 * How long the save's check of a video (VideoCheck) stands in for the job's own: a job that
 * starts later than this after the save (a long queue, a retry after an outage) HEADs the video
 * again. Short enough that a video replaced since is seen by the job, long enough for the queue
 * of one bulk save or import. Epoch-millisecond difference, 5 minutes.
 */
export const HANDOFF_MAX_AGE_MS = 5 * 60_000;

/** The save's check, when the job may rely on it: made for the fingerprint's ETag, and recently. */
export function usableCheck(fp: JobFingerprint, check: VideoCheck | null | undefined, now = Date.now()): VideoCheck | null {
  if (!check || !fp.etag || check.etag !== fp.etag) return null;
  return now - check.checkedAt >= 0 && now - check.checkedAt <= HANDOFF_MAX_AGE_MS ? check : null;
}

/** Settles a promise into a value or its error, so requests sent together can be judged in order. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error) => ({ ok: false as const, error }),
  );
const unwrap = <T>(s: Settled<T>): T => {
  if (!s.ok) throw s.error;
  return s.value;
};

/**
 * The COS side of a job. First the verification that lets the value's URLs be served at all
 * (HEAD: exists with a video Content-Type or, untyped, a video extension; videoinfo: a video
 * stream), then GetSnapshot → PutObject under the key derived from the fingerprint and the ETag
 * HEAD answered. A failed verification is a permanent `failed` with `verified: null`; other
 * CosErrors propagate and the worker decides retry vs fail.
 *
 * No request is made twice and independent ones go together:
 * - with a usable `check` from the save (see usableCheck) the job sends no HEAD and, when the
 *   check has the video info, no videoinfo: GetSnapshot → PutObject, where GetSnapshot is the
 *   one the save started with its check when there is one (early-snapshot.ts);
 * - with a check without the video info because the save did not wait for it: videoinfo ∥
 *   GetSnapshot, then PutObject (HEAD already found a video Content-Type, and a snapshot of an
 *   object videoinfo then refuses is never stored);
 * - with a check whose videoinfo COS refused (VideoCheck.infoFailed): videoinfo, then GetSnapshot
 *   (something was wrong at save time; no snapshot is spent before the video info says it is a video);
 * - without one: HEAD ∥ videoinfo ∥ GetSnapshot, then PutObject once all three are in. The
 *   image is only stored (and its URL only served) when HEAD and videoinfo verified the video.
 *   GetSnapshot waits for the video info only when the COS time depends on it (a measured
 *   frame timing other than the browsers').
 * A first attempt sends no HEAD for an existing image: a choice already made is reused by the
 * save (stored values) and by single flight (reuseFinished). Later attempts do (opts.lookForExisting).
 */
export async function produceThumbnail(
  deps: RunDeps,
  fp: JobFingerprint,
  check?: VideoCheck | null,
  /**
   * HEAD the derived thumbnail key first and reuse an image found there (one GetObject for its
   * size and placeholder, no GetSnapshot, no PutObject). The worker asks for it on every attempt
   * after the first: an earlier attempt (a killed process, a lost lease) may have stored the image
   * already, and each thumbnail object is written once.
   */
  opts: { lookForExisting?: boolean } = {},
): Promise<JobResult> {
  const { cos } = deps;
  const video = { bucket: fp.bucket, region: fp.region, key: fp.key };
  const handed = usableCheck(fp, check);
  const timing = deps.frameTiming ? await deps.frameTiming() : IDENTITY_TIMING;
  const timeNeedsMedia = timing.semantics !== IDENTITY_TIMING.semantics || timing.origin !== IDENTITY_TIMING.origin;

  const headP: Promise<Settled<{ etag: string; contentType: string } | null>> = handed
    ? Promise.resolve({ ok: true as const, value: { etag: handed.etag, contentType: handed.contentType } })
    : settle(cos.headObject(video));
  const infoP: Promise<Settled<MediaInfo>> = handed?.media ? Promise.resolve({ ok: true as const, value: handed.media }) : settle(cos.getMediaInfo(video));
  // Sent with HEAD and videoinfo when the job still needs either (it checks the video itself, or
  // the save's check has no video info because the save did not wait for it) and the COS time
  // needs no video info. Not when the save's videoinfo was refused (e.g. media processing not
  // enabled): no snapshot is spent before videoinfo answers this time. A save's own early snapshot
  // for these bytes is taken instead of a new one when there is one.
  // The image for these parameters: the save's early snapshot of the handed ETag's bytes, else GetSnapshot.
  const shoot = (params: Parameters<CosPort['getSnapshot']>[1]) => (handed && deps.early?.take(video, params, handed.etag)) || cos.getSnapshot(video, params);
  const early = !timeNeedsMedia && !handed?.media && !handed?.infoFailed ? settle(shoot(snapshotForCos(fp.snapshot, timing, null))) : null;

  const [headS, infoS] = await Promise.all([headP, infoP]);
  const shotS = early ? await early : null;
  const head = unwrap(headS);
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
    media = unwrap(infoS);
  } catch (e) {
    if (isCosError(e) && e.code === COS_ERROR_CODES.notAVideo) return failed(e.code, e.userMessage, null);
    throw e;
  }
  // The ETag HEAD answered (the job's own, or the save's when handed over), not an older one: a re-uploaded video gets a new image.
  const etag = normaliseEtag(head.etag) ?? '';
  const verifiedAt = new Date(handed ? handed.checkedAt : Date.now()).toISOString();
  const verified: VideoVerification = { etag, contentType: head.contentType, verifiedAt };
  // The editor's time against where the video ends on its timeline (the same rule as the save
  // check): a refusal from COS would only name the converted time.
  const end = timelineEnd(media);
  if (fp.snapshot.time > end) {
    return failed(
      COS_ERROR_CODES.timeBeyondDuration,
      `The snapshot time ${fp.snapshot.time} s is beyond the end of the video "${fp.key}" in bucket ${fp.bucket}, which ends at ${Math.round(end * 1e6) / 1e6} s on its timeline. Choose a time between 0 and ${Math.round(end * 1e6) / 1e6} s.`,
    );
  }
  // The time COS must be sent for the editor's frame; it also names the image, so a new
  // calibration result never serves an image made under the old mapping.
  const snapshot = snapshotForCos(fp.snapshot, timing, media);
  const thumb = { ...video, key: thumbnailKey(deps.thumbnailPrefix, { ...fp, snapshot, etag }) };
  let image: Buffer;
  let placeholder: Awaited<ReturnType<typeof computePlaceholder>>;
  if (opts.lookForExisting && (await cos.headObject(thumb))) {
    image = await cos.getObject(thumb);
    placeholder = await computePlaceholder(image);
  } else {
    const shot = shotS ? unwrap(shotS) : await shoot(snapshot);
    image = shot.body;
    // The placeholder is computed while PutObject is on its way.
    [, placeholder] = await Promise.all([cos.putObject(thumb, image, CONTENT_TYPES[fp.snapshot.format]), computePlaceholder(image)]);
  }
  const size = image.length;
  const dims = imageDimensions(image) ?? expectedDimensions(media, fp.snapshot);
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
export async function reuseFinished(deps: RunDeps, store: Pick<JobStore, 'get'>, job: JobRow): Promise<JobResult | null> {
  const fp = job.fingerprint;
  // The claim found the newest finished sibling (doneSibling): read only when there is one.
  if (job.force || job.doneSibling === undefined) return null;
  const done = await store.get(job.doneSibling);
  const image = done?.result?.status === 'ready' ? done.result.thumbnail : null;
  // The sibling's verification vouches for the object it HEADed: reused only for that ETag.
  const verified = done?.result?.verified;
  if (!done || done.status !== 'done' || done.matchHash !== job.matchHash || !image || !verified || !sameChoice(done.fingerprint, fp)) return null;
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
 * inside components and dynamic zones — whose value still carries the job's choice (inside
 * `trx` when given, with strapi.db.transaction around the call). Returns
 * the values this call changed: the worker announces them (announceSettled: entry.update +
 * plugin events, see settle-events.ts) once the job is finished.
 */
export async function writeResult(strapi: Core.Strapi, job: Pick<JobRow, 'entryUid' | 'entryDocumentId' | 'fingerprint'>, result: JobResult, trx?: DbTransaction): Promise<SettledWrite[]> {
  // Read as the settle event shows the entry (relations, media, every component), so the
  // announcement uses these rows with the written values in place instead of reading them again.
  const stored = await loadDocumentValues(strapi, job.entryUid, job.entryDocumentId, { populate: entryEventPopulate(strapi, job.entryUid) });
  const written: SettledWrite[] = [];
  for (const s of stored) {
    const current = s.value as CosVideoValue | null;
    if (!current || typeof current !== 'object' || !current.snapshot) continue;
    if (!sameChoice(current as Required<CosVideoValue>, job.fingerprint)) continue;
    const next = mergeResult(current, result);
    const text = JSON.stringify(next);
    if (text === JSON.stringify(current)) continue;
    if (await compareAndSet(strapi, s, current, next, trx)) {
      // The row now holds what a read would give back: the stored text parsed.
      s.owner[s.attrName] = JSON.parse(text);
      written.push({ stored: s, value: next });
    }
  }
  return written;
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
