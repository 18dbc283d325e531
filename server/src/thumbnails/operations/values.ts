import type { Core } from '@strapi/strapi';
import type { CosVideoValue, SnapshotParams } from '../../../../common/field-value';
import { snapshotDefaults } from '../../../../common/field-options';
import { SNAPSHOT_PARAM_NAMES } from '../../../../common/snapshot-params';
import type { OperationKind, OperationScope } from '../../../../common/contracts/thumbnail-operations';
import { getPluginConfig } from '../../config/read';
import { collectFields, containsCosFields, cosPopulate, isCosVideoAttribute, type FieldOccurrence } from '../../field/paths';
import { storedChoice } from '../../field/stored-choice';
import { matchHash } from '../snapshot-key';

/**
 * What the Thumbnails page counts and its operations pick: every COS video value of every
 * entry row (draft and published, each locale), read by id in pages so memory stays flat.
 */

/** Rows read per query. */
export const SCAN_PAGE = 200;

type Attr = { type?: string; customField?: string; component?: string; components?: string[]; options?: unknown };
type Model = { attributes: Record<string, Attr>; info?: { displayName?: string } };

const modelOf = (strapi: Core.Strapi, uid: string) => strapi.getModel(uid as never) as unknown as Model | undefined;

/** `blocks.2.video` → `blocks.video`: the attribute path a FieldCounts row and a scope name. */
export const attributePath = (path: string): string =>
  path
    .split('.')
    .filter((p) => !/^\d+$/.test(p))
    .join('.');

/** Content types with a COS video field somewhere (components and dynamic zones included). */
export function cosContentTypes(strapi: Core.Strapi): string[] {
  return Object.keys(strapi.contentTypes).filter((uid) => containsCosFields(strapi, uid));
}

export const displayName = (strapi: Core.Strapi, uid: string): string => modelOf(strapi, uid)?.info?.displayName ?? uid;

/** Every attribute path of a COS video field in `uid`'s schema, through components and dynamic zones (each path once). */
export function schemaFieldPaths(strapi: Core.Strapi, uid: string, prefix = '', depth = 0): string[] {
  const m = modelOf(strapi, uid);
  const out: string[] = [];
  if (!m || depth > 20) return out;
  for (const [name, attr] of Object.entries(m.attributes)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isCosVideoAttribute(attr)) out.push(path);
    else if (attr.type === 'component' && attr.component) out.push(...schemaFieldPaths(strapi, attr.component, path, depth + 1));
    else if (attr.type === 'dynamiczone') for (const c of attr.components ?? []) out.push(...schemaFieldPaths(strapi, c, path, depth + 1));
  }
  return [...new Set(out)];
}

export type ValueState = 'ready' | 'pending' | 'failed' | 'missing';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The state a stored value counts as, null when there is no video (no value, or no key).
 * `missing`: a key and no thumbnail, no job, no error — never processed (imported, seeded), or
 * pending with no active job left (a cancelled operation, a job swept away).
 */
export function valueState(value: unknown, hasActiveJob: (hash: string) => boolean): ValueState | null {
  if (!isObject(value) || typeof value.key !== 'string' || value.key === '') return null;
  if (value.status === 'ready' && isObject(value.thumbnail)) return 'ready';
  if (value.status === 'failed') return 'failed';
  const choice = storedChoice(value);
  if (value.status === 'pending' && choice && hasActiveJob(matchHash(choice))) return 'pending';
  return 'missing';
}

/** GetSnapshot parameters other than `time` that differ from `defaults` (the editor's frame is not a default). */
export function differsFromDefaults(snapshot: Partial<SnapshotParams> | undefined, defaults: SnapshotParams): boolean {
  if (!isObject(snapshot)) return false;
  return SNAPSHOT_PARAM_NAMES.some((n) => n !== 'time' && snapshot[n] !== defaults[n]);
}

/** The field's current defaults: its Content-Type Builder options over the config's `snapshot`. */
export function fieldDefaults(strapi: Core.Strapi, occ: Pick<FieldOccurrence, 'options'>): SnapshotParams {
  return snapshotDefaults(occ.options, getPluginConfig(strapi).snapshot);
}

/** The video a value names, `bucket` NUL `region` NUL `key` (bucket/region default to the config's). */
export function videoId(strapi: Core.Strapi, value: Partial<CosVideoValue>): string {
  const config = getPluginConfig(strapi);
  return `${value.bucket || config.bucket}\u0000${value.region || config.region}\u0000${value.key}`;
}

/** One value met by a scan. */
export interface ScannedValue {
  uid: string;
  documentId: string;
  locale: string | null;
  published: boolean;
  occ: FieldOccurrence;
  /** attribute path (FieldCounts.fieldPath) */
  fieldPath: string;
  value: unknown;
}

/** Whether a value's field is inside the scope. */
export const inScope = (scope: OperationScope, uid: string, fieldPath: string): boolean =>
  (!scope.uid || scope.uid === uid) && (!scope.fieldPath || scope.fieldPath === fieldPath);

/**
 * Calls `visit` for every COS video value in scope, one page of rows at a time (by id, so rows
 * added meanwhile do not shift the pages). `beforeType` runs once per content type first.
 */
export async function scanValues(
  strapi: Core.Strapi,
  scope: OperationScope,
  visit: (v: ScannedValue) => void | Promise<void>,
  beforeType?: (uid: string) => Promise<void>,
): Promise<void> {
  const uids = scope.uid ? [scope.uid] : cosContentTypes(strapi);
  for (const uid of uids) {
    if (!containsCosFields(strapi, uid)) continue;
    await beforeType?.(uid);
    const populate = cosPopulate(strapi, uid);
    let after = 0;
    for (;;) {
      const rows = (await strapi.db.query(uid as never).findMany({
        where: { id: { $gt: after } },
        populate,
        orderBy: { id: 'asc' },
        limit: SCAN_PAGE,
      })) as Array<Record<string, unknown>>;
      for (const row of rows) {
        for (const occ of collectFields(strapi, uid, row)) {
          const fieldPath = attributePath(occ.path);
          if (!inScope(scope, uid, fieldPath)) continue;
          await visit({
            uid,
            documentId: String(row.documentId),
            locale: (row.locale as string | undefined) ?? null,
            published: row.publishedAt !== null && row.publishedAt !== undefined,
            occ,
            fieldPath,
            value: occ.owner[occ.attrName],
          });
        }
      }
      if (rows.length < SCAN_PAGE) break;
      after = Number(rows[rows.length - 1].id);
    }
  }
}

/** Whether an operation of `kind` has something to do for this value (what its dry run counts). */
export function wantedBy(kind: Exclude<OperationKind, 'check-replaced'>, state: ValueState, value: unknown, defaults: SnapshotParams): boolean {
  switch (kind) {
    case 'generate-missing':
      return state === 'missing';
    case 'retry-failed':
      return state === 'failed';
    case 'regenerate-defaults':
      return state === 'ready' && differsFromDefaults((value as Partial<CosVideoValue>).snapshot, defaults);
  }
}
