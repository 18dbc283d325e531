/**
 * A Thumbnails-page operation on two Strapi processes sharing one PostgreSQL database: the
 * operation started on one instance is fed and worked by both, and every item is processed
 * exactly once (one job each, one GetSnapshot per frame, every item done).
 * Needs `npm run build` first.
 */
import { randomBytes } from 'node:crypto';
import { createAdmin, type SpawnedStrapi } from '../../dev/app-kit';
import { type RunningEmulator } from '../../dev/emulator';
import { snapshotRequests, waitUntil } from '../helpers/cos-fixtures';
import { jsonRequest } from '../helpers/http';
import type { PgCluster } from '../helpers/postgres';
import { preparePgClipApp, type PgClipApp } from '../helpers/pg-clip-app';

let env: PgClipApp;
let pg: PgCluster;
let emu: RunningEmulator;
let apps: SpawnedStrapi[];
let DB: string;
const ITEMS = 40;

beforeAll(async () => {
  env = await preparePgClipApp('operations-postgres', { db: 'cos_video_operations_two_instances', leaseMs: 3000 });
  ({ pg, emu, apps, db: DB } = env);
  for (let i = 0; i < 2; i++) await env.spawn();
});

afterAll(() => env?.close());

it('an operation shared by two instances processes every item once', async () => {
  const { token } = await createAdmin(apps[0].url, { email: 'ops@example.com', password: 'Operations12345' });
  // Imported rows: a video and a frame each, no thumbnail, no job.
  const times: number[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const time = Math.round((0.1 + i * 0.09) * 1000) / 1000;
    times.push(time);
    await pg.query(
      DB,
      'INSERT INTO clips (document_id, title, locale, video, created_at, updated_at, published_at) VALUES ($1, $2, $3, $4, now(), now(), NULL)',
      [randomBytes(12).toString('hex'), `imported ${i}`, 'en', JSON.stringify({ key: 'videos/a.mp4', snapshot: { time } })],
    );
  }
  // Slow media processing: each job outlasts a few polls, so both instances' workers take part.
  emu.setFaults({ latencyMs: 300, scope: 'ci' });
  emu.resetRequests();
  const api = (i: number, method: string, route: string, body?: unknown) => jsonRequest(`${apps[i].url}/cos-video${route}`, method, body, token);
  expect((await api(1, 'POST', '/thumbnails/dry-run', { kind: 'generate-missing' })).json.count).toBe(ITEMS);
  const started = await api(0, 'POST', '/thumbnails/operations', { kind: 'generate-missing' });
  expect(started.status).toBe(200);
  const id = started.json.id as string;
  const end = await waitUntil(
    'the operation to finish',
    async () => {
      const op = (await api(1, 'GET', `/thumbnails/operation?id=${id}`)).json;
      return op.status === 'done' ? op : undefined;
    },
    300_000,
  );
  expect(end).toMatchObject({ total: ITEMS, done: ITEMS, failed: 0, skipped: 0 });

  const items = await pg.query<{ status: string; job_ids: number[] }>(DB, 'SELECT status, job_ids FROM cos_video_thumbnail_operation_items WHERE operation_id = $1', [Number(id)]);
  expect(items.map((i) => i.status)).toEqual(times.map(() => 'done'));
  // one job per item, each claimed once, by both instances between them
  const jobs = await pg.query<{ id: number; status: string; attempts: number; locked_by: string; priority: number }>(
    DB,
    'SELECT id, status, attempts, locked_by, priority FROM cos_video_jobs WHERE operation_id = $1',
    [Number(id)],
  );
  expect(jobs).toHaveLength(ITEMS);
  expect(new Set(items.flatMap((i) => i.job_ids.map(Number)))).toEqual(new Set(jobs.map((j) => Number(j.id))));
  expect(jobs.every((j) => j.status === 'done' && Number(j.attempts) === 1 && Number(j.priority) === 10)).toBe(true);
  expect(new Set(jobs.map((j) => j.locked_by.split(':')[1]))).toEqual(new Set(apps.map((a) => String(a.child.pid))));
  // one GetSnapshot per frame
  const perTime = new Map<string, number>();
  for (const r of snapshotRequests(emu)) perTime.set(r.query.time, (perTime.get(r.query.time) ?? 0) + 1);
  expect(perTime.size).toBe(ITEMS);
  expect([...perTime.values()].every((n) => n === 1)).toBe(true);
  // both instances' overviews agree: nothing is missing any more
  for (const i of [0, 1]) {
    const video = (await api(i, 'GET', '/thumbnails')).json.fields.find((f: { fieldPath: string }) => f.fieldPath === 'video');
    expect(video).toMatchObject({ total: ITEMS, ready: ITEMS, missing: 0 });
  }
});
