import type { Core } from '@strapi/strapi';
import { isVerified, type CosVideoValue } from '../../../../common/field-value';
import type { FieldCounts, OperationKind, OperationScope } from '../../../../common/contracts/thumbnail-operations';
import type { JobStore } from '../../jobs/store';
import { storedChoice } from '../../field/stored-choice';
import type { NewItem, OperationStore, VideoRefs } from './store';
import { cosContentTypes, differsFromDefaults, displayName, fieldDefaults, inScope, scanValues, schemaFieldPaths, valueState, videoId, wantedBy } from './values';
import type { ScannedValue, ValueState } from './values';

interface Deps {
  jobs: JobStore;
  operations: OperationStore;
}

/**
 * GET /thumbnails counts: one scan of every row (in pages), each value classified once. The
 * `replaced` count compares each verified value's ETag with what the latest finished
 * check-replaced covering its field saw at COS for that video.
 */
export async function fieldCounts(strapi: Core.Strapi, deps: Deps, scope: OperationScope = {}): Promise<FieldCounts[]> {
  const out = new Map<string, FieldCounts>();
  const uids = scope.uid ? [scope.uid] : cosContentTypes(strapi);
  const checks = await deps.operations.checks();
  const observed = new Map<number, Map<string, string>>();
  const checkOf = (uid: string, fieldPath: string) => checks.find((c) => inScope(c.scope, uid, fieldPath)) ?? null;
  for (const uid of uids) {
    for (const fieldPath of schemaFieldPaths(strapi, uid)) {
      if (!inScope(scope, uid, fieldPath)) continue;
      const check = checkOf(uid, fieldPath);
      if (check && !observed.has(check.id)) {
        const seen = new Map<string, string>();
        for await (const it of deps.operations.allItems(check.id)) {
          if (it.video && it.observedEtag) seen.set(videoId(strapi, it.video), it.observedEtag);
        }
        observed.set(check.id, seen);
      }
      out.set(`${uid}\u0000${fieldPath}`, {
        uid,
        displayName: displayName(strapi, uid),
        fieldPath,
        total: 0,
        ready: 0,
        pending: 0,
        failed: 0,
        missing: 0,
        otherDefaults: 0,
        replaced: check ? 0 : null,
        replacedCheckedAt: check?.finishedAt != null ? new Date(check.finishedAt).toISOString() : null,
      });
    }
  }
  await scanStates(strapi, deps, scope, (v, state) => {
    const counts = out.get(`${v.uid}\u0000${v.fieldPath}`);
    if (!counts) return;
    counts.total += 1;
    counts[state] += 1;
    const value = v.value as Partial<CosVideoValue>;
    if (state === 'ready' && differsFromDefaults(value.snapshot, fieldDefaults(strapi, v.occ))) counts.otherDefaults += 1;
    const check = checkOf(v.uid, v.fieldPath);
    if (check && counts.replaced !== null && isVerified(value)) {
      const etag = observed.get(check.id)?.get(videoId(strapi, value));
      if (etag !== undefined && etag !== value.verified!.etag) counts.replaced += 1;
    }
  });
  return [...out.values()];
}

/**
 * The items an operation of `kind` would process now (its dry run is their count): one per
 * value, or for 'check-replaced' one per distinct video among the verified ready values.
 */
export async function planItems(strapi: Core.Strapi, deps: Deps, kind: OperationKind, scope: OperationScope): Promise<NewItem[]> {
  const list: NewItem[] = [];
  const videos = new Map<string, VideoRefs>();
  await scanStates(strapi, deps, scope, (v, state) => {
    const ref = { uid: v.uid, documentId: v.documentId, locale: v.locale, published: v.published, path: v.occ.path };
    if (kind === 'check-replaced') {
      const value = v.value as Partial<CosVideoValue>;
      const choice = storedChoice(value);
      if (state !== 'ready' || !choice || !isVerified(value)) return;
      const id = videoId(strapi, choice);
      const entry = videos.get(id) ?? { bucket: choice.bucket, region: choice.region, key: choice.key, refs: [] };
      entry.refs.push(ref);
      videos.set(id, entry);
      return;
    }
    if (!wantedBy(kind, state, v.value, fieldDefaults(strapi, v.occ))) return;
    list.push({ entryUid: v.uid, entryDocumentId: v.documentId, entryLocale: v.locale, published: v.published, fieldPath: v.occ.path });
  });
  if (kind === 'check-replaced') for (const video of videos.values()) list.push({ video });
  return list;
}

/**
 * scanValues with each value's state (valueState; values that are no COS video choice are
 * skipped). A value whose choice has a queued or running job counts as pending: the content
 * type's active job keys are read once before its rows.
 */
async function scanStates(strapi: Core.Strapi, deps: Deps, scope: OperationScope, visit: (v: ScannedValue, state: ValueState) => void): Promise<void> {
  let active = new Set<string>();
  await scanValues(
    strapi,
    scope,
    (v) => {
      const state = valueState(v.value, (hash) => active.has(`${v.documentId}\u0000${hash}`));
      if (state) visit(v, state);
    },
    async (uid) => {
      active = await deps.jobs.operations.activeKeys(uid);
    },
  );
}
