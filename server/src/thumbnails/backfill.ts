import type { Core } from '@strapi/strapi';
import { THUMBNAIL_ERROR_CODES } from '../../../common/contracts/error-codes';
import { isVerified, type CosVideoValue } from '../../../common/field-value';
import { snapshotDefaults } from '../../../common/field-options';
import { getPluginConfig } from '../config/read';
import { compareAndSet } from '../field/entries';
import { collectFields, containsCosFields, cosPopulate } from '../field/paths';
import { readClientChoice, videoChoice } from '../field/input';
import { announceSettled } from './settle-events';
import type { JobStore } from '../jobs/store';
import { matchHash } from './snapshot-key';
import type { NewJob } from './types';

export interface BackfillOptions {
  /** Only this content type (default: every content type with a COS video field). */
  uid?: string;
  /** Also retry values whose last attempt failed. */
  retryFailed?: boolean;
  /** Rows read per query. */
  pageSize?: number;
}

export interface BackfillReport {
  /** COS video values looked at. */
  scanned: number;
  /** Values set to "pending" with a job (or already pending without one). */
  queued: number;
  /** Values that cannot be used (bad key, unknown bucket…): stored as "failed" with the reason. */
  invalid: number;
}

/**
 * Backfill for entries written without the middleware (imports, raw DB seeds, a JSON field
 * turned into a COS video field): every value that lacks a ready thumbnail is normalised
 * (compare-and-set, so concurrent edits win) and gets a job; a ready value that was never
 * verified as a video (stored by an older version) gets a job that verifies it. Verified
 * ready values cost nothing.
 */
export async function backfill(
  strapi: Core.Strapi,
  deps: { store: JobStore; queue(jobs: NewJob[]): Promise<unknown> },
  opts: BackfillOptions = {},
): Promise<BackfillReport> {
  const config = getPluginConfig(strapi);
  const uids = opts.uid ? [opts.uid] : Object.keys(strapi.contentTypes).filter((uid) => containsCosFields(strapi, uid));
  const report: BackfillReport = { scanned: 0, queued: 0, invalid: 0 };
  const pageSize = opts.pageSize ?? 100;
  for (const uid of uids) {
    for (let offset = 0; ; offset += pageSize) {
      const rows = (await strapi.db.query(uid as never).findMany({
        populate: cosPopulate(strapi, uid),
        orderBy: { id: 'asc' },
        offset,
        limit: pageSize,
      })) as Array<Record<string, unknown>>;
      if (rows.length === 0) break;
      const jobs: NewJob[] = [];
      for (const row of rows) {
        for (const occ of collectFields(strapi, uid, row)) {
          const current = occ.owner[occ.attrName] as Partial<CosVideoValue> | null;
          if (current === null || current === undefined) continue;
          report.scanned += 1;
          const readyUnverified = current.status === 'ready' && !!current.thumbnail && !isVerified(current);
          if (current.status === 'ready' && current.thumbnail && !readyUnverified) continue;
          if (current.status === 'failed' && !opts.retryFailed) continue;
          const target = { ownerUid: occ.ownerUid, attrName: occ.attrName, rowId: Number(occ.owner.id) };
          const choice = readClientChoice(current, occ.path, snapshotDefaults(occ.options, config.snapshot), config);
          if (!choice.ok) {
            const message = choice.errors.map((e) => e.message).join('; ');
            const next = { ...(current as CosVideoValue), thumbnail: null, status: 'failed', error: { code: THUMBNAIL_ERROR_CODES.invalidValue, message }, verified: null } as CosVideoValue;
            if (await compareAndSet(strapi, target, current, next)) {
              report.invalid += 1;
              // Settled as failed without a job: announced like a job's result.
              const stored = { ...occ, rowId: target.rowId, entryId: Number(row.id), value: next, locale: (row.locale as string | undefined) ?? null, published: row.publishedAt != null };
              await announceSettled(strapi, uid, String(row.documentId), [{ stored, value: next }]);
            }
            continue;
          }
          const job: NewJob = {
            entryUid: uid,
            entryDocumentId: String(row.documentId),
            entryLocale: (row.locale as string | undefined) ?? null,
            fieldPath: occ.path,
            fingerprint: videoChoice(choice.value),
          };
          if (readyUnverified) {
            // Stored before values were verified: it keeps its thumbnail, and its job checks the
            // object (HEAD + videoinfo) before any URL is served for it again.
            if (await deps.store.hasActive(uid, job.entryDocumentId, matchHash(choice.value))) continue;
            jobs.push(job);
            report.queued += 1;
            continue;
          }
          if (current.status === 'pending') {
            // Already normalised and waiting: only re-queue when its job is gone.
            if (await deps.store.hasActive(uid, job.entryDocumentId, matchHash(choice.value))) continue;
          }
          const next: CosVideoValue = {
            ...choice.value,
            thumbnail: null,
            media: (current.media as CosVideoValue['media']) ?? null,
            status: 'pending',
            error: null,
            verified: null,
          };
          const same = JSON.stringify(next) === JSON.stringify(current);
          if (same || (await compareAndSet(strapi, target, current, next))) {
            jobs.push(job);
            report.queued += 1;
          }
        }
      }
      if (jobs.length > 0) await deps.queue(jobs);
      if (rows.length < pageSize) break;
    }
  }
  return report;
}
