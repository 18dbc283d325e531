import type { Core } from '@strapi/strapi';
import type { CosVideoValue } from '../../../common/field-value';
import { collectFields, cosPopulate, cosSelect, type FieldOccurrence } from './paths';

/** The knex transaction strapi.db.transaction hands its callback (`trx`). */
export type DbTransaction = Parameters<Parameters<Core.Strapi['db']['transaction']>[0]>[0]['trx'];

/** A COS video value as stored in one DB row (entry row or component row). */
export interface StoredValue extends FieldOccurrence {
  /** Id of the row holding the value (entry or component instance). */
  rowId: number;
  /** Id of the entry row (draft or published, one locale) the value belongs to. */
  entryId: number;
  value: unknown;
  locale: string | null;
  published: boolean;
  /**
   * The entry row the value was read in, populated as asked (loadDocumentValues' `populate`):
   * set only when a populate was given, so a reader knows the row carries it.
   */
  entry?: Record<string, unknown>;
}

/**
 * Every COS video value of a document: all locales, draft and published, inside components
 * and dynamic zones. Read with strapi.db.query, so no document middleware is re-entered.
 * `filter.populate`: what to populate instead of just the components holding COS video fields
 * (each value then carries its `entry` row, with all its columns).
 * `filter.narrow`: read only the columns the values need (cosSelect: row ids, locale,
 * publishedAt, the COS video columns), not every column of the entry and its components; a
 * save reads its document this way (ignored with `populate`).
 */
export async function loadDocumentValues(
  strapi: Core.Strapi,
  uid: string,
  documentId: string,
  filter: { locale?: string; populate?: Record<string, unknown>; narrow?: boolean } = {},
): Promise<StoredValue[]> {
  const where: Record<string, unknown> = { documentId };
  if (filter.locale) where.locale = filter.locale;
  const query = filter.populate
    ? { where, populate: filter.populate }
    : filter.narrow
      ? { where, select: cosSelect(strapi, uid), populate: cosPopulate(strapi, uid, true) }
      : { where, populate: cosPopulate(strapi, uid) };
  const rows = (await strapi.db.query(uid as never).findMany(query)) as Array<Record<string, unknown>>;
  const out: StoredValue[] = [];
  for (const row of rows) {
    for (const occ of collectFields(strapi, uid, row)) {
      out.push({
        ...occ,
        rowId: Number(occ.owner.id),
        entryId: Number(row.id),
        value: occ.owner[occ.attrName],
        locale: (row.locale as string | undefined) ?? null,
        published: row.publishedAt !== null && row.publishedAt !== undefined,
        ...(filter.populate ? { entry: row } : {}),
      });
    }
  }
  return out;
}

/**
 * Compare-and-set one stored value: the UPDATE only matches while the column still holds
 * exactly what we compared, so a newer choice saved meanwhile is never overwritten. One
 * conditional UPDATE whose changed-row count decides: jsonb (PostgreSQL) and JSON (MySQL)
 * columns match on JSON equality; a text column (SQLite, MySQL as text) first on the text Strapi writes for
 * `expected`, and when that misses, on its exact stored text once that text parses to a value
 * equal to `expected` (values written by other tools with other formatting still compare).
 * Raw knex (like strapi.db.query) bypasses the document middleware. `trx`: the knex transaction
 * of a strapi.db.transaction this runs in (raw knex does not join it by itself). Returns whether it wrote.
 */
export async function compareAndSet(
  strapi: Core.Strapi,
  target: Pick<StoredValue, 'ownerUid' | 'attrName' | 'rowId'>,
  expected: unknown,
  next: CosVideoValue,
  trx?: DbTransaction,
): Promise<boolean> {
  const meta = strapi.db.metadata.get(target.ownerUid);
  const column = (meta.attributes[target.attrName] as { columnName?: string }).columnName ?? target.attrName;
  const idColumn = (meta.attributes.id as { columnName?: string } | undefined)?.columnName ?? 'id';
  const rows = () => {
    const q = strapi.db.getConnection(meta.tableName).where(idColumn, target.rowId);
    return trx ? q.transacting(trx) : q;
  };
  const client = strapi.db.dialect.client;
  const cast = client === 'postgres' ? '?::jsonb' : client === 'mysql' ? 'CAST(? AS JSON)' : '?';
  // One statement in the common case: the text Strapi itself writes for a value (JSON.stringify
  // of what it read) is the stored text, and jsonb compares by value anyway. Only a text column
  // whose JSON another tool formatted differently falls through to the read below.
  const first = await rows()
    .andWhereRaw(`?? = ${cast}`, [column, JSON.stringify(expected)])
    .update({ [column]: JSON.stringify(next) });
  if (Number(first) === 1) return true;
  // jsonb compared by value: a miss is a different value. Elsewhere the column may be text.
  if (client === 'postgres') return false;
  const found = (await rows().select(column).first()) as Record<string, unknown> | undefined;
  if (!found) return false;
  const stored = found[column];
  const storedValue = typeof stored === 'string' ? parseJson(stored) : stored;
  if (canonicalJson(storedValue) !== canonicalJson(expected)) return false;
  const match = typeof stored === 'string' ? rows().andWhereRaw('?? = ?', [column, stored]) : rows().andWhereRaw(`?? = ${cast}`, [column, JSON.stringify(stored)]);
  const n = await match.update({ [column]: JSON.stringify(next) });
  return Number(n) === 1;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** JSON with sorted keys: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The entries in a document-service result: findMany → array; publish & co → { entries }; else the entry. */
export function resultEntries(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result)) return result;
  if (!result || typeof result !== 'object') return [];
  const r = result as { entries?: unknown };
  return (Array.isArray(r.entries) ? r.entries : [result]) as Array<Record<string, unknown>>;
}
