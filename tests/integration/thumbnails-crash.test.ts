/**
 * Durability: a Strapi process killed (SIGKILL) while a job is running loses nothing — after
 * its lease expires the restarted process claims the job again and finishes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, createAdmin, spawnStrapi, writeApp, type SpawnedStrapi } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import { readFrameIndex } from '../../dev/media';
import { BUCKET, TMP, download, pluginConfig, snapshotRequests, uploadVideo, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID, clipApp } from '../helpers/clip-app';
import { ContentManager } from '../helpers/content-manager';

const dir = path.join(TMP, `crash-${process.pid}`);
const appDir = path.join(dir, 'app');
const dbFile = path.join(appDir, '.tmp', 'data.db');
let emu: RunningEmulator;
const running: SpawnedStrapi[] = [];

interface JobRow {
  id: number;
  status: string;
  attempts: number;
  locked_by: string | null;
}
function jobs(): JobRow[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status, attempts, locked_by FROM cos_video_jobs ORDER BY id').all() as JobRow[];
  } finally {
    db.close();
  }
}

async function start(): Promise<{ app: SpawnedStrapi; cm: ContentManager }> {
  const app = await spawnStrapi(appDir, { NODE_ENV: 'test' });
  running.push(app);
  const { token } = await createAdmin(app.url, { email: 'crash@example.com', password: 'Crash12345' });
  return { app, cm: new ContentManager(app.url, token, CLIP_UID) };
}

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
  await uploadVideo(emu, 'videos/a.mp4');
  await writeApp(
    clipApp({
      dir: appDir,
      database: { client: 'sqlite', filename: dbFile },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: pluginConfig(emu, {
        saveWaitMs: 300,
        worker: { enabled: true, concurrency: 2, pollIntervalMs: 200, leaseMs: 3000, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000 },
      }),
    }),
  );
});

afterAll(async () => {
  for (const app of running) await app.stop('SIGKILL');
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a job interrupted by kill -9 is finished by the restarted process', async () => {
  // COS answers snapshots slowly, so the job is surely in flight when the process dies.
  emu.setFaults({ latencyMs: 5000, scope: 'ci' });
  const first = await start();
  const res = await first.cm.create({ title: 'crash', video: { key: 'videos/a.mp4', snapshot: { time: 3 } } });
  expect(res.status).toBe(201);
  expect(res.body.data.video.status).toBe('pending');
  const documentId = res.body.data.documentId;

  const [claimed] = await waitUntil('the job to be claimed', async () => {
    const rows = jobs();
    return rows.length === 1 && rows[0].status === 'running' ? rows : undefined;
  });
  expect(claimed.attempts).toBe(1);
  await first.app.stop('SIGKILL');
  expect(snapshotRequests(emu)).toHaveLength(0); // the snapshot never completed
  expect(jobs()[0]).toMatchObject({ status: 'running', locked_by: claimed.locked_by });

  emu.setFaults({});
  const second = await start();
  const video = await waitUntil('the thumbnail after restart', async () => {
    const v = (await second.cm.get(documentId)).body.data.video;
    return v.status === 'ready' ? v : undefined;
  });
  expect(readFrameIndex(await download(emu, video.thumbnail.key))).toBe(75);
  const [done] = jobs();
  expect(done.status).toBe('done');
  expect(done.attempts).toBe(2);
  expect(done.locked_by).not.toBe(claimed.locked_by);
});
