/**
 * Draft & publish and transactions: a job writes into the draft AND the published row that
 * carry its choice; bulk publish (one transaction) costs no COS call; a save inside a
 * caller's transaction defers the job until commit (and a rollback leaves nothing behind).
 */
import { readFrameIndex } from '../../dev/media';
import { download, snapshotRequests, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID } from '../helpers/clip-app';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { EMULATOR_BUCKET, EMULATOR_REGION } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;

beforeAll(async () => {
  env = await startClipEnv('publish', { saveWaitMs: 1500 });
});
afterAll(() => env?.close());
afterEach(() => env.emu.setFaults({}));

const frameOf = async (v: { thumbnail: { key: string } }) => readFrameIndex(await download(env.emu, v.thumbnail.key));
const docs = () => env.strapi.documents(CLIP_UID as never) as any;
const jobCount = () => env.strapi.db.query('plugin::cos-video.job' as never).count({});

it('a draft published while its thumbnail is pending gets it in both versions', async () => {
  env.emu.setFaults({ latencyMs: 2500, scope: 'ci' });
  const created = await env.cm.create({ title: 'early', video: { key: 'videos/a.mp4', snapshot: { time: 1.6 } } });
  expect(created.body.data.video.status).toBe('pending');
  const id = created.body.data.documentId;
  const published = await env.cm.publish(id);
  expect(published.status).toBe(200);
  expect(published.body.data.video.status).toBe('pending');

  const live = await waitUntil('the published version to be ready', async () => {
    const v = (await docs().findOne({ documentId: id, status: 'published' })).video;
    return v.status === 'ready' ? v : undefined;
  });
  const draft = (await docs().findOne({ documentId: id, status: 'draft' })).video;
  expect(draft.status).toBe('ready');
  expect(draft.thumbnail.key).toBe(live.thumbnail.key);
  expect(await frameOf(live)).toBe(40);
  expect(snapshotRequests(env.emu)).toHaveLength(1);
});

it('bulk publish (one transaction) copies ready values without any COS call', async () => {
  const ids: string[] = [];
  for (const time of [0.4, 0.8, 1.2]) {
    const r = await env.cm.create({ title: `bulk ${time}`, video: { key: 'videos/b.mp4', snapshot: { time } } });
    expect(r.body.data.video.status).toBe('ready');
    ids.push(r.body.data.documentId);
  }
  env.emu.resetRequests();
  const res = await env.cm.call('POST', '/actions/bulkPublish', { documentIds: ids });
  expect(res.status).toBe(200);
  expect(res.body.count).toBe(3);
  expect(env.emu.requests()).toEqual([]);
  for (const [i, id] of ids.entries()) {
    const v = (await docs().findOne({ documentId: id, status: 'published' })).video;
    expect(v.status).toBe('ready');
    expect(await frameOf(v)).toBe([10, 20, 30][i]);
  }
});

describe('saves inside a caller transaction', () => {
  it('do not wait inside the transaction; the job runs after commit', async () => {
    const created = await env.strapi.db.transaction(() =>
      docs().create({ data: { title: 'in trx', video: { key: 'videos/a.mp4', snapshot: { time: 2.8 } } } }),
    );
    expect(created.video.status).toBe('pending');
    const v = await waitUntil('the job after commit', async () => {
      const cur = (await docs().findOne({ documentId: created.documentId })).video;
      return cur.status === 'ready' ? cur : undefined;
    });
    expect(await frameOf(v)).toBe(70);
    expect(typeof v.url).toBe('string');
  });

  it('leave neither entry nor job behind when rolled back', async () => {
    const before = await jobCount();
    env.emu.resetRequests();
    await expect(
      env.strapi.db.transaction(async () => {
        await docs().create({ data: { title: 'rolled back', video: { key: 'videos/a.mp4', snapshot: { time: 3.1 } } } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await jobCount()).toBe(before);
    expect(await docs().findFirst({ filters: { title: 'rolled back' } })).toBeNull();
    await new Promise((r) => setTimeout(r, 600)); // a few worker polls
    expect(snapshotRequests(env.emu)).toHaveLength(0);
  });
});

it('the document service called by custom code returns a ready value with URLs', async () => {
  const created = await docs().create({ data: { title: 'custom code', video: { key: 'videos/b.mp4', snapshot: { time: 3.96 } } } });
  expect(created.video.status).toBe('ready');
  expect(created.video.url).toContain('q-signature');
  expect(await frameOf(created.video)).toBe(99);
  const found = await docs().findMany({ filters: { title: 'custom code' } });
  expect(found[0].video.thumbnail.url).toContain('q-signature');
});

it('backfill() queues thumbnails for values written without the document service', async () => {
  const raw = (documentId: string, title: string, video: unknown) =>
    env.strapi.db.query(CLIP_UID as never).create({ data: { documentId, title, locale: 'en', publishedAt: null, video } });
  await raw('backfillok000000000000001', 'imported', null);
  // as another tool might have written it: other formatting than JSON.stringify
  await env.strapi.db
    .connection('clips')
    .where({ document_id: 'backfillok000000000000001' })
    .update({ video: '{ "snapshot" : { "time" : 2.4 },\n  "key" : "videos/b.mp4" }' });
  await raw('backfillbad00000000000001', 'imported bad', { key: '/absolute.mp4' });
  env.emu.resetRequests();
  const thumbnails = env.strapi.plugin('cos-video').service('thumbnails');
  const report = await thumbnails.backfill({ uid: CLIP_UID });
  expect(report).toMatchObject({ queued: 1, invalid: 1 });
  expect(report.scanned).toBeGreaterThanOrEqual(2);

  const v = await waitUntil('the backfilled thumbnail', async () => {
    const cur = (await docs().findOne({ documentId: 'backfillok000000000000001' })).video;
    return cur.status === 'ready' ? cur : undefined;
  });
  expect(v.bucket).toBe(EMULATOR_BUCKET);
  expect(await frameOf(v)).toBe(60);
  const bad = (await docs().findOne({ documentId: 'backfillbad00000000000001' })).video;
  expect(bad).toMatchObject({ status: 'failed', error: { code: 'InvalidValue' } });
  expect(bad.error.message).toContain('video.key');
  // a second run finds nothing left to do
  expect(await thumbnails.backfill({ uid: CLIP_UID })).toMatchObject({ queued: 0, invalid: 0 });
  expect(snapshotRequests(env.emu)).toHaveLength(1);
});

it('finished jobs are swept after the retention period, active ones never', async () => {
  const jobs = env.strapi.db.query('plugin::cos-video.job' as never);
  const old = Date.now() - 8 * 24 * 3600_000;
  const fingerprint = { bucket: EMULATOR_BUCKET, region: EMULATOR_REGION, key: 'videos/a.mp4', snapshot: {} };
  const base = { entryUid: CLIP_UID, entryDocumentId: 'sweep', matchHash: 'sweep', fingerprint, runAt: old };
  await jobs.create({ data: { ...base, status: 'done' } });
  await jobs.create({ data: { ...base, status: 'queued', lockedUntil: Date.now() + 3600_000, lockedBy: 'elsewhere' } });
  // The job store is private to the thumbnails service; the same store over the same table.
  const { createJobStore } = await import('../../server/src/jobs/store');
  const { JOB_RETENTION_MS } = await import('../../server/src/jobs/worker');
  expect(await createJobStore(env.strapi).sweep(Date.now() - JOB_RETENTION_MS)).toBe(1);
  expect((await jobs.findMany({ where: { entryDocumentId: 'sweep' } })).map((j: any) => j.status)).toEqual(['queued']);
  await jobs.deleteMany({ where: { entryDocumentId: 'sweep' } });
});
