import type { Core } from '@strapi/strapi';
import type { CosVideoValue } from '../../../common/field-value';
import { assertCloneSourceReadable, type UserAbility } from '../access/video';
import { getPluginConfig } from '../config/read';
import { mergeResult } from '../thumbnails/run-job';
import { sameChoice } from '../thumbnails/snapshot-key';
import type { JobResult } from '../thumbnails/types';
import { getService } from '../utils/get-service';
import { loadDocumentValues, resultEntries } from './entries';
import { collectFields } from './paths';
import { planSave, type PlannedJob } from './save-plan';
import { storedChoice } from './stored-choice';

/** The Document Service call being saved, as the middleware context names it. */
export interface DocumentSave {
  uid: string;
  action: 'create' | 'update' | 'clone';
  params: { data?: unknown; documentId?: string; locale?: string };
}

/** A save whose COS video values are checked and normalised, waiting for Strapi to write it. */
export interface SavePlan {
  /**
   * Called with what Strapi wrote: queues the planned jobs under the saved document, waits
   * what is left of `saveWaitMs`, and puts the results that settled into that same response.
   */
  commit<R>(result: R): Promise<R>;
}

/**
 * Plans one create / update / clone before Strapi writes it: validates and normalises every
 * COS video value in `params.data` in place (ValidationError and nothing saved on bad input),
 * see planSave. Null when the save carries no COS video value (nothing to do).
 */
export async function planDocumentSave(strapi: Core.Strapi, save: DocumentSave): Promise<SavePlan | null> {
  const { uid, action, params } = save;
  const occurrences = collectFields(strapi, uid, params.data);
  if (occurrences.length === 0 && action !== 'clone') return null;

  // The admin whose request this is (Content Manager), if any: what they may read bounds what the save trusts.
  const ability = (strapi.requestContext.get() as { state?: { userAbility?: UserAbility } } | undefined)?.state?.userAbility;
  if (action === 'clone' && params.documentId) await assertCloneSourceReadable(strapi, uid, params.documentId, params.locale, ability);
  const started = Date.now();
  const waitMs = getPluginConfig(strapi).saveWaitMs;
  const planned = await planSave(strapi, uid, params.documentId, occurrences, Math.floor(waitMs / 2), ability);

  return {
    async commit<R>(result: R): Promise<R> {
      const entries = resultEntries(result);
      const documentId = (result as { documentId?: string } | null)?.documentId;
      if (!documentId || entries.length === 0) return result;
      const locale = ((entries[0] as { locale?: string }).locale ?? params.locale ?? null) as string | null;
      // A clone copies the source's values: pending ones need jobs under the new document too.
      const jobs = action === 'clone' ? [...planned, ...(await pendingIn(strapi, uid, documentId))] : planned;
      if (jobs.length === 0) return result;
      const results = await getService(strapi, 'thumbnails').queue(
        jobs.map((j) => ({ entryUid: uid, entryDocumentId: documentId, entryLocale: locale, fieldPath: j.path, fingerprint: j.fingerprint, videoCheck: j.videoCheck })),
        waitMs - (Date.now() - started),
      );
      applyResults(strapi, uid, entries, jobs, results);
      return result;
    },
  };
}

/** Puts settled job results into the response, where it still shows the job's choice as pending. */
function applyResults(strapi: Core.Strapi, uid: string, entries: unknown[], jobs: PlannedJob[], results: Array<JobResult | undefined>): void {
  for (const entry of entries) {
    for (const occ of collectFields(strapi, uid, entry)) {
      const v = occ.owner[occ.attrName] as CosVideoValue | null;
      const choice = storedChoice(v);
      if (!choice || v!.status !== 'pending') continue;
      const r = results[jobs.findIndex((j) => sameChoice(j.fingerprint, choice))];
      if (r) occ.owner[occ.attrName] = mergeResult(v!, r);
    }
  }
}

/** The pending values a document stores, as jobs (a clone's copies of its source's). */
async function pendingIn(strapi: Core.Strapi, uid: string, documentId: string): Promise<PlannedJob[]> {
  const stored = await loadDocumentValues(strapi, uid, documentId);
  return stored.flatMap((s) => {
    const choice = storedChoice(s.value);
    return choice && (s.value as CosVideoValue).status === 'pending' ? [{ path: s.path, fingerprint: choice }] : [];
  });
}
