import type { Core } from '@strapi/strapi';
import type { SnapshotParams } from '../../../common/field-value';
import { SNAPSHOT_PARAM_NAMES } from '../../../common/snapshot-params';
import type { ObjectLocation } from '../services/cos';
import type { CosPort } from './types';

type Shot = { body: Buffer; contentType: string };

interface Entry {
  shot: Promise<Shot>;
  /** The ETag the save's HEAD answered while this GetSnapshot was on its way; unset until then. */
  etag?: string;
  timer: NodeJS.Timeout;
}

/**
 * GetSnapshot started by a save at the same moment as its check of the video (HEAD ∥ videoinfo),
 * handed in process to the job the save queues, so a save that waits for its thumbnail pays
 * for one round of COS requests before PutObject instead of two.
 *
 * An image is only taken for the ETag the save's own HEAD answered while the snapshot was on
 * its way (`bind`): the same bytes. The job stores it only after the usual verification (see
 * produceThumbnail); an image no job takes (the save failed validation, another instance ran
 * the job) is dropped after `ttlMs`. At most `limit` images are held: past that, saves do not
 * start one (the job then asks COS itself), so memory stays bounded however many saves run.
 */
export interface EarlySnapshots {
  /** Starts GetSnapshot for this video and COS snapshot parameters, unless one is held already or the limit is reached. */
  start(cos: Pick<CosPort, 'getSnapshot'>, video: ObjectLocation, snapshot: SnapshotParams): void;
  /** Records the ETag the save's HEAD answered for the snapshot started with it. */
  bind(video: ObjectLocation, snapshot: SnapshotParams, etag: string): void;
  /** The image for this video, parameters and ETag, if a save started one and bound it to that ETag. */
  take(video: ObjectLocation, snapshot: SnapshotParams, etag: string): Promise<Shot> | null;
  /** How many images are held (for tests and the bench). */
  size(): number;
}

const keyOf = (v: ObjectLocation, p: SnapshotParams) => JSON.stringify([v.bucket, v.region, v.key, ...SNAPSHOT_PARAM_NAMES.map((n) => p[n])]);

export function createEarlySnapshots(limit = 32, ttlMs = 30_000): EarlySnapshots {
  const held = new Map<string, Entry>();
  return {
    start(cos, video, snapshot) {
      const key = keyOf(video, snapshot);
      if (held.has(key) || held.size >= limit) return;
      const shot = Promise.resolve().then(() => cos.getSnapshot(video, snapshot));
      shot.catch(() => undefined); // a failure reaches the job that takes it (or nobody)
      const timer = setTimeout(() => held.delete(key), ttlMs);
      timer.unref();
      held.set(key, { shot, timer });
    },
    bind(video, snapshot, etag) {
      const e = held.get(keyOf(video, snapshot));
      if (e && e.etag === undefined) e.etag = etag;
    },
    take(video, snapshot, etag) {
      const e = held.get(keyOf(video, snapshot));
      return e && e.etag === etag ? e.shot : null;
    },
    size: () => held.size,
  };
}

const perStrapi = new WeakMap<Core.Strapi, EarlySnapshots>();

/** This Strapi instance's early snapshots (one per process and app). */
export function earlySnapshots(strapi: Core.Strapi): EarlySnapshots {
  let e = perStrapi.get(strapi);
  if (!e) perStrapi.set(strapi, (e = createEarlySnapshots()));
  return e;
}
