import type { Core } from '@strapi/strapi';
import type { CosVideoValue, MediaInfo } from '../../../common/field-value';
import { fieldError, type FieldError } from '../../../common/field-error';
import { snapshotDefaults } from '../../../common/field-options';
import { checkDuration, timelineEnd } from '../../../common/snapshot-params';
import { getPluginConfig } from '../config/read';
import { validationError } from '../utils/validation-error';
import { looksLikeVideo, VIDEO_ALLOWED } from '../../../common/video-types';
import { readClientChoice, videoChoice } from './input';
import { keyScopeOf, loadReadableValues, type UserAbility } from '../access/video';
import { probeVideos, type InfoProbe } from './probe';
import type { FieldOccurrence } from './paths';
import { storedChoice } from './stored-choice';
import { matchHash, normaliseEtag, sameChoice, sameVideo, type JobFingerprint, type VideoChoice } from '../thumbnails/snapshot-key';
import { getService } from '../utils/get-service';
import type { VideoCheck } from '../thumbnails/types';
import { earlySnapshots } from '../thumbnails/early-snapshot';
import { currentFrameTiming, snapshotForCos } from '../calibration/frame-timing';
import { IDENTITY_TIMING } from '../../../common/frame-timing';
import type { SnapshotParams } from '../../../common/field-value';
import { JOB_UID } from '../jobs/store';

export interface PlannedJob {
  path: string;
  fingerprint: JobFingerprint;
  /** What this save found about the video, handed to the job (absent when HEAD did not answer). */
  videoCheck?: VideoCheck;
}

const isStored = (v: unknown): v is CosVideoValue & VideoChoice => storedChoice(v) !== null;

/**
 * Decides, for every COS video value a save writes, what is stored: the client's choice
 * normalised, plus either the server-owned fields carried over from an identical stored
 * choice or `status: "pending"` and a job. Every save HEADs each distinct object once (or uses
 * this process's HEAD of it less than `videoRecheckMs` ago, when that found a video): a
 * stored value (and its duration) is only reused while the object's ETag still equals the one
 * its job verified (`verified.etag`); a replaced object gets fresh video info, a new job and
 * the time check against its new end. When HEAD fails or times out the stored value is
 * kept (COS being down never loses a thumbnail). Rewrites the values in place and
 * throws a ValidationError (nothing saved) when any value is invalid. `ability`: the admin whose
 * request this is, if any (see loadReadableValues).
 */
export async function planSave(
  strapi: Core.Strapi,
  uid: string,
  sourceDocumentId: string | undefined,
  occurrences: FieldOccurrence[],
  probeBudgetMs: number,
  ability?: UserAbility,
): Promise<PlannedJob[]> {
  if (occurrences.length === 0) return [];
  const config = getPluginConfig(strapi);
  checkSaveSize(occurrences, config.maxVideosPerSave);
  const cos = getService(strapi, 'cos');
  // Stored values the writer may read: their keys are exempt from the key scope, their results carried over.
  // A save that only clears fields (every value null) needs nothing stored: no read.
  const writes = occurrences.some((o) => o.owner[o.attrName] !== null && o.owner[o.attrName] !== undefined);
  const pool = sourceDocumentId && writes ? (await loadReadableValues(strapi, uid, sourceDocumentId, ability)).map((s) => s.value).filter(isStored) : [];
  const errors: FieldError[] = [];
  const staged: Array<{ occ: FieldOccurrence; choice: VideoChoice; carry?: CosVideoValue; media?: MediaInfo; info?: InfoProbe }> = [];

  for (const occ of occurrences) {
    const raw = occ.owner[occ.attrName];
    if (raw === null || raw === undefined) continue;
    const checked = readClientChoice(raw, occ.path, snapshotDefaults(occ.options, config.snapshot), config, { scope: keyScopeOf(config), stored: pool });
    if (!checked.ok) {
      errors.push(...checked.errors);
      continue;
    }
    const choice = checked.value;
    staged.push({ occ, choice });
  }

  // Input that is already wrong is rejected without any COS call.
  if (errors.length > 0) throw validationError(errors);
  // One HEAD per distinct object (exists, is a video, which ETag) and, when no stored duration
  // could apply, video info (time within the video): saveConcurrency at a time, one budget.
  const started = Date.now();
  const storedMedia = (choice: VideoChoice) => pool.find((v) => sameVideo(v, choice) && knownDuration(v.media));
  // This process's HEAD of the video less than videoRecheckMs ago stands for the save's own. Only
  // an answer the save accepts (a video) is reused: a refusal always rests on a fresh HEAD.
  const remembered = new Map<FieldOccurrence, { etag: string; contentType: string; at: number }>();
  for (const s of staged) {
    const r = cos.rememberedHead(s.choice, config.videoRecheckMs);
    if (r && looksLikeVideo(s.choice.key, r.contentType)) remembered.set(s.occ, r);
  }
  const targets = staged.map((s) => {
    const known = remembered.get(s.occ);
    return { ...s.choice, withInfo: !storedMedia(s.choice), ...(known ? { knownHead: { etag: known.etag, contentType: known.contentType } } : {}) };
  });
  const early = probeBudgetMs > 0 ? await startEarlySnapshots(strapi, staged, targets, pool, storedMedia, config.saveConcurrency) : [];
  const probes = await probeVideos(cos, targets, probeBudgetMs, config.saveConcurrency);
  const checkedAt = Date.now();
  const etags = new Map<FieldOccurrence, string | undefined>();
  const checks = new Map<FieldOccurrence, VideoCheck>();
  // A stored value describes the object its job verified; with another ETag now it is stale.
  // Unknown on either side (HEAD failed, value not verified yet) keeps it: its job checks again.
  const current = (v: CosVideoValue, etag: string | undefined) => !etag || !v.verified?.etag || v.verified.etag === etag;
  staged.forEach((s, i) => {
    const { head, info } = probes[i];
    const etag = typeof head === 'object' ? normaliseEtag(head.etag) : undefined;
    s.carry = pool.find((v) => sameChoice(v, s.choice) && ((v.status === 'ready' && !!v.thumbnail) || v.status === 'pending') && current(v, etag));
    s.media = pool.find((v) => sameVideo(v, s.choice) && knownDuration(v.media) && current(v, etag))?.media ?? undefined;
    if (info !== 'unknown') s.info = info;
  });
  // Replaced objects whose stored duration no longer applies: video info now (HEAD already answered).
  const stale = staged.filter((s) => !s.media && !s.info && storedMedia(s.choice));
  const left = probeBudgetMs - (Date.now() - started);
  if (stale.length > 0 && left > 0) {
    const more = await probeVideos(cos, stale.map((s) => ({ ...s.choice, withInfo: true, withHead: false })), left, config.saveConcurrency);
    stale.forEach((s, i) => {
      if (more[i].info !== 'unknown') s.info = more[i].info;
    });
  }
  staged.forEach((s, i) => {
    const { head } = probes[i];
    const info = s.info ?? 'unknown';
    const keyPath = `${s.occ.path}.key`;
    if (head === 'missing') {
      errors.push(fieldError(keyPath, s.choice.key, `does not exist in bucket ${s.choice.bucket}`, 'the key of an existing video object in that bucket'));
      return;
    }
    if (head !== 'unknown') {
      if (!looksLikeVideo(s.choice.key, head.contentType)) {
        errors.push(fieldError(keyPath, s.choice.key, `is not a video (Content-Type "${head.contentType}")`, VIDEO_ALLOWED));
        return;
      }
      const etag = normaliseEtag(head.etag);
      etags.set(s.occ, etag);
      if (etag) {
        // The snapshot sent together with this HEAD was made of these bytes: the job may store it.
        const shot = early.find((e) => e.occ === s.occ);
        if (shot) earlySnapshots(strapi).bind(s.choice, shot.snapshot, etag);
        // Video info for the job: asked now, or stored by a job that verified these very bytes.
        const media = info !== 'unknown' && info !== 'not-video' ? info : (pool.find((v) => sameVideo(v, s.choice) && v.media && v.verified?.etag === etag)?.media ?? null);
        // When HEAD answered: a remembered answer is as old as its HEAD (the job's HANDOFF_MAX_AGE_MS counts from it).
        const known = remembered.get(s.occ);
        checks.set(s.occ, { etag, contentType: head.contentType, media, ...(!media && probes[i].infoFailed ? { infoFailed: true as const } : {}), checkedAt: known?.etag === head.etag ? known.at : checkedAt });
      }
    }
    if (info === 'not-video') {
      errors.push(fieldError(keyPath, s.choice.key, 'is not a video (COS found no video stream in it)', VIDEO_ALLOWED));
      return;
    }
    if (info !== 'unknown' && knownDuration(info)) s.media = info; // stored at once; the job refreshes it
    if (s.media) {
      const d = checkDuration(s.choice.snapshot, `${s.occ.path}.snapshot`, timelineEnd(s.media));
      if (!d.ok) errors.push(...d.errors);
    }
  });
  if (errors.length > 0) throw validationError(errors);

  const jobs: PlannedJob[] = [];
  const addJob = (path: string, fingerprint: JobFingerprint, videoCheck?: VideoCheck) => {
    if (!jobs.some((j) => matchHash(j.fingerprint) === matchHash(fingerprint))) jobs.push({ path, fingerprint, ...(videoCheck ? { videoCheck } : {}) });
  };
  for (const { occ, choice, carry, media } of staged) {
    const value: CosVideoValue = carry
      ? {
          ...choice,
          thumbnail: carry.thumbnail,
          media: carry.media,
          status: carry.status,
          error: carry.error,
          verified: carry.verified ?? null,
          // An unchanged save while the job retries keeps telling the editor so.
          ...(carry.status === 'pending' && carry.retry ? { retry: carry.retry } : {}),
        }
      : // Not verified until its job has checked the object (no URL is served before that).
        { ...choice, thumbnail: null, media: media ?? null, status: 'pending', error: null, verified: null };
    occ.owner[occ.attrName] = value;
    // A carried-over "pending" still gets a job request: the queue dedupes it against the active one.
    if (value.status === 'pending') addJob(occ.path, { ...videoChoice(choice), ...(etags.get(occ) ? { etag: etags.get(occ) } : {}) }, checks.get(occ));
  }
  return jobs;
}

/**
 * Starts GetSnapshot for the save's new choices together with the check of their videos (see
 * early-snapshot.ts), so a save that waits for its thumbnail does not wait for two rounds of
 * COS requests. Only where nothing can make that request a waste or a surprise:
 * - the video's duration is already known (a stored value of the same video) and the time is
 *   within it: a choice the check will refuse never costs a GetSnapshot;
 * - no stored value and no finished job has this choice (its image is reused, not made);
 * - COS counts time as browsers do (the measured frame timing is the identity), so the
 *   parameters do not depend on the video info;
 * - the save's COS calls in flight stay within `saveConcurrency` (HEAD and video info first).
 * Returns the snapshots started, by occurrence.
 */
async function startEarlySnapshots(
  strapi: Core.Strapi,
  staged: Array<{ occ: FieldOccurrence; choice: VideoChoice }>,
  targets: Array<{ bucket: string; region: string; key: string; withInfo: boolean; knownHead?: unknown }>,
  pool: Array<CosVideoValue & VideoChoice>,
  storedMedia: (choice: VideoChoice) => (CosVideoValue & VideoChoice) | undefined,
  concurrency: number,
): Promise<Array<{ occ: FieldOccurrence; snapshot: SnapshotParams }>> {
  const objects = new Map<string, number>();
  // COS calls the check sends per object: HEAD unless its answer is known, video info when asked.
  for (const t of targets) {
    const id = JSON.stringify([t.bucket, t.region, t.key]);
    objects.set(id, Math.max(objects.get(id) ?? 0, (t.knownHead ? 0 : 1) + (t.withInfo ? 1 : 0)));
  }
  let room = concurrency - [...objects.values()].reduce((a, b) => a + b, 0);
  if (room <= 0) return [];
  const candidates = staged.filter((s) => {
    const media = storedMedia(s.choice)?.media;
    return !!media && s.choice.snapshot.time <= timelineEnd(media) && !pool.some((v) => sameChoice(v, s.choice));
  });
  if (candidates.length === 0) return [];
  const timing = await currentFrameTiming(strapi);
  if (timing.semantics !== IDENTITY_TIMING.semantics || timing.origin !== IDENTITY_TIMING.origin) return [];
  const cos = getService(strapi, 'cos');
  const started: Array<{ occ: FieldOccurrence; snapshot: SnapshotParams }> = [];
  for (const s of candidates) {
    if (room <= 0) break;
    if (started.some((e) => sameChoice(staged.find((x) => x.occ === e.occ)!.choice, s.choice))) continue;
    const done = await strapi.db.query(JOB_UID).count({ where: { matchHash: matchHash(s.choice), status: 'done' } });
    if (done > 0) continue;
    const snapshot = snapshotForCos(s.choice.snapshot, timing, null);
    earlySnapshots(strapi).start(cos, s.choice, snapshot);
    started.push({ occ: s.occ, snapshot });
    room--;
  }
  // Let the requests leave now. The SDK's HTTP layer (cos-request) sends a request from a
  // setImmediate callback queued after ours, and the rest of the save (Strapi's write, the job's
  // insert and claim) is synchronous better-sqlite3 work that never yields to the event loop: resumed
  // from our first callback, it would keep the GetSnapshot from going out for its whole ~20 ms
  // (measured at the emulator: sent at 27–39 ms into a save that asked for it at 3 ms). Our
  // second callback runs after the SDK's.
  if (started.length > 0) await new Promise<void>((r) => setImmediate(() => setImmediate(r)));
  return started;
}

/**
 * Bounded cost per save: more than `maxVideosPerSave` COS video values is a ValidationError
 * before anything is read or sent to COS (null values clear a field and cost nothing).
 */
function checkSaveSize(occurrences: FieldOccurrence[], max: number): void {
  const count = occurrences.filter((o) => o.owner[o.attrName] !== null && o.owner[o.attrName] !== undefined).length;
  if (count <= max) return;
  throw validationError([
    {
      path: occurrences[0].path,
      value: count,
      message: `This save carries ${count} COS video values; the limit is ${max} per save (plugin config maxVideosPerSave). Save the entry with at most ${max} videos, or raise maxVideosPerSave.`,
    },
  ]);
}

/** A duration of 0 means COS did not report one: nothing to check against. */
function knownDuration(media: MediaInfo | null | undefined): media is MediaInfo {
  return !!media && Number.isFinite(media.duration) && media.duration > 0;
}
