import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { matchHash } from '../thumbnails/snapshot-key';
import type { JobError, JobResult, JobRow, JobStatus, NewJob } from '../thumbnails/types';
import { json, num } from '../utils/db-values';
import type { DbTransaction } from '../field/entries';

export const JOB_UID = `plugin::${PLUGIN_ID}.job` as const;

const ACTIVE: JobStatus[] = ['queued', 'running'];

/** Job priority of editors' saves and Regenerate: lower runs first. */
export const EDITOR_PRIORITY = 0;
/** Job priority of the Thumbnails page's bulk operations: behind every editor's job. */
export const BULK_PRIORITY = 10;
/** `runAt` of a paused operation's jobs (epoch ms in the year 275760: never due). */
export const HELD_RUN_AT = 8_640_000_000_000_000;

type Knex = Core.Strapi['db']['connection'];

/**
 * The job table. Inserts and lookups go through strapi.db.query (so they join the caller's
 * transaction); claiming, lease renewal and completion are conditional UPDATEs through knex
 * whose affected-row count decides who won — the same SQL on SQLite, PostgreSQL, MySQL.
 *
 * Single flight: jobs with the same matchHash (the same video and snapshot choice, e.g. twenty
 * entries created at once with it) never run at the same time, in any worker of any instance.
 * Each waits until its running sibling has finished; by then the thumbnail object exists
 * under the key derived from the fingerprint, so the follower reuses it (HEAD, no GetSnapshot).
 */
export function createJobStore(strapi: Core.Strapi) {
  const query = () => strapi.db.query(JOB_UID);
  const meta = () => strapi.db.metadata.get(JOB_UID);
  const col = (attr: string): string => {
    const a = meta().attributes[attr] as { columnName?: string } | undefined;
    return a?.columnName ?? attr;
  };
  const table = (): ReturnType<Knex> => strapi.db.getConnection(meta().tableName) as ReturnType<Knex>;
  const knex = (): Knex => strapi.db.connection;

  /** Jobs claimable right now: active, due, not leased (or lease expired). */
  const claimable = (qb: ReturnType<Knex>, now: number) =>
    qb
      .whereIn(col('status'), ACTIVE)
      .andWhere(col('runAt'), '<=', now)
      .andWhere((q) => q.whereNull(col('lockedUntil')).orWhere(col('lockedUntil'), '<', now));
  /** The claimable() condition on a row already read (claimDue picks with it; its UPDATE still decides). */
  const claimableAt = (r: Record<string, unknown>, now: number) => {
    const until = num(r.lockedUntil);
    return ACTIVE.includes(r.status as JobStatus) && (num(r.runAt) ?? Infinity) <= now && (until === null || until < now);
  };
  /** A sibling (same matchHash) holds a live lease: it is generating this very thumbnail now. */
  const siblingRunning = (rows: Array<Record<string, unknown>>, id: number, now: number) =>
    rows.some((r) => Number(r.id) !== id && r.status === 'running' && (num(r.lockedUntil) ?? -Infinity) >= now);

  /** Queued (not running) jobs of one bulk operation that still have its bulk priority. */
  const operationQueued = (operationId: number) =>
    table().where(col('operationId'), operationId).andWhere(col('status'), 'queued').andWhere(col('priority'), '>', EDITOR_PRIORITY);

  const operations = {
    /** Holds back an operation's queued jobs (pause): due only at HELD_RUN_AT, i.e. never, until released. */
    async hold(operationId: number): Promise<number> {
      return Number(await operationQueued(operationId).andWhere(col('runAt'), '<', HELD_RUN_AT).update({ [col('runAt')]: HELD_RUN_AT }));
    },
    /** Makes an operation's held jobs due again (resume). */
    async release(operationId: number, now = Date.now()): Promise<number> {
      return Number(await operationQueued(operationId).andWhere(col('runAt'), '>=', HELD_RUN_AT).update({ [col('runAt')]: now }));
    },
    /** Drops an operation's queued jobs (cancel); running ones finish. */
    async drop(operationId: number): Promise<number> {
      return Number(await operationQueued(operationId).update({ [col('status')]: 'superseded', [col('lockedUntil')]: null }));
    },
    /** Status and result of the given jobs (an operation's items settle from them). */
    async states(ids: number[]): Promise<Array<Pick<JobRow, 'id' | 'status' | 'result' | 'lastError'>>> {
      if (ids.length === 0) return [];
      const rows = await query().findMany({ where: { id: { $in: ids } }, select: ['id', 'status', 'result', 'lastError'] });
      return rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        status: r.status as JobStatus,
        result: json<JobResult>(r.result),
        lastError: json<JobError>(r.lastError),
      }));
    },
    /** Keys (`documentId` NUL `matchHash`) of the active jobs of one content type, read by id in pages. */
    async activeKeys(entryUid: string): Promise<Set<string>> {
      const out = new Set<string>();
      let after = 0;
      for (;;) {
        const rows = await query().findMany({
          where: { entryUid, status: { $in: ACTIVE }, id: { $gt: after } },
          select: ['id', 'entryDocumentId', 'matchHash'],
          orderBy: { id: 'asc' },
          limit: 1000,
        });
        for (const r of rows) out.add(`${r.entryDocumentId}\u0000${r.matchHash}`);
        if (rows.length < 1000) return out;
        after = Number(rows[rows.length - 1].id);
      }
    },
  };

  /**
   * Claims up to `max` of the candidate jobs `ids` (findDue's answer, most urgent first) for
   * this worker in one transaction, and returns them as the worker now holds them (status
   * `running`, its lease, attempts counted), most urgent first. A candidate is left out when
   * another worker holds it, it is no longer due, or a job with its matchHash holds a live lease
   * or comes earlier in this batch (single flight). Statements, however many jobs: read the
   * candidates together with every active job sharing a matchHash with one, locked in id order
   * (PostgreSQL / MySQL `FOR UPDATE`, so concurrent claimers queue instead of deadlocking, and a
   * second instance's claim waits and then sees this one's leases; SQLite runs one write
   * transaction at a time anyway), then one conditional UPDATE whose affected-row count says
   * whether every chosen job was won (else one read of which ones carry this claim's lease).
   * The rows come from the locked read with the UPDATE's changes applied: no second read. Each
   * carries `doneSibling`, the newest done job of its choice, when there is one (single flight's
   * follower reuses that image: reuseFinished).
   */
  async function claimDue(ids: number[], workerId: string, leaseMs: number, max = ids.length, now = Date.now()): Promise<JobRow[]> {
    if (ids.length === 0 || max <= 0) return [];
    return knex().transaction(async (trx) => {
      const t = tableIn(trx);
      const locked = t()
        .select(...claimColumns(trx))
        .whereIn(col('matchHash'), t().select(col('matchHash')).whereIn(col('id'), ids))
        .whereIn(col('status'), ACTIVE)
        .orderBy(col('id'), 'asc');
      const rows = (strapi.db.dialect.client === 'sqlite' ? await locked : await locked.forUpdate()) as Array<Record<string, unknown>>;
      // The time once the locks are ours: waiting for them can take longer than a lease, and a
      // lease dated from before the wait could be over at commit (found by the soak: a second
      // worker claimed the job while the first one was starting it).
      const at = Math.max(now, Date.now());
      const byHash = new Map<string, Array<Record<string, unknown>>>();
      for (const r of rows) byHash.set(String(r.matchHash), [...(byHash.get(String(r.matchHash)) ?? []), r]);
      const chosen: Array<Record<string, unknown>> = [];
      const taken = new Set<string>();
      for (const id of ids) {
        if (chosen.length >= max) break;
        const own = rows.find((r) => Number(r.id) === id);
        if (!own || taken.has(String(own.matchHash)) || !claimableAt(own, at)) continue;
        if (siblingRunning(byHash.get(String(own.matchHash)) ?? [], id, at)) continue;
        taken.add(String(own.matchHash));
        chosen.push(own);
      }
      return take(trx, chosen, workerId, leaseMs, at);
    });
  }

  /**
   * The poll and the claim as one round: up to `max` due jobs (findDue's order and single
   * flight), claimed for this worker, as claimDue returns them; `exclude`: jobs this process
   * runs already. On SQLite one write transaction holds the whole database, so the poll's own
   * read inside it is what the claim decides on: BEGIN, one SELECT of the due rows, one UPDATE,
   * COMMIT (the poll outside plus claimDue's locked read would be one statement more). Elsewhere
   * findDue then claimDue, whose locked read serialises concurrent claimers of other instances.
   */
  async function pollAndClaim(max: number, workerId: string, leaseMs: number, exclude: number[] = [], now = Date.now()): Promise<JobRow[]> {
    if (max <= 0) return [];
    if (strapi.db.dialect.client !== 'sqlite') {
      const ids = (await findDue(max * 3 + exclude.length, now)).filter((id) => !exclude.includes(id));
      return claimDue(ids, workerId, leaseMs, max, now);
    }
    return knex().transaction((trx) => pollAndClaimIn(trx, max, workerId, leaseMs, exclude, now));
  }

  /** SQLite: pollAndClaim's read and claim inside the caller's write transaction `trx`. */
  async function pollAndClaimIn(trx: Knex, max: number, workerId: string, leaseMs: number, exclude: number[], now: number): Promise<JobRow[]> {
    const q = due(tableIn(trx)().select(...claimColumns(trx)), now, trx);
    // Candidates beyond `max` stand in for those single flight holds back within this batch.
    const rows = (await (exclude.length > 0 ? q.whereNotIn(col('id'), exclude) : q).limit(max * 3)) as Array<Record<string, unknown>>;
    const chosen: Array<Record<string, unknown>> = [];
    const taken = new Set<string>();
    for (const r of rows) {
      if (chosen.length >= max) break;
      if (taken.has(String(r.matchHash))) continue;
      taken.add(String(r.matchHash));
      chosen.push(r);
    }
    return take(trx, chosen, workerId, leaseMs, Math.max(now, Date.now()));
  }

  /**
   * The next jobs for a worker, claimed inside the transaction `trx` that finishes its last one,
   * so a busy worker pays one commit per job instead of two (with SQLite's default
   * `synchronous` FULL, each commit waits for the disk and, in better-sqlite3, blocks the event
   * loop meanwhile). SQLite only, where one write transaction at a time holds the whole database:
   * the claim there cannot wait on anyone. Elsewhere null, and the worker claims after the commit
   * as before (PostgreSQL's claim locks candidate rows FOR UPDATE; taking those while the
   * finishing transaction holds entry and job rows could deadlock with another worker's finish).
   */
  async function claimNextWithin(trx: DbTransaction, max: number, workerId: string, leaseMs: number, exclude: number[], now = Date.now()): Promise<JobRow[] | null> {
    if (strapi.db.dialect.client !== 'sqlite') return null;
    if (max <= 0) return [];
    return pollAndClaimIn(trx as unknown as Knex, max, workerId, leaseMs, exclude, now);
  }

  /** The job table inside transaction `trx`. */
  const tableIn = (trx: Knex) => {
    const name = meta().tableName;
    const schema = strapi.db.getSchemaName();
    return () => (schema ? trx(name).withSchema(schema) : trx(name));
  };

  /**
   * Single flight's look for a finished sibling, riding along a read of job rows: the newest done
   * job of each row's choice (the index on match_hash, status), so a job without one costs no
   * statement of its own.
   */
  const doneSiblingOf = (trx: Knex) => {
    const name = meta().tableName;
    const schema = strapi.db.getSchemaName();
    return (schema ? trx({ d: name }).withSchema(schema) : trx({ d: name }))
      .max(`d.${col('id')}`)
      .whereRaw('?? = ??', [`d.${col('matchHash')}`, `${name}.${col('matchHash')}`])
      .andWhere(`d.${col('status')}`, 'done')
      .as('doneSibling');
  };

  /** What a claim reads of each job row: every attribute, and its newest done sibling (doneSiblingOf). */
  const claimColumns = (trx: Knex) => [...JOB_ATTRIBUTES.map((a) => `${col(a)} as ${a}`), doneSiblingOf(trx)];

  /**
   * The poll's condition and order on `qb` (a read of the job table): claimable now, no sibling
   * with the same matchHash holding a live lease (single flight), most urgent priority first
   * (editors' jobs before bulk ones), then oldest first.
   */
  function due(qb: ReturnType<Knex>, now: number, k: Knex = knex()) {
    const name = meta().tableName;
    const schema = strapi.db.getSchemaName();
    return claimable(qb, now)
      .whereNotExists((sub) => {
        (schema ? sub.withSchema(schema) : sub)
          .select(k.raw('1'))
          .from({ sib: name })
          .whereRaw('?? = ??', [`sib.${col('matchHash')}`, `${name}.${col('matchHash')}`])
          .andWhere(`sib.${col('status')}`, 'running')
          .andWhere(`sib.${col('lockedUntil')}`, '>=', now);
      })
      .orderBy([
        { column: col('priority'), order: 'asc' },
        { column: col('runAt'), order: 'asc' },
      ]);
  }

  /** Due candidates (see due()), at most `limit`. */
  async function findDue(limit: number, now = Date.now()): Promise<number[]> {
    const rows = await due(table().select(col('id') + ' as id'), now).limit(limit);
    return rows.map((r: { id: number | string }) => Number(r.id));
  }

  /**
   * Claims the `chosen` rows (read in this transaction) for the worker with one conditional
   * UPDATE, and returns them as the worker now holds them, in their order.
   */
  async function take(trx: Knex, chosen: Array<Record<string, unknown>>, workerId: string, leaseMs: number, at: number): Promise<JobRow[]> {
    if (chosen.length === 0) return [];
    const t = tableIn(trx);
    const chosenIds = chosen.map((r) => Number(r.id));
    const until = at + leaseMs;
    const n = await claimable(t().whereIn(col('id'), chosenIds), at).update({
      [col('lockedBy')]: workerId,
      [col('lockedUntil')]: until,
      [col('status')]: 'running',
      [col('attempts')]: trx.raw('?? + 1', [col('attempts')]),
    });
    let won = new Set(chosenIds);
    if (Number(n) !== chosenIds.length) {
      // Only where the read before did not lock (a database without row locks): ask which rows carry this claim.
      const mine = await t()
        .select(col('id') + ' as id')
        .whereIn(col('id'), chosenIds)
        .andWhere(col('lockedBy'), workerId)
        .andWhere(col('lockedUntil'), until)
        .andWhere(col('status'), 'running');
      won = new Set(mine.map((r: { id: unknown }) => Number(r.id)));
    }
    return chosen
      .filter((r) => won.has(Number(r.id)))
      .map((r) => {
        const job = toJob(r);
        const sibling = num(r.doneSibling);
        return {
          ...job,
          status: 'running' as const,
          lockedBy: workerId,
          lockedUntil: until,
          attempts: job.attempts + 1,
          ...(sibling !== null ? { doneSibling: sibling } : {}),
        };
      });
  }

  return {
    /** Records a job, or returns the active one for the same entry and choice (unless forced). */
    async enqueue(job: NewJob, now = Date.now()): Promise<number> {
      const hash = matchHash(job.fingerprint);
      const priority = job.priority ?? EDITOR_PRIORITY;
      const active = await query().findMany({
        where: { entryUid: job.entryUid, entryDocumentId: job.entryDocumentId, matchHash: hash, status: { $in: ACTIVE } },
        select: ['id', 'priority', 'runAt'],
      });
      if (active.length > 0 && !job.force) {
        const found = active[0];
        // An editor asking for what a bulk operation has queued (or held while paused): it goes first now.
        if (Number(found.priority ?? 0) > priority) {
          await table()
            .where(col('id'), Number(found.id))
            .update({ [col('priority')]: priority, [col('runAt')]: Math.min(Number(found.runAt), now) });
        }
        return Number(found.id);
      }
      const created = await query().create({
        data: {
          entryUid: job.entryUid,
          entryDocumentId: job.entryDocumentId,
          entryLocale: job.entryLocale ?? null,
          fieldPath: job.fieldPath ?? null,
          matchHash: hash,
          fingerprint: job.fingerprint,
          force: !!job.force,
          status: 'queued',
          attempts: 0,
          runAt: now,
          priority,
          operationId: job.operationId ?? null,
          lockedBy: null,
          lockedUntil: null,
          lastError: null,
          result: null,
          videoCheck: job.videoCheck ?? null,
        },
      });
      return Number(created.id);
    },

    async get(id: number): Promise<JobRow | null> {
      const row = await query().findOne({ where: { id } });
      return row ? toJob(row) : null;
    },

    /** Whether an unfinished job exists for this entry and choice. */
    async hasActive(entryUid: string, entryDocumentId: string, hash: string): Promise<boolean> {
      return (await query().count({ where: { entryUid, entryDocumentId, matchHash: hash, status: { $in: ACTIVE } } })) > 0;
    },

    /** Due candidates, most urgent priority first (editors' jobs before bulk ones), then oldest first, leaving out jobs whose choice is being generated right now (single flight). */
    findDue,

    claimDue,

    pollAndClaim,

    claimNextWithin,

    /** One job claimed as claimDue claims a batch: the job as this worker now holds it, or null when it is not claimable or another worker won it. */
    async claim(id: number, workerId: string, leaseMs: number, now = Date.now()): Promise<JobRow | null> {
      return (await claimDue([id], workerId, leaseMs, 1, now))[0] ?? null;
    },

    /** Whether the job is running under this worker's lock right now (status and owner only: one cheap read). */
    async heldBy(id: number, workerId: string): Promise<boolean> {
      const row = await owned(id, workerId).first(col('id') + ' as id');
      return !!row;
    },

    /** Extends the lease; false when the job is no longer ours (lease lost). */
    async renew(id: number, workerId: string, leaseMs: number, now = Date.now()): Promise<boolean> {
      const n = await table()
        .where(col('id'), id)
        .andWhere(col('lockedBy'), workerId)
        .andWhere(col('status'), 'running')
        .update({ [col('lockedUntil')]: now + leaseMs });
      return Number(n) === 1;
    },

    /** Done or failed with this result while this worker holds the job; `trx`: inside that knex transaction. False when the job is no longer ours. */
    async finish(id: number, workerId: string, result: JobResult, trx?: DbTransaction): Promise<boolean> {
      const q = owned(id, workerId);
      const n = await (trx ? q.transacting(trx) : q).update({
        [col('status')]: result.status === 'ready' ? 'done' : 'failed',
        [col('result')]: JSON.stringify(result),
        [col('lastError')]: result.error ? JSON.stringify(result.error) : null,
        [col('lockedUntil')]: null,
      });
      return Number(n) === 1;
    },

    /** Back to the queue, due at `runAt` (epoch ms); false when the job is no longer ours. */
    async retryLater(id: number, workerId: string, runAt: number, error: JobError): Promise<boolean> {
      const n = await owned(id, workerId).update({
        [col('status')]: 'queued',
        [col('runAt')]: runAt,
        [col('lockedBy')]: null,
        [col('lockedUntil')]: null,
        [col('lastError')]: JSON.stringify(error),
      });
      return Number(n) === 1;
    },

    /** Deletes finished jobs that became due before `before` (the table would grow forever otherwise). */
    async sweep(before: number): Promise<number> {
      const n = await table()
        .whereIn(col('status'), ['done', 'failed', 'superseded'])
        .andWhere(col('runAt'), '<', before)
        .delete();
      return Number(n);
    },

    /** Marks older active jobs for the same entry and choice as replaced by a newer one. */
    async supersede(entryUid: string, entryDocumentId: string, hash: string, exceptId: number): Promise<void> {
      await table()
        .where(col('entryUid'), entryUid)
        .andWhere(col('entryDocumentId'), entryDocumentId)
        .andWhere(col('matchHash'), hash)
        .whereIn(col('status'), ACTIVE)
        .whereNot(col('id'), exceptId)
        .update({ [col('status')]: 'superseded', [col('lockedUntil')]: null });
    },

    operations,
  };

  function owned(id: number, workerId: string) {
    return table().where(col('id'), id).andWhere(col('lockedBy'), workerId).andWhere(col('status'), 'running');
  }
}

export type JobStore = ReturnType<typeof createJobStore>;

/** The job attributes toJob reads (claim selects exactly these, by column name). */
const JOB_ATTRIBUTES = [
  'id',
  'entryUid',
  'entryDocumentId',
  'entryLocale',
  'fieldPath',
  'matchHash',
  'fingerprint',
  'force',
  'status',
  'attempts',
  'runAt',
  'lockedBy',
  'lockedUntil',
  'lastError',
  'result',
  'videoCheck',
] as const;



function toJob(row: Record<string, unknown>): JobRow {
  return {
    id: Number(row.id),
    entryUid: String(row.entryUid),
    entryDocumentId: String(row.entryDocumentId),
    entryLocale: (row.entryLocale as string | null) ?? null,
    fieldPath: (row.fieldPath as string | null) ?? null,
    matchHash: String(row.matchHash),
    fingerprint: json(row.fingerprint)!,
    force: !!row.force,
    status: row.status as JobStatus,
    attempts: Number(row.attempts ?? 0),
    runAt: num(row.runAt) ?? 0,
    lockedBy: (row.lockedBy as string | null) ?? null,
    lockedUntil: num(row.lockedUntil),
    lastError: json(row.lastError),
    result: json(row.result),
    videoCheck: json(row.videoCheck),
  };
}
