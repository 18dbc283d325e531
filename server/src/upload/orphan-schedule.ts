import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { allowedBuckets, getPluginConfig } from '../config/read';
import { getService } from '../utils/get-service';
import { claimOrphanSweep, sweepOrphanUploads } from './orphans';

/** How often the cluster sweeps (one instance per period, see claimOrphanSweep). */
export const ORPHAN_SWEEP_INTERVAL_MS = 3_600_000;
const timers = new WeakMap<Core.Strapi, NodeJS.Timeout>();

/** Starts the periodic orphan-upload sweep of this process (nothing when `orphanUploadDays` is 0). */
export function startOrphanSweeps(strapi: Core.Strapi): void {
  if (!getPluginConfig(strapi).orphanUploadDays) return;
  const id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const tick = async () => {
    try {
      if (!(await claimOrphanSweep(strapi, id, ORPHAN_SWEEP_INTERVAL_MS))) return;
      const config = getPluginConfig(strapi);
      const cos = getService(strapi, 'cos');
      const r = await sweepOrphanUploads(strapi, cos, config, allowedBuckets(config));
      if (r.deleted.length) {
        strapi.log.info(`[cos-video] deleted ${r.deleted.length} upload(s) no entry used for ${config.orphanUploadDays} days: ${r.deleted.map((d) => d.key).join(', ')}`);
      }
      if (r.aborted.length) {
        strapi.log.info(`[cos-video] aborted ${r.aborted.length} multipart upload(s) unfinished for ${config.orphanUploadDays} days: ${r.aborted.map((a) => `${a.key} (${a.uploadId})`).join(', ')}`);
      }
    } catch (err) {
      strapi.log.warn(`[cos-video] orphan upload sweep failed (next try in an hour): ${(err as Error).message}`);
    }
  };
  // The first check one period after boot: orphans are days old, and a boot (or a test run)
  // should not be followed by bucket listings it did not ask for.
  const every = setInterval(() => void tick(), ORPHAN_SWEEP_INTERVAL_MS);
  every.unref();
  timers.set(strapi, every);
}

export function stopOrphanSweeps(strapi: Core.Strapi): void {
  const t = timers.get(strapi);
  if (t) clearInterval(t);
  timers.delete(strapi);
}
