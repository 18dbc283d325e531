import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, loadStrapi, writeApp, type DatabaseSpec } from '../dev/app-kit';
import { createJobStore, JOB_UID } from '../server/src/jobs/store';
import { matchHash } from '../server/src/thumbnails/snapshot-key';
import { fullScans, jobQueryPlans, sampleJob, seedFinishedJobs } from '../tests/helpers/job-plans';
import { OFFLINE_PLUGIN_CONFIG, PLAIN_CLIP } from '../tests/helpers/plain-app';
import { startPostgres } from '../tests/helpers/postgres';
import { percentile, ms, timed, type Row } from './stats';

const DIR = path.join(REPO_ROOT, '.tmp', 'bench-jobs');
/** Plans printed for these operations (the rest are by primary key or rare). */
const SHOWN = ['poll', 'enqueue', 'count', 'claim', 'sweep'];

/**
 * The job table's poll (findDue), enqueue (active lookup + insert) and count (hasActive) at
 * growing numbers of finished jobs, on SQLite and PostgreSQL, with each query's plan printed at
 * the largest size. Flat times and index searches in the plans mean the table can hold what a
 * large backfill leaves behind for the retention period.
 */
export async function benchJobTable(sizes: number[], repeats: number): Promise<Row[]> {
  const rows: Row[] = [];
  fs.rmSync(DIR, { recursive: true, force: true });
  rows.push(...(await onDatabase('SQLite', sizes, repeats, async (dir) => ({ client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db'), synchronous: 'FULL' }))));
  const pg = await startPostgres();
  try {
    const database = await pg.createDatabase('cos_video_bench_jobs');
    rows.push(...(await onDatabase('PostgreSQL', sizes, repeats, async () => ({ client: 'postgres', connection: { host: pg.host, port: pg.port, database, user: pg.user } }))));
  } finally {
    await pg.stop();
  }
  return rows;
}

async function onDatabase(name: string, sizes: number[], repeats: number, database: (dir: string) => Promise<DatabaseSpec>): Promise<Row[]> {
  const dir = path.join(DIR, name.toLowerCase());
  await writeApp({
    dir,
    database: await database(dir),
    plugin: { from: 'path', path: REPO_ROOT },
    pluginConfig: { ...OFFLINE_PLUGIN_CONFIG, worker: { enabled: false } },
    contentTypes: [PLAIN_CLIP],
  });
  const strapi = await loadStrapi(dir);
  const rows: Row[] = [];
  try {
    let seeded = 0;
    const times: Record<string, number[]> = { poll: [], enqueue: [], count: [] };
    for (const size of [...sizes].sort((a, b) => a - b)) {
      console.log(`  ${name}: ${size.toLocaleString('en')} finished jobs…`);
      await seedFinishedJobs(strapi, size - seeded);
      seeded = size;
      const t = await timeOps(strapi, repeats);
      for (const op of Object.keys(times)) {
        times[op].push(percentile(t[op], 50));
        rows.push({
          benchmark: `job table ${op} (${name})`,
          n: size.toLocaleString('en'),
          result: `p50 ${ms(percentile(t[op], 50))}`,
          detail: `p95 ${ms(percentile(t[op], 95))}, ${repeats} runs`,
        });
      }
    }
    console.log(`\nQuery plans on ${name} with ${seeded.toLocaleString('en')} finished jobs:`);
    for (const e of await jobQueryPlans(strapi)) {
      if (!SHOWN.includes(e.op)) continue;
      const scans = fullScans(strapi.db.dialect.client as string, e.plan);
      console.log(`  [${e.op}] ${e.sql}`);
      for (const line of e.plan) console.log(`      ${line}`);
      if (scans.length) console.log(`      !! full scan: ${scans.join('; ')}`);
    }
    console.log('');
    for (const op of Object.keys(times)) {
      const v = times[op];
      rows.push({
        benchmark: `job table ${op} (${name}): largest / smallest p50`,
        n: `${sizes.length} sizes`,
        result: `${(v[v.length - 1] / v[0]).toFixed(2)}×`,
        detail: 'flat means about 1×',
      });
    }
  } finally {
    await strapi.destroy();
  }
  return rows;
}

/** `repeats` of each operation against the current table; the enqueued jobs are finished afterwards. */
async function timeOps(strapi: Core.Strapi, repeats: number): Promise<Record<string, number[]>> {
  const store = createJobStore(strapi);
  const out: Record<string, number[]> = { poll: [], enqueue: [], count: [] };
  const ids: number[] = [];
  const base = Math.floor(Math.random() * 1e9);
  for (let i = 0; i < repeats; i++) {
    const job = sampleJob(base + i);
    const e = await timed(() => store.enqueue(job));
    ids.push(e.value);
    out.enqueue.push(e.ms);
    out.count.push((await timed(() => store.hasActive(job.entryUid, job.entryDocumentId, matchHash(job.fingerprint)))).ms);
    out.poll.push((await timed(() => store.findDue(12))).ms);
  }
  // Finished, like everything else in the table: the next size starts with no active jobs.
  const meta = strapi.db.metadata.get(JOB_UID);
  const col = (a: string) => (meta.attributes[a] as { columnName?: string }).columnName ?? a;
  await strapi.db.connection(meta.tableName).whereIn(col('id'), ids).update({ [col('status')]: 'done' });
  return out;
}
