import type { Core } from '@strapi/strapi';
import type { CosVideoValue } from '../../../common/field-value';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { getPluginConfig } from '../config/read';
import { loadDocumentValues, resultEntries } from '../field/entries';
import { collectFields, containsCosFields } from '../field/paths';
import { planSave, type PlannedJob } from '../field/save-plan';
import { mergeResult } from '../thumbnails/run-job';
import { sameChoice } from '../thumbnails/snapshot-key';
import type { ThumbnailsService } from '../services/thumbnails';
import type { JobResult } from '../thumbnails/types';
import { assertCloneSourceReadable, type UserAbility } from '../access/video';

type Middleware = Parameters<Core.Strapi['documents']['use']>[0];

const SAVE_ACTIONS = new Set(['create', 'update', 'clone']);

/**
 * Document Service middleware for create / update / clone: validates and normalises every COS
 * video value the caller writes (400 and nothing saved on bad input), saves new choices as
 * "pending" with a durable job, then waits up to saveWaitMs so the usual response is "ready".
 */
export function createSaveMiddleware(strapi: Core.Strapi): Middleware {
  return async (ctx, next) => {
    if (!SAVE_ACTIONS.has(ctx.action) || !containsCosFields(strapi, ctx.uid)) return next();
    const params = (ctx.params ?? {}) as { data?: unknown; documentId?: string; locale?: string };
    const occurrences = collectFields(strapi, ctx.uid, params.data);
    if (occurrences.length === 0 && ctx.action !== 'clone') return next();

    // The admin whose request this is (Content Manager), if any: what they may read bounds what the save trusts.
    const ability = (strapi.requestContext.get() as { state?: { userAbility?: UserAbility } } | undefined)?.state?.userAbility;
    if (ctx.action === 'clone' && params.documentId) await assertCloneSourceReadable(strapi, ctx.uid, params.documentId, params.locale, ability);
    const started = Date.now();
    const waitMs = getPluginConfig(strapi).saveWaitMs;
    const planned = await planSave(strapi, ctx.uid, params.documentId, occurrences, Math.floor(waitMs / 2), ability);
    const result = await next();

    const entries = resultEntries(result);
    const documentId = (result as { documentId?: string } | null)?.documentId;
    if (!documentId || entries.length === 0) return result;
    const locale = ((entries[0] as { locale?: string }).locale ?? params.locale ?? null) as string | null;
    // A clone copies the source's values: pending ones need jobs under the new document too.
    const jobs = ctx.action === 'clone' ? [...planned, ...(await pendingIn(strapi, ctx.uid, documentId))] : planned;
    if (jobs.length === 0) return result;

    const thumbnails = strapi.plugin(PLUGIN_ID).service('thumbnails') as unknown as ThumbnailsService;
    const ids = await thumbnails.enqueue(
      jobs.map((j) => ({ entryUid: ctx.uid, entryDocumentId: documentId, entryLocale: locale, fieldPath: j.path, fingerprint: j.fingerprint })),
    );
    // Inside a caller's transaction the rows are not committed yet: the worker starts on commit.
    if (strapi.db.inTransaction()) return result;
    const results = await thumbnails.waitFor(ids, waitMs - (Date.now() - started));
    applyResults(strapi, ctx.uid, entries, jobs, ids, results);
    return result;
  };
}

/** Puts settled job results into the response, where it still shows the job's choice as pending. */
function applyResults(
  strapi: Core.Strapi,
  uid: string,
  entries: unknown[],
  jobs: PlannedJob[],
  ids: number[],
  results: Map<number, JobResult>,
): void {
  for (const entry of entries) {
    for (const occ of collectFields(strapi, uid, entry)) {
      const v = occ.owner[occ.attrName] as CosVideoValue | null;
      if (!v || v.status !== 'pending' || !v.bucket || !v.region) continue;
      const i = jobs.findIndex((j) => sameChoice(j.fingerprint, v as Required<CosVideoValue>));
      const r = i >= 0 ? results.get(ids[i]) : undefined;
      if (r) occ.owner[occ.attrName] = mergeResult(v, r);
    }
  }
}

async function pendingIn(strapi: Core.Strapi, uid: string, documentId: string): Promise<PlannedJob[]> {
  const stored = await loadDocumentValues(strapi, uid, documentId);
  return stored
    .map((s) => ({ path: s.path, v: s.value as CosVideoValue | null }))
    .filter(({ v }) => v && v.status === 'pending' && v.bucket && v.region && v.snapshot)
    .map(({ path, v }) => ({ path, fingerprint: { bucket: v!.bucket!, region: v!.region!, key: v!.key, snapshot: v!.snapshot } }));
}
