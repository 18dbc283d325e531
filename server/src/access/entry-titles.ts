import type { Core } from '@strapi/strapi';
import type { Operation } from '../../../common/contracts/thumbnail-operations';
import { contentManagerRead, type UserAbility } from './video';

/** The Content Manager's configuration of a content type, as far as we use it (`settings.mainField`). */
interface ContentTypesService {
  findConfiguration(contentType: { uid: string }): Promise<{ settings?: { mainField?: string } }>;
}

/**
 * Adds `entry.title` to the failures of `operations` (in place; returns them): the value of the
 * entry's Content Manager main field (the "Entry title" of its list view settings), where the
 * admin may read that field of that row (Content Manager read permission with its conditions,
 * e.g. is-creator or locales, and field permissions). The Thumbnails action alone lets an admin
 * run operations over every type, not read their entries, so nothing else is revealed: no title,
 * and the failure still names the documentId it always did. The draft row is the one the
 * Content Manager opens, so its title is used when the document has one.
 */
export async function addEntryTitles(strapi: Core.Strapi, ability: UserAbility | undefined, operations: Operation[]): Promise<Operation[]> {
  const failures = operations.flatMap((op) => op.failures);
  if (!ability || failures.length === 0) return operations;
  const byUid = new Map<string, Set<string>>();
  for (const f of failures) {
    if (!strapi.contentTypes[f.entry.uid as keyof typeof strapi.contentTypes]) continue;
    byUid.set(f.entry.uid, (byUid.get(f.entry.uid) ?? new Set()).add(f.entry.documentId));
  }
  const cm = strapi.plugin('content-manager');
  for (const [uid, documentIds] of byUid) {
    const { settings } = await (cm.service('content-types') as unknown as ContentTypesService).findConfiguration({ uid });
    const mainField = settings?.mainField;
    if (!mainField || mainField === 'id' || mainField === 'documentId') continue;
    const canRead = contentManagerRead(strapi, uid, ability);
    const rows = (await strapi.db.query(uid as never).findMany({
      where: { documentId: { $in: [...documentIds] } },
      populate: { createdBy: true, updatedBy: true },
    })) as Array<Record<string, unknown>>;
    for (const f of failures) {
      if (f.entry.uid !== uid) continue;
      const candidates = rows.filter((r) => r.documentId === f.entry.documentId && (f.entry.locale === undefined || (r.locale ?? undefined) === f.entry.locale));
      const row = candidates.find((r) => r.publishedAt === null || r.publishedAt === undefined) ?? candidates[0];
      const title = row?.[mainField];
      if (((typeof title === 'string' && title !== '') || typeof title === 'number') && canRead(row, mainField)) f.entry.title = String(title);
    }
  }
  return operations;
}
