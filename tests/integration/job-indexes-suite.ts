/**
 * The job table's queries use its indexes, on a fresh database and on one created by a plugin
 * version without them (Strapi's schema sync adds them on the next boot). Shared by the SQLite and
 * the PostgreSQL suite; needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, loadStrapi, writeApp, type DatabaseSpec } from '../../dev/app-kit';
import { BULK_PRIORITY, JOB_UID, createJobStore } from '../../server/src/jobs/store';
import { fullScans, jobQueryPlans, sampleJob, seedFinishedJobs } from '../helpers/job-plans';
import { OFFLINE_PLUGIN_CONFIG, PLAIN_CLIP } from '../helpers/plain-app';

/** Enough finished jobs that PostgreSQL's planner prefers an index wherever one fits. */
const FINISHED = 20_000;
/** What the plugin's own schema declares, by name (what an older version did not have). */
const jobSchema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'server/src/content-types/job/schema.json'), 'utf8')) as {
  indexes?: Array<{ name: string }>;
};
const declared = (jobSchema.indexes ?? []).map((i) => i.name);

export function jobIndexSuite(name: string, database: (dir: string) => Promise<DatabaseSpec>): void {
  describe(`job table indexes (${name})`, () => {
    let strapi: Core.Strapi | undefined;
    const parent = path.join(REPO_ROOT, '.tmp', 'integration');
    fs.mkdirSync(parent, { recursive: true });
    const dir = fs.mkdtempSync(path.join(parent, 'job-indexes-'));
    const table = () => strapi!.db.metadata.get(JOB_UID).tableName;
    const indexNames = async () => (await strapi!.db.dialect.schemaInspector.getIndexes(table())).map((i) => i.name).sort();

    beforeAll(async () => {
      await writeApp({
        dir,
        database: await database(dir),
        plugin: { from: 'path', path: REPO_ROOT },
        // No worker: its polls would run between the statements being explained.
        pluginConfig: { ...OFFLINE_PLUGIN_CONFIG, worker: { enabled: false } },
        contentTypes: [PLAIN_CLIP],
      });
      strapi = await loadStrapi(dir);
      await seedFinishedJobs(strapi, FINISHED);
    });

    afterAll(async () => {
      await strapi?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const expectIndexedPlans = async () => {
      const explained = await jobQueryPlans(strapi!);
      // Every operation the worker and the save path use sent at least one statement.
      expect([...new Set(explained.map((e) => e.op))]).toEqual(['enqueue', 'count', 'poll', 'claim', 'claimDue', 'pollAndClaim', 'renew', 'heldBy', 'supersede', 'finish', 'sweep', 'hold', 'release', 'drop', 'states', 'activeKeys']);
      const scans = explained
        .map((e) => ({ op: e.op, sql: e.sql, scans: fullScans(strapi!.db.dialect.client as string, e.plan), plan: e.plan }))
        .filter((e) => e.scans.length > 0);
      expect(scans).toEqual([]);
    };

    it('no query of the worker or the save path reads the whole job table', async () => {
      await expectIndexedPlans();
    });

    it("the poll takes editors' jobs (priority 0) before older bulk ones (priority 10), then oldest first", async () => {
      const store = createJobStore(strapi!);
      const now = Date.now();
      const bulkOld = await store.enqueue({ ...sampleJob(910_001), priority: BULK_PRIORITY, operationId: 1 }, now - 60_000);
      const bulkNew = await store.enqueue({ ...sampleJob(910_002), priority: BULK_PRIORITY, operationId: 1 }, now - 30_000);
      const editor = await store.enqueue(sampleJob(910_003), now - 1_000);
      const editorOld = await store.enqueue(sampleJob(910_004), now - 2_000);
      expect(await store.findDue(10, now)).toEqual([editorOld, editor, bulkOld, bulkNew]);
      // held (a paused operation) → not due; released → due again
      expect(await store.operations.hold(1)).toBe(2);
      expect(await store.findDue(10, now)).toEqual([editorOld, editor]);
      // an editor asking for a held bulk job's very choice takes it over at editor priority
      expect(await store.enqueue(sampleJob(910_002), now)).toBe(bulkNew);
      expect(await store.findDue(10, now)).toEqual([editorOld, editor, bulkNew]);
      expect(await store.operations.release(1, now)).toBe(1);
      expect(await store.findDue(10, now)).toEqual([editorOld, editor, bulkNew, bulkOld]);
      expect(await store.operations.drop(1)).toBe(1);
      expect(await store.findDue(10, now)).toEqual([editorOld, editor, bulkNew]);
      await strapi!.db.query(JOB_UID).deleteMany({ where: { id: { $in: [bulkOld, bulkNew, editor, editorOld] } } });
    });

    it('a claim returns the job as the worker now holds it (no second read), and null to every other claimer', async () => {
      const store = createJobStore(strapi!);
      const now = Date.now();
      const id = await store.enqueue(sampleJob(910_101), now - 1_000);
      const claimed = await store.claim(id, 'worker-a', 60_000, now);
      expect(claimed).toEqual(await store.get(id));
      expect(claimed).toMatchObject({ id, status: 'running', lockedBy: 'worker-a', attempts: 1, entryDocumentId: 'doc910101', fieldPath: 'video', force: false });
      expect(claimed!.lockedUntil).toBeGreaterThanOrEqual(now + 60_000);
      expect(claimed!.fingerprint).toEqual(sampleJob(910_101).fingerprint);
      expect(await store.claim(id, 'worker-b', 60_000, now)).toBeNull();
      expect(await store.heldBy(id, 'worker-a')).toBe(true);
      expect(await store.heldBy(id, 'worker-b')).toBe(false);
      await store.finish(id, 'worker-a', { status: 'failed', thumbnail: null, media: null, error: { code: 'Test', message: 'done with it' } });
      expect(await store.heldBy(id, 'worker-a')).toBe(false);
      expect(await store.claim(id, 'worker-b', 60_000, now)).toBeNull();
      await strapi!.db.query(JOB_UID).deleteMany({ where: { id } });
    });

    it('one claim round takes up to the free slots in priority order, one job per choice, in one transaction; a second claimer gets none of them', async () => {
      const store = createJobStore(strapi!);
      const now = Date.now();
      const bulk = await store.enqueue({ ...sampleJob(910_201), priority: BULK_PRIORITY, operationId: 2 }, now - 60_000);
      const editorA = await store.enqueue(sampleJob(910_202), now - 3_000);
      // the same choice as editorA for another entry: single flight lets only one of the two run
      const twin = await store.enqueue({ ...sampleJob(910_202), entryDocumentId: 'doc910202b' }, now - 2_000);
      const editorB = await store.enqueue(sampleJob(910_203), now - 1_000);
      const due = await store.findDue(10, now);
      expect(due).toEqual([editorA, twin, editorB, bulk]);

      const statements: string[] = [];
      const onQuery = (q: { sql?: string }) => statements.push(String(q.sql ?? ''));
      strapi!.db.connection.on('query', onQuery);
      let claimed;
      try {
        claimed = await store.claimDue(due, 'worker-a', 60_000, 2, now);
      } finally {
        strapi!.db.connection.removeListener('query', onQuery);
      }
      expect(claimed.map((j) => j.id)).toEqual([editorA, editorB]);
      for (const job of claimed) {
        expect(job).toEqual(await store.get(job.id));
        expect(job).toMatchObject({ status: 'running', lockedBy: 'worker-a', attempts: 1 });
        expect(job.lockedUntil).toBeGreaterThanOrEqual(now + 60_000);
      }
      // one transaction: the locked read and one UPDATE for both jobs
      expect(statements.filter((q) => /^\s*begin/i.test(q))).toHaveLength(1);
      expect(statements.filter((q) => /^\s*update/i.test(q))).toHaveLength(1);

      // the twin waits while editorA's lease is live; the bulk job is free for the next claimer
      expect((await store.claimDue(due, 'worker-b', 60_000, 4, now)).map((j) => j.id)).toEqual([bulk]);
      expect(await store.claimDue(due, 'worker-c', 60_000, 4, now)).toEqual([]);
      expect(await store.heldBy(editorA, 'worker-a')).toBe(true);
      expect(await store.heldBy(bulk, 'worker-b')).toBe(true);
      await strapi!.db.query(JOB_UID).deleteMany({ where: { id: { $in: [bulk, editorA, twin, editorB] } } });
    });

    it("the worker's poll and claim round: most urgent first, one job per choice, none it runs already, each with its choice's newest done sibling; on SQLite one transaction of one read and one UPDATE", async () => {
      const store = createJobStore(strapi!);
      const now = Date.now();
      // a finished job of editorA's choice (another entry): single flight's follower reuses its image
      const doneTwin = await store.enqueue({ ...sampleJob(910_302), entryDocumentId: 'doc910302done' }, now - 9_000);
      expect(await store.claim(doneTwin, 'worker-0', 60_000, now - 9_000)).not.toBeNull();
      await store.finish(doneTwin, 'worker-0', { status: 'failed', thumbnail: null, media: null, error: { code: 'Test', message: 'not a done one' } });
      const doneSibling = await store.enqueue({ ...sampleJob(910_302), entryDocumentId: 'doc910302ok' }, now - 8_000);
      await store.claim(doneSibling, 'worker-0', 60_000, now - 8_000);
      await store.finish(doneSibling, 'worker-0', { status: 'ready', thumbnail: null, media: null, error: null } as never);
      const bulk = await store.enqueue({ ...sampleJob(910_301), priority: BULK_PRIORITY, operationId: 3 }, now - 60_000);
      const editorA = await store.enqueue(sampleJob(910_302), now - 3_000);
      const twin = await store.enqueue({ ...sampleJob(910_302), entryDocumentId: 'doc910302b' }, now - 2_000);
      const editorB = await store.enqueue(sampleJob(910_303), now - 1_000);
      const mine = await store.enqueue(sampleJob(910_304), now - 4_000);

      const statements: string[] = [];
      const onQuery = (q: { sql?: string }) => statements.push(String(q.sql ?? ''));
      strapi!.db.connection.on('query', onQuery);
      let claimed;
      try {
        claimed = await store.pollAndClaim(3, 'worker-a', 60_000, [mine], now);
      } finally {
        strapi!.db.connection.removeListener('query', onQuery);
      }
      expect(claimed.map((j) => j.id)).toEqual([editorA, editorB, bulk]);
      for (const job of claimed) {
        const { doneSibling: _, ...stored } = job;
        expect(stored).toEqual(await store.get(job.id));
        expect(job).toMatchObject({ status: 'running', lockedBy: 'worker-a', attempts: 1 });
      }
      expect(claimed[0].doneSibling).toBe(doneSibling);
      expect(claimed[1].doneSibling).toBeUndefined();
      expect(statements.filter((q) => /^\s*update/i.test(q))).toHaveLength(1);
      if (strapi!.db.dialect.client === 'sqlite') expect(statements.map((q) => q.trim().split(/\s/)[0].toLowerCase())).toEqual(['begin;', 'select', 'update', 'commit;']);
      // the twin waits while editorA's lease is live; nothing else is due
      expect(await store.pollAndClaim(3, 'worker-b', 60_000, [mine], now)).toEqual([]);
      await strapi!.db.query(JOB_UID).deleteMany({ where: { id: { $in: [doneTwin, doneSibling, bulk, editorA, twin, editorB, mine] } } });
    });

    it('an existing database without the indexes gets them on the next boot', async () => {
      const fresh = await indexNames();
      expect(declared.length).toBeGreaterThan(0);
      for (const n of declared) expect(fresh).toContain(n);

      // Put the database back where an older plugin version left it: the indexes gone, and the
      // schema Strapi stored after its last sync without them (so only the new schema adds them).
      const knex = strapi!.db.connection;
      for (const n of declared) await knex.schema.table(table(), (t) => t.dropIndex([], n));
      const stored = await knex('strapi_database_schema').orderBy('id', 'desc').first();
      const schema = typeof stored.schema === 'string' ? JSON.parse(stored.schema) : stored.schema;
      for (const t of schema.tables) {
        if (t.name === table()) t.indexes = t.indexes.filter((i: { name: string }) => !declared.includes(i.name));
      }
      await knex('strapi_database_schema').where('id', stored.id).update({ schema: JSON.stringify(schema), hash: 'before-job-indexes' });
      expect(await indexNames()).toEqual(fresh.filter((n) => !declared.includes(n)));

      await strapi!.destroy();
      strapi = undefined;
      strapi = await loadStrapi(dir);
      expect(await indexNames()).toEqual(fresh);
      await expectIndexedPlans();
    });
  });
}
