import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../../common/plugin-id';
import type { FieldErrorInfo } from '../../../../common/field-value';
import type { Operation, OperationFailure, OperationKind, OperationScope, OperationStatus } from '../../../../common/contracts/thumbnail-operations';
import { json, num } from '../../utils/db-values';

export const OPERATION_UID = `plugin::${PLUGIN_ID}.thumbnail-operation` as const;
export const ITEM_UID = `plugin::${PLUGIN_ID}.thumbnail-operation-item` as const;

/** waiting → queued (its jobs are in the queue) → done / failed / skipped; cancelled when the operation was. */
export type ItemStatus = 'waiting' | 'queued' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** For check-replaced: one video and the values that show it. */
export interface VideoRefs {
  bucket: string;
  region: string;
  key: string;
  refs: Array<{ uid: string; documentId: string; locale: string | null; published: boolean; path: string }>;
}

export interface NewItem {
  entryUid?: string | null;
  entryDocumentId?: string | null;
  entryLocale?: string | null;
  published?: boolean;
  /** concrete path of the value, e.g. `blocks.1.video` */
  fieldPath?: string | null;
  video?: VideoRefs | null;
}

export interface ItemRow extends NewItem {
  id: number;
  operationId: number;
  status: ItemStatus;
  retry: boolean;
  jobIds: number[];
  claimedAt: number | null;
  settledAt: number | null;
  error: FieldErrorInfo | null;
  observedEtag: string | null;
}

export interface OperationRow {
  id: number;
  kind: OperationKind;
  scope: OperationScope;
  status: OperationStatus;
  open: boolean;
  total: number;
  createdById: number | null;
  createdByName: string | null;
  runningSince: number | null;
  finishedAt: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Most failures an Operation lists. */
export const FAILURES_LISTED = 100;
/** The window of `ratePerMinute`. */
export const RATE_WINDOW_MS = 60_000;
const INSERT_CHUNK = 100;

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function toItem(r: Record<string, unknown>): ItemRow {
  return {
    id: Number(r.id),
    operationId: Number(r.operationId),
    entryUid: (r.entryUid as string | null) ?? null,
    entryDocumentId: (r.entryDocumentId as string | null) ?? null,
    entryLocale: (r.entryLocale as string | null) ?? null,
    published: !!r.published,
    fieldPath: (r.fieldPath as string | null) ?? null,
    video: json<VideoRefs>(r.video),
    status: r.status as ItemStatus,
    retry: !!r.retry,
    jobIds: json<number[]>(r.jobIds) ?? [],
    claimedAt: num(r.claimedAt),
    settledAt: num(r.settledAt),
    error: json<FieldErrorInfo>(r.error),
    observedEtag: (r.observedEtag as string | null) ?? null,
  };
}

function toOperationRow(r: Record<string, unknown>): OperationRow {
  return {
    id: Number(r.id),
    kind: r.kind as OperationKind,
    scope: json<OperationScope>(r.scope) ?? {},
    status: r.status as OperationStatus,
    open: !!r.inProgress,
    total: Number(r.total ?? 0),
    createdById: num(r.startedById),
    createdByName: (r.startedByName as string | null) ?? null,
    runningSince: num(r.runningSince),
    finishedAt: num(r.finishedAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

/**
 * The operation and item tables. Every state change is a conditional UPDATE whose affected-row
 * count says whether this call made it, so instances sharing the database never feed or settle
 * the same item twice (the same rule as claiming a job).
 */
export function createOperationStore(strapi: Core.Strapi) {
  const ops = () => strapi.db.query(OPERATION_UID);
  const items = () => strapi.db.query(ITEM_UID);
  const meta = (uid: string) => strapi.db.metadata.get(uid);
  const col = (uid: string, attr: string): string => (meta(uid).attributes[attr] as { columnName?: string } | undefined)?.columnName ?? attr;
  const itemTable = () => strapi.db.getConnection(meta(ITEM_UID).tableName);
  const ic = (a: string) => col(ITEM_UID, a);

  return {
    /** Records an operation and all its items in one transaction (a crash leaves none or all). */
    async create(
      op: { kind: OperationKind; scope: OperationScope; createdBy: { id: number; name: string } | null },
      list: NewItem[],
      now = Date.now(),
    ): Promise<OperationRow> {
      return strapi.db.transaction(async () => {
        const created = await ops().create({
          data: {
            kind: op.kind,
            scope: op.scope,
            status: list.length > 0 ? 'running' : 'done',
            inProgress: list.length > 0,
            total: list.length,
            startedById: op.createdBy?.id ?? null,
            startedByName: op.createdBy?.name ?? null,
            runningSince: now,
            finishedAt: list.length > 0 ? null : now,
          },
        });
        const operationId = Number(created.id);
        for (let i = 0; i < list.length; i += INSERT_CHUNK) {
          await items().createMany({
            data: list.slice(i, i + INSERT_CHUNK).map((it) => ({
              operationId,
              entryUid: it.entryUid ?? null,
              entryDocumentId: it.entryDocumentId ?? null,
              entryLocale: it.entryLocale ?? null,
              published: !!it.published,
              fieldPath: it.fieldPath ?? null,
              video: it.video ?? null,
              status: 'waiting',
              retry: false,
              jobIds: [],
            })),
          });
        }
        return toOperationRow(created);
      });
    },

    async get(id: number): Promise<OperationRow | null> {
      const r = await ops().findOne({ where: { id } });
      return r ? toOperationRow(r) : null;
    },

    /** Operations whose items are still moving (running, paused, or cancelled with jobs still running). */
    async open(): Promise<OperationRow[]> {
      return (await ops().findMany({ where: { inProgress: true }, orderBy: { id: 'asc' } })).map(toOperationRow);
    },

    /** Running and paused ones, then the `recent` latest finished or cancelled ones. */
    async list(recent = 20): Promise<OperationRow[]> {
      const live = await ops().findMany({ where: { status: { $in: ['running', 'paused'] } }, orderBy: { id: 'desc' } });
      const ended = await ops().findMany({ where: { status: { $in: ['done', 'cancelled'] } }, orderBy: { id: 'desc' }, limit: recent });
      return [...live, ...ended].map(toOperationRow);
    },

    /** The latest finished check-replaced operations, newest first. */
    async checks(limit = 50): Promise<OperationRow[]> {
      return (await ops().findMany({ where: { kind: 'check-replaced', status: 'done' }, orderBy: { id: 'desc' }, limit })).map(toOperationRow);
    },

    /** Moves the operation from one of `from` to `to`; false when it was in none of them. */
    async setStatus(id: number, from: OperationStatus[], to: OperationStatus, extra: Partial<Pick<OperationRow, 'runningSince' | 'finishedAt'>> = {}): Promise<boolean> {
      const r = await ops().updateMany({ where: { id, status: { $in: from } }, data: { status: to, ...extra, updatedAt: new Date() } });
      return Number((r as { count?: number }).count ?? 0) === 1;
    },

    /** Marks an operation whose items all settled: done (when running) and closed. */
    async close(id: number, now = Date.now()): Promise<void> {
      await ops().updateMany({ where: { id, status: 'running' }, data: { status: 'done', finishedAt: now, updatedAt: new Date() } });
      await ops().updateMany({ where: { id, status: { $in: ['done', 'cancelled'] } }, data: { inProgress: false } });
    },

    /** An item of it is fed again (retry-item): a finished operation runs again. */
    async reopen(id: number, now = Date.now()): Promise<void> {
      await ops().updateMany({ where: { id }, data: { inProgress: true, updatedAt: new Date() } });
      await ops().updateMany({ where: { id, status: 'done' }, data: { status: 'running', finishedAt: null, runningSince: now } });
    },

    /** Item counts by status. */
    async counts(id: number): Promise<Record<ItemStatus, number>> {
      const rows = (await itemTable().where(ic('operationId'), id).groupBy(ic('status')).select(`${ic('status')} as status`).count('* as n')) as Array<{ status: ItemStatus; n: number | string }>;
      const out: Record<ItemStatus, number> = { waiting: 0, queued: 0, done: 0, failed: 0, skipped: 0, cancelled: 0 };
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    },

    async settledSince(id: number, since: number): Promise<number> {
      const r = (await itemTable().where(ic('operationId'), id).andWhere(ic('settledAt'), '>=', since).count('* as n').first()) as { n: number | string } | undefined;
      return Number(r?.n ?? 0);
    },

    async items(id: number, status: ItemStatus, limit: number, order: 'asc' | 'desc' = 'asc'): Promise<ItemRow[]> {
      const orderBy = status === 'failed' ? [{ settledAt: order }, { id: order }] : [{ id: order }];
      return (await items().findMany({ where: { operationId: id, status }, orderBy, limit })).map(toItem);
    },

    async item(id: number): Promise<ItemRow | null> {
      const r = await items().findOne({ where: { id } });
      return r ? toItem(r) : null;
    },

    /** Every item of an operation, by id in pages (check-replaced's observed ETags). */
    async *allItems(id: number, page = 500): AsyncGenerator<ItemRow> {
      let after = 0;
      for (;;) {
        const rows = (await items().findMany({ where: { operationId: id, id: { $gt: after } }, orderBy: { id: 'asc' }, limit: page })).map(toItem);
        for (const r of rows) yield r;
        if (rows.length < page) return;
        after = rows[rows.length - 1].id;
      }
    },

    /** Conditional item transition; true when this call made it. */
    async moveItem(itemId: number, from: ItemStatus[], to: ItemStatus, extra: Partial<Pick<ItemRow, 'jobIds' | 'claimedAt' | 'settledAt' | 'error' | 'observedEtag' | 'retry'>> = {}): Promise<boolean> {
      const data: Record<string, unknown> = { [ic('status')]: to };
      for (const [k, v] of Object.entries(extra)) data[ic(k)] = k === 'jobIds' || k === 'error' ? (v === null ? null : JSON.stringify(v)) : v;
      return Number(await itemTable().where(ic('id'), itemId).whereIn(ic('status'), from).update(data)) === 1;
    },

    /** Sets an item's fields without changing its status (only while it is still in `status`). */
    async setItem(itemId: number, status: ItemStatus, extra: Partial<Pick<ItemRow, 'jobIds' | 'observedEtag'>>): Promise<void> {
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(extra)) data[ic(k)] = k === 'jobIds' ? JSON.stringify(v) : v;
      await itemTable().where(ic('id'), itemId).andWhere(ic('status'), status).update(data);
    },

    /** Cancel: items not yet fed will never be. */
    async cancelWaiting(id: number, now = Date.now()): Promise<number> {
      return Number(await itemTable().where(ic('operationId'), id).andWhere(ic('status'), 'waiting').update({ [ic('status')]: 'cancelled', [ic('settledAt')]: now }));
    },
  };
}

export type OperationStore = ReturnType<typeof createOperationStore>;

/** The API shape of an operation, with its counters, rate, ETA and latest failures. */
export async function describeOperation(store: OperationStore, row: OperationRow, now = Date.now()): Promise<Operation> {
  const counts = await store.counts(row.id);
  const failedItems = await store.items(row.id, 'failed', FAILURES_LISTED, 'desc');
  const failures: OperationFailure[] = failedItems.map((it) => ({
    itemId: String(it.id),
    entry: it.video
      ? { uid: it.video.refs[0]?.uid ?? '', documentId: it.video.refs[0]?.documentId ?? '', ...(it.video.refs[0]?.locale ? { locale: it.video.refs[0].locale } : {}) }
      : { uid: it.entryUid ?? '', documentId: it.entryDocumentId ?? '', ...(it.entryLocale ? { locale: it.entryLocale } : {}) },
    fieldPath: it.video ? (it.video.refs[0]?.path ?? '') : (it.fieldPath ?? ''),
    error: it.error ?? { code: 'Unknown', message: 'The item failed without a recorded reason.' },
    at: new Date(it.settledAt ?? now).toISOString(),
  }));
  // Rate over the last minute of running: since it (re)started when that is less than a minute ago.
  let ratePerMinute: number | null = null;
  let etaSeconds: number | null = null;
  if (row.status === 'running' && row.runningSince !== null) {
    const window = Math.min(RATE_WINDOW_MS, now - row.runningSince);
    const settled = await store.settledSince(row.id, now - window);
    // Less than a few seconds of running says nothing about the rate yet.
    if (window >= 5_000 && settled > 0) {
      ratePerMinute = Math.round((settled * 60_000 * 10) / window) / 10;
      const left = counts.waiting + counts.queued;
      etaSeconds = Math.round((left / ratePerMinute) * 60);
    }
  }
  return {
    id: String(row.id),
    kind: row.kind,
    scope: row.scope,
    status: row.status,
    total: row.total,
    done: counts.done,
    failed: counts.failed,
    skipped: counts.skipped,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt !== null ? new Date(row.finishedAt).toISOString() : null,
    createdBy: row.createdById !== null ? { id: row.createdById, name: row.createdByName ?? '' } : null,
    ratePerMinute,
    etaSeconds,
    failures,
  };
}
