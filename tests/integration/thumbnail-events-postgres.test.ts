/**
 * Two Strapi processes on one PostgreSQL database, both racing for every job: each settled
 * thumbnail is announced once — one `entry.update` with the ready value and one
 * `cos-video.thumbnail.ready` per entry — because only the instance whose compare-and-set
 * changed the row announces it, while both instances deliver webhooks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, type SpawnedStrapi } from '../../dev/app-kit';
import { type RunningEmulator } from '../../dev/emulator';
import { waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID } from '../helpers/clip-app';
import { ContentManager } from '../helpers/content-manager';
import type { PgCluster } from '../helpers/postgres';
import { preparePgClipApp, type PgClipApp } from '../helpers/pg-clip-app';

const ENTRIES = 6;
let env: PgClipApp;
let pg: PgCluster;
let emu: RunningEmulator;
let receiver: http.Server;
let token: string;
let apps: SpawnedStrapi[];
const deliveries: any[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  env = await preparePgClipApp('events-postgres', { db: 'cos_video_events_two_instances', leaseMs: 2500 });
  ({ pg, emu, apps } = env);
  // Strapi loads webhooks at boot: the second instance starts after the webhook exists.
  await env.spawn();
  ({ token } = await createAdmin(apps[0].url, { email: 'pg-events@example.com', password: 'Postgres12345' }));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const res = await fetch(`${apps[0].url}/admin/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'front end', url: hook, headers: {}, events: ['entry.update', 'cos-video.thumbnail.ready', 'cos-video.thumbnail.failed'] }),
  });
  expect(res.status).toBe(201);
  await env.spawn();
});

afterAll(async () => {
  await env?.close();
  await new Promise((r) => receiver?.close(r));
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
    const rows = await pg.query<{ status: string; locked_by: string }>(env.db, 'SELECT status, locked_by FROM cos_video_jobs');
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
