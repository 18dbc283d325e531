import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../common/plugin-id';

export const LEASE_UID = `plugin::${PLUGIN_ID}.lease` as const;

/**
 * Takes the lease `name` for `ms` milliseconds when nobody holds it (or the holder's time is up).
 * True when `holder` won. Portable across SQLite, PostgreSQL and MySQL: one conditional UPDATE
 * whose affected-row count decides (as claiming a job does); the first claim ever inserts the
 * row, and the unique index on `name` lets only one of several racing instances do so.
 */
export async function claimLease(strapi: Core.Strapi, name: string, holder: string, ms: number, now = Date.now()): Promise<boolean> {
  const meta = strapi.db.metadata.get(LEASE_UID);
  const col = (a: string) => (meta.attributes[a] as { columnName?: string } | undefined)?.columnName ?? a;
  const n = await strapi.db
    .getConnection(meta.tableName)
    .where(col('name'), name)
    .andWhere((q) => q.whereNull(col('until')).orWhere(col('until'), '<=', now))
    .update({ [col('holder')]: holder, [col('until')]: now + ms });
  if (Number(n) === 1) return true;
  if ((await strapi.db.query(LEASE_UID).count({ where: { name } })) > 0) return false;
  try {
    await strapi.db.query(LEASE_UID).create({ data: { name, holder, until: now + ms } });
    return true;
  } catch {
    return false; // another instance inserted it first (unique name)
  }
}
