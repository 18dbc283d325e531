/**
 * Two Strapi processes on one PostgreSQL database: every job is claimed by exactly one of
 * them (one conditional UPDATE decides), so each thumbnail costs exactly one GetSnapshot —
 * even though every job outlives the lease, which the running worker keeps renewing; and one
 * choice saved in many entries at once on both instances costs one GetSnapshot (single flight).
 */
import { createAdmin, type SpawnedStrapi } from '../../dev/app-kit';
import { type RunningEmulator } from '../../dev/emulator';
import { readFrameIndex } from '../../dev/media';
import { BUCKET, download, snapshotRequests, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID } from '../helpers/clip-app';
import { ContentManager } from '../helpers/content-manager';
import type { PgCluster } from '../helpers/postgres';
import { preparePgClipApp, type PgClipApp } from '../helpers/pg-clip-app';
import { holds, overlaps } from '../../dev/soak/leases';
import { parseLeaseLine, type LeaseEvent } from '../../server/src/jobs/audit';

let env: PgClipApp;
let pg: PgCluster;
let emu: RunningEmulator;
let apps: SpawnedStrapi[];
let DB: string;
const ENTRIES = 8;
const LEASE_MS = 2500;
const COS_LATENCY_MS = 1500; // per GetSnapshot and per videoinfo: a job takes > LEASE_MS

beforeAll(async () => {
  env = await preparePgClipApp('postgres', { db: 'cos_video_two_instances', leaseMs: LEASE_MS });
  ({ pg, emu, apps, db: DB } = env);
  // debug: the workers' lease lines (server/src/jobs/audit.ts), read by the stalled-worker test
  for (let i = 0; i < 2; i++) await env.spawn({ STRAPI_LOG_LEVEL: 'debug' });
});

afterAll(() => env?.close());

it('each job is done exactly once across two instances', async () => {
  const { token } = await createAdmin(apps[0].url, { email: 'pg@example.com', password: 'Postgres12345' });
  const cms = apps.map((a) => new ContentManager(a.url, token, CLIP_UID));
  // Each job takes a while at COS, so one instance alone cannot keep up with its own saves,
  // and longer than the lease: only lease renewal keeps the other instance away.
  emu.setFaults({ latencyMs: COS_LATENCY_MS, scope: 'ci' });
  emu.resetRequests();
  const times = Array.from({ length: ENTRIES }, (_, i) => 0.2 + i * 0.44);
  const created = await Promise.all(
    times.map((time, i) => cms[i % 2].create({ title: `pg ${i}`, video: { key: 'videos/a.mp4', snapshot: { time } } })),
  );
  expect(created.map((r) => r.status)).toEqual(times.map(() => 201));

  const values = await Promise.all(
    created.map((r, i) =>
      waitUntil(`entry ${i} to be ready`, async () => {
        const v = (await cms[(i + 1) % 2].get(r.body.data.documentId)).body.data.video;
        return v.status === 'ready' ? v : undefined;
      }),
    ),
  );
  for (const [i, v] of values.entries()) {
    expect(readFrameIndex(await download(emu, v.thumbnail.key))).toBe(Math.floor(times[i] * 25 + 1e-6));
  }

  // exactly one GetSnapshot per choice
  const perTime = new Map<string, number>();
  for (const r of snapshotRequests(emu)) perTime.set(r.query.time, (perTime.get(r.query.time) ?? 0) + 1);
  expect([...perTime.values()]).toEqual(times.map(() => 1));
  expect(perTime.size).toBe(ENTRIES);

  const rows = await pg.query<{ status: string; attempts: number; locked_by: string }>(
    DB,
    'SELECT status, attempts, locked_by FROM cos_video_jobs',
  );
  expect(rows).toHaveLength(ENTRIES);
  expect(rows.every((r) => r.status === 'done' && Number(r.attempts) === 1)).toBe(true);
  // both processes took part (the claim was contended, not trivially single-owner)
  const pids = new Set(rows.map((r) => r.locked_by.split(':')[1]));
  expect(pids).toEqual(new Set(apps.map((a) => String(a.child.pid))));
});

it('20 entries created at the same moment with one new choice, on both instances, cost one GetSnapshot and one thumbnail PutObject', async () => {
  const { token } = await createAdmin(apps[0].url, { email: 'pg@example.com', password: 'Postgres12345' });
  const cms = apps.map((a) => new ContentManager(a.url, token, CLIP_UID));
  // The slow GetSnapshot keeps the first claimed job running while both instances see the other 19 due.
  emu.setFaults({ latencyMs: COS_LATENCY_MS, scope: 'ci' });
  emu.resetRequests();
  const created = await Promise.all(
    Array.from({ length: 20 }, (_, i) => cms[i % 2].create({ title: `same ${i}`, video: { key: 'videos/a.mp4', snapshot: { time: 3.4 } } })),
  );
  expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
  // Jobs of one choice run one after another (each follower: claim, two HEADs, write), so allow time on a busy machine.
  const values = await Promise.all(
    created.map((r, i) =>
      waitUntil(
        `entry ${i} to be ready`,
        async () => {
          const v = (await cms[(i + 1) % 2].get(r.body.data.documentId)).body.data.video;
          return v.status === 'ready' ? v : undefined;
        },
        180_000,
      ),
    ),
  );
  expect(new Set(values.map((v) => v.thumbnail.key)).size).toBe(1);
  expect(readFrameIndex(await download(emu, values[0].thumbnail.key))).toBe(85);
  expect(snapshotRequests(emu)).toHaveLength(1);
  expect(emu.requests().filter((r) => r.method === 'PUT' && r.key === values[0].thumbnail.key)).toHaveLength(1);
  const rows = await pg.query<{ status: string; locked_by: string }>(DB, "SELECT status, locked_by FROM cos_video_jobs WHERE fingerprint::jsonb -> 'snapshot' ->> 'time' = '3.4'");
  expect(rows).toHaveLength(20);
  expect(rows.every((r) => r.status === 'done' && r.locked_by)).toBe(true);
});

const leaseEvents = (): LeaseEvent[] =>
  apps.flatMap((a) => a.output().split('\n').map(parseLeaseLine).filter((e): e is LeaseEvent => e !== null));

it('a worker stalled past its lease (SIGSTOP while it works on the job) neither stores the thumbnail again nor keeps holding the job once the other instance has it', async () => {
  const { token } = await createAdmin(apps[0].url, { email: 'pg@example.com', password: 'Postgres12345' });
  const cm = new ContentManager(apps[0].url, token, CLIP_UID);
  emu.setFaults({ latencyMs: COS_LATENCY_MS, scope: 'ci' });
  emu.resetRequests();
  const created = await cm.create({ title: 'stalled', video: { key: 'videos/a.mp4', snapshot: { time: 2.92 } } });
  expect(created.status).toBe(201);
  const job = await waitUntil('the job to be claimed', async () => {
    const rows = await pg.query<{ id: number; locked_by: string }>(DB, "SELECT id, locked_by FROM cos_video_jobs WHERE entry_document_id = $1 AND status = 'running'", [created.body.data.documentId]);
    return rows[0];
  });
  const holder = apps.find((a) => job.locked_by.split(':')[1] === String(a.child.pid))!;
  // The holder has claimed the job, so its COS requests (GetSnapshot slowed by the latency) are on the way or about
  // to be: it is stopped there, past its lease, while the other instance takes the job over and finishes it.
  holder.child.kill('SIGSTOP');
  try {
    await waitUntil(
      'the other instance to finish the job',
      async () => {
        const [row] = await pg.query<{ status: string; locked_by: string }>(DB, 'SELECT status, locked_by FROM cos_video_jobs WHERE id = $1', [job.id]);
        return row.status === 'done' && row.locked_by !== job.locked_by;
      },
      60_000,
    );
  } finally {
    holder.child.kill('SIGCONT');
  }
  // The holder gets its GetSnapshot answer now; wait until it has given the job up.
  await waitUntil('the stalled worker to give the job up', async () => leaseEvents().some((e) => e.kind === 'released' && e.job === Number(job.id) && e.worker === job.locked_by), 30_000);
  const value = (await cm.get(created.body.data.documentId)).body.data.video;
  expect(value.status).toBe('ready');
  expect(readFrameIndex(await download(emu, value.thumbnail.key))).toBe(73);
  expect(emu.writes().get(`${BUCKET}/${value.thumbnail.key}`)).toBe(1);
  const jobHolds = holds(leaseEvents()).filter((h) => h.job === Number(job.id));
  expect(jobHolds.map((h) => h.worker)).toEqual([job.locked_by, expect.not.stringMatching(job.locked_by)]);
  expect(overlaps(jobHolds)).toEqual([]);
});
