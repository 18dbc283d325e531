import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { collectFields, cosPopulate, type FieldOccurrence } from '../field/paths';
import { storedChoice } from '../field/stored-choice';

/** The Content Manager's permission checker (`plugin::content-manager` service `permission-checker`), as far as we use it. */
interface PermissionChecker {
  can: { update(entity?: unknown, field?: string): boolean };
  cannot: { update(entity?: unknown, field?: string): boolean };
  sanitizedQuery: { update(query: Record<string, unknown>): Promise<Record<string, unknown>> };
}

export interface RegenerateTarget {
  uid: string;
  documentId: string;
  locale?: string;
  path?: string;
}

export interface RegenerateScope {
  /** Entry rows (draft / published, per locale) whose COS video values will be regenerated. */
  rowIds: number[];
}

type Model = { attributes: Record<string, { type?: string; component?: string }> };

/**
 * The field name Strapi's RBAC uses for a value's path: list indexes dropped (`gallery.0.video`
 * → `gallery.video`), a dynamic zone is one field (`blocks.0.video` → `blocks`).
 */
export function permissionField(strapi: Core.Strapi, uid: string, path: string): string {
  const out: string[] = [];
  let owner: string | undefined = uid;
  for (const part of path.split('.')) {
    if (/^\d+$/.test(part)) continue;
    out.push(part);
    const attr: Model['attributes'][string] | undefined = owner ? (strapi.getModel(owner as never) as unknown as Model | undefined)?.attributes[part] : undefined;
    if (!attr || attr.type === 'dynamiczone') break;
    owner = attr.type === 'component' ? attr.component : undefined;
  }
  return out.join('.');
}

// A PolicyError (a ForbiddenError) because Strapi replaces other ForbiddenError messages with "Forbidden".
const forbidden = (t: RegenerateTarget) =>
  new errors.PolicyError(
    `You may not regenerate thumbnails of ${t.uid} entry "${t.documentId}"${t.path ? ` at "${t.path}"` : ''}: ` +
      'it needs the Content Manager update permission on that entry (every locale and draft/published version it touches) and on the field.',
  );

/**
 * Checks a regenerate request the way the Content Manager checks an update: Strapi's own
 * permission checker with the RBAC conditions (e.g. `admin::is-creator`), locale properties and
 * field-level permissions, on every row it would change (draft and published, each locale).
 * A document that does not exist and one the user may not update get the same 403 (PolicyError),
 * so the answer is no oracle for which documentIds exist. An entry the user may update that has
 * no COS video at the path is a NotFoundError (the user may see that entry anyway).
 */
export async function checkRegenerateAccess(strapi: Core.Strapi, userAbility: unknown, t: RegenerateTarget): Promise<RegenerateScope> {
  const checker = (strapi.plugin('content-manager').service('permission-checker') as unknown as {
    create(o: { userAbility: unknown; model: string }): PermissionChecker;
  }).create({ userAbility, model: t.uid });
  if (checker.cannot.update()) throw forbidden(t);

  // Populate what the role's conditions look at (e.g. createdBy for is-creator), as the CM does.
  const permissionQuery = await checker.sanitizedQuery.update({});
  const populateBuilder = strapi.plugin('content-manager').service('populate-builder') as unknown as (uid: string) => {
    populateFromQuery(q: unknown): { build(): Promise<unknown> };
  };
  const conditionPopulate = (await populateBuilder(t.uid).populateFromQuery(permissionQuery).build()) as Record<string, unknown> | undefined;
  const where: Record<string, unknown> = { documentId: t.documentId };
  if (t.locale) where.locale = t.locale;
  const rows = (await strapi.db.query(t.uid as never).findMany({
    where,
    populate: { ...(conditionPopulate && typeof conditionPopulate === 'object' ? conditionPopulate : {}), ...cosPopulate(strapi, t.uid) },
  })) as Array<Record<string, unknown>>;
  if (rows.length === 0) throw forbidden(t);

  const targets = rows
    .map((row) => ({ row, values: collectFields(strapi, t.uid, row).filter((occ) => hasVideo(occ) && (!t.path || occ.path === t.path)) }))
    .filter((r) => r.values.length > 0);
  // Nothing to regenerate: still only say so to someone who may update the entry.
  for (const { row, values } of targets.length > 0 ? targets : rows.map((row) => ({ row, values: [] as FieldOccurrence[] }))) {
    if (checker.cannot.update(row)) throw forbidden(t);
    for (const occ of values) {
      if (checker.cannot.update(row, permissionField(strapi, t.uid, occ.path))) throw forbidden(t);
    }
  }
  if (targets.length === 0) {
    throw new errors.NotFoundError(`Entry ${t.documentId} of ${t.uid} has no COS video to regenerate${t.path ? ` at "${t.path}"` : ''}.`);
  }
  return { rowIds: targets.map((r) => Number(r.row.id)) };
}

function hasVideo(occ: FieldOccurrence): boolean {
  return storedChoice(occ.owner[occ.attrName]) !== null;
}

/** Records who asked for the change on the entry rows it touches (raw DB write: no document middleware re-entered). */
export async function recordUpdatedBy(strapi: Core.Strapi, uid: string, rowIds: number[], userId: number | string | undefined): Promise<void> {
  if (userId === undefined || userId === null || userId === '') return;
  const model = strapi.getModel(uid as never) as unknown as { attributes: Record<string, unknown> } | undefined;
  if (!model?.attributes.updatedBy) return;
  for (const id of rowIds) {
    await strapi.db.query(uid as never).update({ where: { id }, data: { updatedBy: userId } as never });
  }
}
