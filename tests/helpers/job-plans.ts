/**
 * The job table's real queries and their query plans, shared by the index test and `npm run bench`.
 *
 * The queries are not restated here: each job-store operation runs for real against the app's
 * database while knex's `query` event records the SQL it sends; every SELECT/UPDATE/DELETE on
 * the job table is then explained (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`).
 */
import type { Core } from '@strapi/strapi';
import { createJobStore, JOB_UID, type JobStore } from '../../server/src/jobs/store';
import { matchHash } from '../../server/src/thumbnails/snapshot-key';
import type { NewJob } from '../../server/src/thumbnails/types';
import { EMULATOR_BUCKET, EMULATOR_REGION } from '../../dev/app-kit/emulator-fixture';

export interface ExplainedQuery {
  /** The job-store operation that sent it (poll, enqueue, count, …). */
  op: string;
  sql: string;
  /** One line per plan node. */
  plan: string[];
}

interface Sent {
  sql: string;
  bindings: unknown[];
}

type Knex = Core.Strapi['db']['connection'];

const SNAPSHOT = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' } as const;

/** The bulk operation the plans' hold / release / drop name (no such operation: the statements are what count). */
const PLAN_OPERATION_ID = 424242;

/** A job as a save would enqueue it; `n` varies the video key (and so the matchHash). */
export const sampleJob = (n: number): NewJob => ({
  entryUid: 'api::clip.clip',
  entryDocumentId: `doc${n}`,
  entryLocale: 'en',
  fieldPath: 'video',
  fingerprint: { bucket: EMULATOR_BUCKET, region: EMULATOR_REGION, key: `videos/${n}.mp4`, snapshot: { ...SNAPSHOT } },
});

/** The store derives the matchHash from the fingerprint; the same function gives it here. */
const hashOf = (job: NewJob): string => matchHash(job.fingerprint);

const tableOf = (strapi: Core.Strapi): string => strapi.db.metadata.get(JOB_UID).tableName;
const columnOf = (strapi: Core.Strapi, attr: string): string =>
  (strapi.db.metadata.get(JOB_UID).attributes[attr] as { columnName?: string } | undefined)?.columnName ?? attr;

/**
 * Inserts `count` finished jobs (done / failed / superseded, each with its own entry and choice,
 * due in the past) in bulk through knex, as a large backfill leaves them for the retention period.
 * Then refreshes the planner's statistics, as autovacuum / `ANALYZE` would in production.
 */
export async function seedFinishedJobs(strapi: Core.Strapi, count: number, now = Date.now()): Promise<void> {
  const knex: Knex = strapi.db.connection;
  const c = (a: string) => columnOf(strapi, a);
  const statuses = ['done', 'failed', 'superseded'];
  // knex writes a multi-row insert on SQLite as a compound SELECT (at most 500 terms).
  const chunk = strapi.db.dialect.client === 'sqlite' ? 400 : 2000;
  const start = Number((await knex(tableOf(strapi)).max(`${c('id')} as m`).first())?.m ?? 0);
  await knex.transaction(async (trx) => {
    for (let from = 0; from < count; from += chunk) {
      const rows = [];
      for (let i = from; i < Math.min(count, from + chunk); i++) {
        const n = start + i + 1_000_000;
        rows.push({
          [c('documentId')]: `seed${n}`,
          [c('entryUid')]: 'api::clip.clip',
          [c('entryDocumentId')]: `seeddoc${n}`,
          [c('entryLocale')]: 'en',
          [c('fieldPath')]: 'video',
          [c('matchHash')]: `seed${n}`.padEnd(40, '0'),
          [c('fingerprint')]: '{}',
          [c('force')]: false,
          [c('status')]: statuses[i % 3],
          [c('attempts')]: 1,
          [c('runAt')]: now - 3_600_000 - i,
        });
      }
      await trx(tableOf(strapi)).insert(rows);
    }
  });
  await knex.raw(`ANALYZE ${strapi.db.dialect.client === 'sqlite' ? '' : '??'}`, strapi.db.dialect.client === 'sqlite' ? [] : [tableOf(strapi)]);
}

/** Runs `fn` and returns the statements it sent to the job table (reads, updates, deletes). */
async function capture(strapi: Core.Strapi, fn: () => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const table = tableOf(strapi);
  const listener = (q: { sql?: string; bindings?: unknown[] }) => {
    const sql = q.sql ?? '';
    if (/^\s*(select|update|delete)\b/i.test(sql) && sql.includes(table)) sent.push({ sql, bindings: q.bindings ?? [] });
  };
  const knex: Knex = strapi.db.connection;
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return sent;
}

/** The plan of one statement, one line per node. */
export async function explain(strapi: Core.Strapi, s: Sent): Promise<string[]> {
  const knex: Knex = strapi.db.connection;
  // knex.raw takes `?` placeholders; PostgreSQL's statements arrive numbered ($1, $2, … in order).
  const sql = s.sql.replace(/\$\d+/g, '?');
  const bindings = s.bindings.map((b) => (typeof b === 'bigint' ? Number(b) : b)) as never[];
  if (strapi.db.dialect.client === 'sqlite') {
    const rows = (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)) as Array<{ detail: string }>;
    return rows.map((r) => r.detail);
  }
  const res = (await knex.raw(`EXPLAIN ${sql}`, bindings)) as { rows: Array<Record<string, string>> };
  return res.rows.map((r) => r['QUERY PLAN']);
}

/**
 * Each store operation a worker or a save performs, run once against the current table, with
 * the plan of every statement it sent. Leaves one extra job behind (the enqueued one, finished).
 */
export async function jobQueryPlans(strapi: Core.Strapi, now = Date.now()): Promise<ExplainedQuery[]> {
  const store: JobStore = createJobStore(strapi);
  const job = sampleJob(Math.floor(Math.random() * 1e9));
  let id = 0;
  const ops: Array<[string, () => Promise<unknown>]> = [
    ['enqueue', async () => (id = await store.enqueue(job, now))],
    ['count', () => store.hasActive(job.entryUid, job.entryDocumentId, hashOf(job))],
    ['poll', () => store.findDue(12, now)],
    ['claim', () => store.claim(id, 'plan-worker', 60_000, now)],
    // the worker's claim round over several candidates: `id` (already held) is passed over, two new ones are claimed, then removed
    [
      'claimDue',
      async () => {
        const more = [await store.enqueue(sampleJob(Math.floor(Math.random() * 1e9)), now), await store.enqueue(sampleJob(Math.floor(Math.random() * 1e9)), now)];
        await store.claimDue([id, ...more], 'plan-worker-2', 60_000, 3, now);
        await strapi.db.query(JOB_UID).deleteMany({ where: { id: { $in: more } } });
      },
    ],
    // the worker's poll and claim as one round (one transaction on SQLite): two new jobs claimed, then removed
    [
      'pollAndClaim',
      async () => {
        const more = [await store.enqueue(sampleJob(Math.floor(Math.random() * 1e9)), now), await store.enqueue(sampleJob(Math.floor(Math.random() * 1e9)), now)];
        await store.pollAndClaim(2, 'plan-worker-3', 60_000, [id], now);
        await strapi.db.query(JOB_UID).deleteMany({ where: { id: { $in: more } } });
      },
    ],
    ['renew', () => store.renew(id, 'plan-worker', 60_000, now)],
    ['heldBy', () => store.heldBy(id, 'plan-worker')],
    ['supersede', () => store.supersede(job.entryUid, job.entryDocumentId, hashOf(job), id)],
    ['finish', () => store.finish(id, 'plan-worker', { status: 'failed', error: { code: 'Plan', message: 'query plan probe' } } as never)],
    ['sweep', () => store.sweep(now - 30 * 86_400_000)],
    // the Thumbnails page's bulk operations: pause, resume, cancel, settling items, counting
    ['hold', () => store.operations.hold(PLAN_OPERATION_ID)],
    ['release', () => store.operations.release(PLAN_OPERATION_ID, now)],
    ['drop', () => store.operations.drop(PLAN_OPERATION_ID)],
    ['states', () => store.operations.states([id])],
    ['activeKeys', () => store.operations.activeKeys(job.entryUid)],
  ];
  const out: ExplainedQuery[] = [];
  for (const [op, fn] of ops) {
    for (const s of await capture(strapi, fn)) out.push({ op, sql: s.sql, plan: await explain(strapi, s) });
  }
  return out;
}

/**
 * Plan lines that read the whole job table (or a whole index of it): SQLite `SCAN <table or alias>`
 * (a `SEARCH` uses an index range; `SCAN CONSTANT ROW` reads nothing), PostgreSQL `Seq Scan`.
 */
export function fullScans(client: string, plan: string[]): string[] {
  if (client === 'sqlite') return plan.filter((l) => /^SCAN (?!CONSTANT ROW)/.test(l.trim()));
  return plan.filter((l) => /Seq Scan on /.test(l));
}
