import { async } from '@strapi/utils';
import type { MediaInfo } from '../../../common/field-value';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { isCosError } from '../cos/errors';
import type { ObjectLocation } from '../services/cos';
import type { CosPort } from '../thumbnails/types';

/** HEAD answer: the object is missing, could not be checked in time, or exists with this ETag/type. */
export type HeadProbe = 'missing' | 'unknown' | { etag: string; contentType: string };
/** Video info answer: the video's facts, "COS found no video stream", or could not be checked in time. */
export type InfoProbe = 'unknown' | 'not-video' | MediaInfo;

export interface VideoProbe {
  head: HeadProbe;
  info: InfoProbe;
  /** Video info was asked and COS answered with an error other than "no video stream" (e.g. media processing not enabled): `info` stays 'unknown'. */
  infoFailed?: true;
}

/**
 * One object a save wants checked; `withInfo: false` skips video info (duration already known),
 * `withHead: false` skips HEAD (already answered earlier in the same save). Default: HEAD is sent.
 */
export interface ProbeTarget extends ObjectLocation {
  withInfo: boolean;
  withHead?: boolean;
  /** HEAD's answer already known (this process's recent HEAD, see CosService.rememberedHead): no HEAD is sent. */
  knownHead?: { etag: string; contentType: string };
}

type ProbeCos = Pick<CosPort, 'headObject' | 'getMediaInfo'>;

/**
 * HEAD and video info of one object, sent at the same time and bounded by one budget, so a
 * save waits at most `budgetMs` for both. A COS fault or slowness is 'unknown', never an
 * error: the save then goes on as "pending" and the job meets the problem again and reports
 * it (COS faults never lose an entry). `withInfo: false` skips video info (duration already known).
 */
export async function probeVideo(cos: ProbeCos, loc: ObjectLocation, budgetMs: number, withInfo = true): Promise<VideoProbe> {
  const [probe] = await probeVideos(cos, [{ bucket: loc.bucket, region: loc.region, key: loc.key, withInfo }], budgetMs, 2);
  return probe;
}

/**
 * Probes every target of one save with a bounded cost:
 * - one HEAD (and at most one video info) per distinct bucket + region + key, however many
 *   values name it; every target gets its object's answer;
 * - at most `concurrency` COS calls in flight (Strapi's own p-map through `async.map`);
 * - one budget for the whole save (`budgetMs`, milliseconds): calls not started by then are never
 *   sent, and whatever has not answered is 'unknown' (see probeVideo); a budget of 0 or less sends
 *   nothing (only answers already known, `knownHead`, come back).
 * Answers come back in the order of `targets`.
 */
export async function probeVideos(cos: ProbeCos, targets: ProbeTarget[], budgetMs: number, concurrency: number): Promise<VideoProbe[]> {
  const objects = new Map<string, ObjectLocation & VideoProbe & { withInfo: boolean; withHead: boolean }>();
  const slots = targets.map((t) => {
    const id = JSON.stringify([t.bucket, t.region, t.key]);
    let slot = objects.get(id);
    if (!slot) objects.set(id, (slot = { bucket: t.bucket, region: t.region, key: t.key, withInfo: false, withHead: false, head: 'unknown', info: 'unknown' }));
    slot.withInfo ||= t.withInfo;
    if (t.knownHead && slot.head === 'unknown') slot.head = { etag: t.knownHead.etag, contentType: t.knownHead.contentType };
    slot.withHead ||= t.withHead !== false;
    return slot;
  });
  // A known answer stands for HEAD for every target of that object.
  for (const o of objects.values()) if (o.head !== 'unknown') o.withHead = false;
  const calls: Array<() => Promise<void>> = [];
  for (const o of objects.values()) {
    const target = { bucket: o.bucket, region: o.region, key: o.key };
    if (o.withHead) {
      calls.push(() =>
        attempt(() => cos.headObject(target)).then(
          (h) => void (o.head = h ? { etag: h.etag, contentType: h.contentType } : 'missing'),
          () => undefined,
        ),
      );
    }
    if (o.withInfo) {
      calls.push(() =>
        attempt(() => cos.getMediaInfo(target)).then(
          (m) => void (o.info = m),
          // Only "no video stream" is a verdict; anything else (unbound media bucket, 5xx, …) is for the job.
          (e) => {
            if (isCosError(e) && e.code === COS_ERROR_CODES.notAVideo) o.info = 'not-video';
            else o.infoFailed = true;
          },
        ),
      );
    }
  }
  // No time to wait for an answer (saveWaitMs 0): ask nothing. An answer nobody waits for decides
  // nothing here, and the job checks the video itself, so the request would only be paid twice.
  if (budgetMs <= 0) return slots.map((s) => ({ head: s.head, info: s.info }));
  const deadline = Date.now() + budgetMs;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  const all: Promise<unknown> = async.map(calls, (call: () => Promise<void>) => (Date.now() < deadline ? call() : undefined), {
    concurrency: Math.max(1, concurrency),
  });
  try {
    await Promise.race([all, expired]);
  } finally {
    clearTimeout(timer);
  }
  // Copies: answers that arrive after the budget must not change what this save decided.
  return slots.map((s) => ({ head: s.head, info: s.info, ...(s.infoFailed ? { infoFailed: true as const } : {}) }));
}

/** Runs fn so that a synchronous throw becomes a rejection too. */
const attempt = <T>(fn: () => Promise<T>): Promise<T> => new Promise<T>((resolve) => resolve(fn()));
