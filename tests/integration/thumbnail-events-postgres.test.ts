/**
 * Two Strapi processes on one PostgreSQL database, both racing for every job: each settled
 * thumbnail is announced once — one `entry.update` with the ready value and one
 * `cos-video.thumbnail.ready` per entry — because only the instance whose compare-and-set
 * changed the row announces it, while both instances deliver webhooks.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { REPO_ROOT, createAdmin, spawnStrapi, writeApp, type SpawnedStrapi } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, TMP, pluginConfig, uploadVideo, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID, clipApp } from '../helpers/clip-app';
import { ContentManager } from '../helpers/content-manager';
import { startPostgres, type PgCluster } from '../helpers/postgres';

const dir = path.join(TMP, `events-postgres-${process.pid}`);
const DB = 'cos_video_events_two_instances';
const ENTRIES = 6;
let pg: PgCluster;
let emu: RunningEmulator;
let receiver: http.Server;
let token: string;
const apps: SpawnedStrapi[] = [];
const deliveries: any[] = [];

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  pg = await startPostgres();
  await pg.createDatabase(DB);
  emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
  await uploadVideo(emu, 'videos/a.mp4');
  await writeApp(
    clipApp({
      dir: path.join(dir, 'app'),
      database: { client: 'postgres', connection: { host: pg.host, port: pg.port, database: DB, user: pg.user } },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: pluginConfig(emu, {
        saveWaitMs: 0,
        worker: { enabled: true, concurrency: 2, pollIntervalMs: 50, leaseMs: 2500, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000 },
      }),
    }),
  );
  // Strapi loads webhooks at boot: the second instance starts after the webhook exists.
  apps.push(await spawnStrapi(path.join(dir, 'app'), { NODE_ENV: 'test' }));
  ({ token } = await createAdmin(apps[0].url, { email: 'pg-events@example.com', password: 'Postgres12345' }));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const res = await fetch(`${apps[0].url}/admin/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'front end', url: hook, headers: {}, events: ['entry.update', 'cos-video.thumbnail.ready', 'cos-video.thumbnail.failed'] }),
  });
  expect(res.status).toBe(201);
  apps.push(await spawnStrapi(path.join(dir, 'app'), { NODE_ENV: 'test' }));
});

afterAll(async () => {
  for (const app of apps) await app.stop();
  await emu?.close();
  await pg?.stop();
  await new Promise((r) => receiver?.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('each settled thumbnail is announced once across two instances', async () => {
  const cms = apps.map((a) => new ContentManager(a.url, token, CLIP_UID));
  emu.setFaults({ latencyMs: 800, scope: 'ci' });
  const times = Array.from({ length: ENTRIES }, (_, i) => 0.2 + i * 0.6);
  const created = await Promise.all(
    times.map((time, i) => cms[i % 2].create({ title: `pg ${i}`, video: { key: 'videos/a.mp4', snapshot: { time } } })),
  );
  expect(created.map((r) => r.status)).toEqual(times.map(() => 201));
  const ids = created.map((r) => r.body.data.documentId as string);

  const jobs = await waitUntil('every job done', async () => {
    const rows = await pg.query<{ status: string; locked_by: string }>(DB, 'SELECT status, locked_by FROM cos_video_jobs');
    return rows.length === ENTRIES && rows.every((r) => r.status === 'done') ? rows : undefined;
  });
  // Both processes ran jobs, so both could have announced.
  expect(new Set(jobs.map((r) => r.locked_by.split(':')[1]))).toEqual(new Set(apps.map((a) => String(a.child.pid))));
  // The job row is finished after the announcement was handed to the webhook runner.
  await waitUntil('a ready event per entry', async () =>
    ids.every((id) => deliveries.some((d) => d.event === 'cos-video.thumbnail.ready' && d.documentId === id)),
  );
  for (const id of ids) {
    const ready = deliveries.filter((d) => d.event === 'cos-video.thumbnail.ready' && d.documentId === id);
    const updates = deliveries.filter((d) => d.event === 'entry.update' && d.entry.documentId === id && d.entry.video?.status === 'ready');
    expect([id, ready.length, updates.length]).toEqual([id, 1, 1]);
    expect(typeof updates[0].entry.video.thumbnail.url).toBe('string');
  }
  expect(deliveries.filter((d) => d.event === 'cos-video.thumbnail.failed')).toEqual([]);
});
