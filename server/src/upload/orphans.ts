import type { Core } from '@strapi/strapi';
import type { CosVideoConfig } from '../config/types';
import { isCosVideoAttribute } from '../field/paths';
import type { CosService, ListedObject } from '../services/cos';
import type { ObjectPage } from '../../../common/contracts/admin-api';
import { claimLease } from '../jobs/lease';

/**
 * Uploads nobody saved: objects under `uploadPrefix` (where the plugin's uploader puts every
 * file) that no stored COS video value uses. The object browser marks them; a periodic sweep
 * deletes those older than `orphanUploadDays`.
 *
 * "Used" is read from the database rows themselves — every content type and every component
 * with a COS video attribute, every row (draft and published, every locale; components and
 * dynamic zones keep their values in component rows) — so nothing an entry references is
 * ever deleted, however deeply it is nested. A component row left behind by a deleted entry
 * still counts as a use: keeping an object too long is the safe mistake.
 */

const PAGE = 500;
const DAY_MS = 86_400_000;

type Attr = { type?: string; customField?: string };
type Row = Record<string, unknown>;

/** `bucket` + NUL + `key`: a value without a bucket lives in the default bucket. */
const ref = (bucket: string, key: string) => `${bucket}\u0000${key}`;

/** Every bucket/key a stored COS video value points at (the video and its thumbnail). */
export async function usedObjectRefs(strapi: Core.Strapi, config: CosVideoConfig): Promise<Set<string>> {
  const used = new Set<string>();
  const models = [...Object.entries(strapi.contentTypes), ...Object.entries(strapi.components)] as Array<
    [string, { attributes: Record<string, Attr> }]
  >;
  for (const [uid, model] of models) {
    const fields = Object.entries(model.attributes)
      .filter(([, a]) => isCosVideoAttribute(a as never))
      .map(([name]) => name);
    if (fields.length === 0) continue;
    // By id in pages: memory stays flat however many entries there are.
    let after = 0;
    for (;;) {
      const rows = (await strapi.db.query(uid as never).findMany({
        select: ['id', ...fields],
        where: { id: { $gt: after } },
        orderBy: { id: 'asc' },
        limit: PAGE,
      })) as Row[];
      for (const row of rows) {
        for (const f of fields) addValue(used, row[f], config.bucket);
      }
      if (rows.length < PAGE) break;
      after = Number(rows[rows.length - 1].id);
    }
  }
  return used;
}

function addValue(used: Set<string>, raw: unknown, defaultBucket: string): void {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return;
    }
  }
  if (typeof v !== 'object' || v === null) return;
  const o = v as { key?: unknown; bucket?: unknown; thumbnail?: { key?: unknown } | null };
  const bucket = typeof o.bucket === 'string' && o.bucket ? o.bucket : defaultBucket;
  if (typeof o.key === 'string') used.add(ref(bucket, o.key));
  if (o.thumbnail && typeof o.thumbnail.key === 'string') used.add(ref(bucket, o.thumbnail.key));
}

/** Whether a listed object is an upload (under a non-empty `uploadPrefix`) that no entry uses. */
export function isOrphanUpload(config: CosVideoConfig, used: Set<string>, bucket: string, key: string): boolean {
  return config.uploadPrefix !== '' && key.startsWith(config.uploadPrefix) && !key.endsWith('/') && !used.has(ref(bucket, key));
}

/** Sets `orphan` on the listed uploads no entry uses (the object browser shows the mark). */
export async function markOrphans(strapi: Core.Strapi, config: CosVideoConfig, bucket: string, page: ObjectPage): Promise<ObjectPage> {
  if (config.uploadPrefix === '' || !page.items.some((i) => i.key.startsWith(config.uploadPrefix))) return page;
  const used = await usedObjectRefs(strapi, config);
  return { ...page, items: page.items.map((i) => ({ ...i, orphan: isOrphanUpload(config, used, bucket, i.key) })) };
}

/** The lease name of the orphan sweep: one instance per period sweeps (see jobs/lease.ts). */
export const ORPHAN_SWEEP_LEASE = 'orphan-uploads-sweep';

/** True when this instance should sweep now: nobody else did within the last `intervalMs`. */
export function claimOrphanSweep(strapi: Core.Strapi, instanceId: string, intervalMs: number, now = Date.now()): Promise<boolean> {
  return claimLease(strapi, ORPHAN_SWEEP_LEASE, instanceId, intervalMs, now);
}

export interface OrphanSweepResult {
  deleted: Array<{ bucket: string; key: string }>;
  /** Unfinished multipart uploads under `uploadPrefix` that were aborted (their parts dropped). */
  aborted: Array<{ bucket: string; key: string; uploadId: string }>;
  /** Orphans not old enough yet. */
  young: number;
}

/**
 * Deletes uploads under `uploadPrefix` in every configured bucket that no entry uses and whose
 * Last-Modified is more than `orphanUploadDays` days before `now`. Does nothing when the
 * setting is 0 or `uploadPrefix` is "" (the whole bucket is not the plugin's to clean).
 * The used set is read after the listing, so a value saved while listing still protects its object.
 *
 * Also aborts the unfinished multipart uploads under `uploadPrefix` initiated more than
 * `orphanUploadDays` days before `now`: POST /uploads starts the multipart upload of a large file
 * when it grants it, so a grant never used (or an upload given up) leaves one, billed for its
 * parts. No entry can use an unfinished upload, and a grant ends within 6 hours, so after that
 * nobody can complete it.
 */
export async function sweepOrphanUploads(
  strapi: Core.Strapi,
  cos: CosService,
  config: CosVideoConfig,
  buckets: Array<{ bucket: string; region: string }>,
  now = Date.now(),
): Promise<OrphanSweepResult> {
  const result: OrphanSweepResult = { deleted: [], aborted: [], young: 0 };
  if (!config.orphanUploadDays || config.uploadPrefix === '') return result;
  const cutoff = now - config.orphanUploadDays * DAY_MS;
  const candidates: Array<{ bucket: string; region: string; object: ListedObject }> = [];
  for (const b of buckets) {
    let marker: string | undefined;
    for (;;) {
      const page = await cos.listObjects({ bucket: b.bucket, prefix: config.uploadPrefix, marker, limit: 1000 });
      for (const o of page.items) candidates.push({ ...b, object: o });
      if (!page.isTruncated || !page.nextMarker) break;
      marker = page.nextMarker;
    }
  }
  const used = await usedObjectRefs(strapi, config);
  for (const c of candidates) {
    if (!isOrphanUpload(config, used, c.bucket, c.object.key)) continue;
    if (Date.parse(c.object.lastModified) > cutoff) {
      result.young++;
      continue;
    }
    await cos.deleteObject({ bucket: c.bucket, region: c.region, key: c.object.key });
    result.deleted.push({ bucket: c.bucket, key: c.object.key });
  }
  for (const b of buckets) {
    for (const u of await cos.incompleteUploads(b, config.uploadPrefix)) {
      if (!u.key.startsWith(config.uploadPrefix) || !(Date.parse(u.initiated) <= cutoff)) continue;
      await cos.abortMultipartUpload({ ...b, key: u.key }, u.uploadId);
      result.aborted.push({ bucket: b.bucket, key: u.key, uploadId: u.uploadId });
    }
  }
  return result;
}
