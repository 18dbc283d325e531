/**
 * The Thumbnails page's server side (common/contracts/thumbnail-operations.ts) on a real Strapi
 * with the real SDK against the emulator: counts for a mix of states (top level, component,
 * repeatable, dynamic zone, two locales), each operation kind, pause / resume / cancel, failures
 * and retry-item, editors' saves ahead of a bulk run, a restart mid-operation, and RBAC.
 * Needs `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, createAdmin, loadStrapi, strapiUrl, writeApp } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import type { FieldCounts, Operation } from '../../common/contracts/thumbnail-operations';
import { BUCKET, TMP, indexedVideo, pluginConfig, snapshotRequests, upload, uploadVideo, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID, clipApp } from '../helpers/clip-app';
import { ContentManager } from '../helpers/content-manager';
import { builtInRoleId, createAdminUser, createRole } from '../helpers/admin-roles';
import { jsonRequest, type Reply } from '../helpers/http';

const dir = path.join(TMP, `thumbnail-operations-${process.pid}`);
const appDir = path.join(dir, 'app');
const CONFIG = {
  saveWaitMs: 8000,
  worker: { enabled: true, concurrency: 1, pollIntervalMs: 100, leaseMs: 4000, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000, retryForMs: 0 },
};
let emu: RunningEmulator;
let strapi: Core.Strapi | undefined;
let url = '';
let token = '';
let cm: ContentManager;

async function boot(): Promise<void> {
  strapi = await loadStrapi(appDir);
  url = strapiUrl(strapi);
  ({ token } = await createAdmin(url, { email: 'bulk@example.com', password: 'Bulk12345' }));
  cm = new ContentManager(url, token, CLIP_UID);
}

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
  await uploadVideo(emu, 'videos/a.mp4');
  await uploadVideo(emu, 'videos/b.mp4');
  await writeApp(
    clipApp({
      dir: appDir,
      database: { client: 'sqlite', filename: path.join(appDir, '.tmp', 'data.db') },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: pluginConfig(emu, CONFIG),
    }),
  );
  await boot();
});

afterAll(async () => {
  await strapi?.destroy();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const api = (method: string, route: string, body?: unknown, as: string = token): Promise<Reply> => jsonRequest(`${url}/cos-video${route}`, method, body, as);
const setConfig = (patch: Record<string, unknown>) => strapi!.config.set('plugin::cos-video', { ...(strapi!.config.get('plugin::cos-video') as object), ...patch });
const docId = () => randomBytes(12).toString('hex');

/** An entry row written straight into the database (an import): no middleware, no job. */
async function rawClip(video: unknown, opts: { locale?: string; documentId?: string; title?: string } = {}): Promise<string> {
  const documentId = opts.documentId ?? docId();
  await strapi!.db.query(CLIP_UID as never).create({ data: { documentId, title: opts.title ?? 'imported', locale: opts.locale ?? 'en', publishedAt: null, video } as never });
  return documentId;
}

async function overview(): Promise<{ fields: FieldCounts[]; operations: Operation[] }> {
  const r = await api('GET', '/thumbnails');
  expect(r.status).toBe(200);
  return r.json;
}
const field = (fields: FieldCounts[], fieldPath: string) => fields.find((f) => f.uid === CLIP_UID && f.fieldPath === fieldPath)!;
const counts = (f: FieldCounts) => ({ total: f.total, ready: f.ready, pending: f.pending, failed: f.failed, missing: f.missing, otherDefaults: f.otherDefaults });

async function dryRun(body: Record<string, unknown>): Promise<number> {
  const r = await api('POST', '/thumbnails/dry-run', body);
  expect(r.status).toBe(200);
  return r.json.count as number;
}
async function start(body: Record<string, unknown>): Promise<Operation> {
  const r = await api('POST', '/thumbnails/operations', body);
  expect(r.status).toBe(200);
  return r.json as Operation;
}
async function getOp(id: string): Promise<Operation> {
  const r = await api('GET', `/thumbnails/operation?id=${id}`);
  expect(r.status).toBe(200);
  return r.json as Operation;
}
const finished = (id: string, timeoutMs = 120_000) =>
  waitUntil(`operation ${id} to finish`, async () => {
    const op = await getOp(id);
    return op.status === 'done' || op.status === 'cancelled' ? op : undefined;
  }, timeoutMs);

/** Every item row of an operation, straight from its table. */
const itemsOf = (id: string) => strapi!.db.query('plugin::cos-video.thumbnail-operation-item' as never).findMany({ where: { operationId: Number(id) } }) as Promise<Array<{ status: string; jobIds: unknown }>>;

async function videoOf(documentId: string, locale = 'en'): Promise<any> {
  const row = await strapi!.db.query(CLIP_UID as never).findOne({ where: { documentId, locale }, populate: { hero: true, blocks: { on: { 'media.video-block': true, 'media.hero': true } } } as never });
  return row;
}

describe('counts and dry runs', () => {
  it('counts a mix of states per field, through components, dynamic zones and locales', async () => {
    const before = await overview();
    expect(before.fields.map((f) => f.fieldPath).sort()).toEqual(['blocks.video', 'gallery.video', 'hero.video', 'video']);
    expect(field(before.fields, 'video')).toMatchObject({ displayName: 'clip', total: 0, replaced: null, replacedCheckedAt: null });

    // ready: saved through the Content Manager, in en and fr, with component and dynamic zone values
    const a = await cm.create({ title: 'a', video: { key: 'videos/a.mp4', snapshot: { time: 1 } }, hero: { caption: 'h', video: { key: 'videos/b.mp4', snapshot: { time: 1 } } }, blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4', snapshot: { time: 2 } } }] });
    expect(a.status).toBe(201);
    const fr = await cm.create({ title: 'a fr', video: { key: 'videos/a.mp4', snapshot: { time: 1.2 } } }, 'fr');
    expect(fr.status).toBe(201);
    // missing: imported rows (one in fr) and one value inside a component row
    await rawClip({ key: 'videos/a.mp4', snapshot: { time: 0.5 } });
    await rawClip({ key: 'videos/b.mp4' }, { locale: 'fr' });
    const heroRow = (await videoOf(a.body.data.documentId)).hero;
    const withHero = await cm.create({ title: 'hero only', hero: { caption: 'x', video: { key: 'videos/a.mp4', snapshot: { time: 3 } } } });
    const heroOnly = (await videoOf(withHero.body.data.documentId)).hero;
    await strapi!.db.query('media.hero' as never).update({ where: { id: heroOnly.id }, data: { video: { key: 'videos/a.mp4', snapshot: { time: 3 } } } as never });
    // failed: a value whose last attempt failed; pending-without-job counts as missing
    await rawClip({ key: 'videos/a.mp4', bucket: BUCKET, region: 'ap-guangzhou', snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' }, thumbnail: null, media: null, status: 'failed', error: { code: 'NoSuchKey', message: 'gone' } });
    await rawClip({ key: 'videos/b.mp4', bucket: BUCKET, region: 'ap-guangzhou', snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' }, thumbnail: null, media: null, status: 'pending', error: null });
    // no video at all: not a value
    await rawClip(null);

    const { fields } = await overview();
    expect(counts(field(fields, 'video'))).toEqual({ total: 6, ready: 2, pending: 0, failed: 1, missing: 3, otherDefaults: 0 });
    expect(counts(field(fields, 'hero.video'))).toEqual({ total: 2, ready: 1, pending: 0, failed: 0, missing: 1, otherDefaults: 0 });
    expect(heroRow.video.status).toBe('ready');
    expect(counts(field(fields, 'blocks.video'))).toEqual({ total: 1, ready: 1, pending: 0, failed: 0, missing: 0, otherDefaults: 0 });
    expect(counts(field(fields, 'gallery.video'))).toEqual({ total: 0, ready: 0, pending: 0, failed: 0, missing: 0, otherDefaults: 0 });

    // A dry run counts what the operation would queue, per scope, and changes nothing.
    expect(await dryRun({ kind: 'generate-missing' })).toBe(4);
    expect(await dryRun({ kind: 'generate-missing', uid: CLIP_UID, fieldPath: 'hero.video' })).toBe(1);
    expect(await dryRun({ kind: 'retry-failed', uid: CLIP_UID })).toBe(1);
    expect(await dryRun({ kind: 'regenerate-defaults' })).toBe(0);
    // check-replaced HEADs each distinct verified video once: a and b
    expect(await dryRun({ kind: 'check-replaced' })).toBe(2);
    expect((await overview()).fields).toEqual(fields);
  });

  it('bad input is a 400 naming the field, the value and what is allowed, and changes nothing', async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/thumbnails/dry-run', { kind: 'everything' }, /kind is not an operation: got "everything"; allowed: "generate-missing", "regenerate-defaults", "retry-failed", "check-replaced"/],
      ['POST', '/thumbnails/operations', { kind: 'generate-missing', uid: 'api::nope.nope' }, /uid is not a content type with a COS video field: got "api::nope.nope"; allowed: .*"api::clip.clip"/],
      ['POST', '/thumbnails/operations', { kind: 'generate-missing', fieldPath: 'video' }, /fieldPath needs a uid: got "video"/],
      ['POST', '/thumbnails/operations', { kind: 'generate-missing', uid: CLIP_UID, fieldPath: 'title' }, /fieldPath is not a COS video field of api::clip.clip: got "title"; allowed: "video", "hero.video", "gallery.video", "blocks.video"/],
      ['POST', '/thumbnails/operations', ['generate-missing'], /body must be a JSON object/],
      ['POST', '/thumbnails/operations/pause', { id: 7 }, /id is not an operation id: got 7; allowed: the id of an operation/],
      ['POST', '/thumbnails/operations/retry-item', { id: '1', itemId: '' }, /itemId is not an item id: got ""/],
      ['GET', '/thumbnails/operation?id=abc', undefined, /id is not an operation id: got "abc"/],
    ];
    for (const [method, route, body, message] of cases) {
      const r = await api(method, route, body);
      expect({ route, status: r.status, name: r.json.error.name }).toEqual({ route, status: 400, name: 'ValidationError' });
      expect(r.json.error.message).toMatch(message);
    }
    const unknown = await api('POST', '/thumbnails/operations/cancel', { id: '999999' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('999999');
    expect((await overview()).operations).toEqual([]);
  });
});

describe('operations', () => {
  it('generate-missing processes exactly what its dry run counted, and each value is ready', async () => {
    const expected = await dryRun({ kind: 'generate-missing' });
    expect(expected).toBe(4);
    const op = await start({ kind: 'generate-missing' });
    expect(op).toMatchObject({ kind: 'generate-missing', scope: {}, total: expected, createdBy: { name: 'Demo Admin' } });
    expect(['running', 'done']).toContain(op.status);
    const end = await finished(op.id);
    expect(end).toMatchObject({ status: 'done', total: 4, done: 4, failed: 0, skipped: 0, failures: [] });
    expect(end.finishedAt).not.toBeNull();
    const { fields } = await overview();
    expect(counts(field(fields, 'video'))).toMatchObject({ total: 6, ready: 5, missing: 0, failed: 1 });
    expect(counts(field(fields, 'hero.video'))).toMatchObject({ total: 2, ready: 2, missing: 0 });
    expect(await dryRun({ kind: 'generate-missing' })).toBe(0);
    // items went through the queue one job each
    const items = await itemsOf(end.id);
    expect(items.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('a failure is listed with its reason; retry-item queues it again and fixes it', async () => {
    const documentId = await rawClip({ key: 'videos/later.mp4', snapshot: { time: 1 } });
    const op = await start({ kind: 'generate-missing' });
    expect(op.total).toBe(1);
    const end = await finished(op.id);
    expect(end).toMatchObject({ status: 'done', done: 0, failed: 1 });
    expect(end.failures).toHaveLength(1);
    const failure = end.failures[0];
    expect(failure).toMatchObject({ entry: { uid: CLIP_UID, documentId, locale: 'en' }, fieldPath: 'video', error: { code: 'NoSuchKey' } });
    expect(failure.error.message).toContain('videos/later.mp4');
    expect(field((await overview()).fields, 'video').failed).toBe(2);

    // not failed (any more) → 400 naming the item
    await uploadVideo(emu, 'videos/later.mp4');
    const retried = await api('POST', '/thumbnails/operations/retry-item', { id: op.id, itemId: failure.itemId });
    expect(retried.status).toBe(200);
    const again = await finished(op.id);
    expect(again).toMatchObject({ status: 'done', done: 1, failed: 0, failures: [] });
    expect((await videoOf(documentId)).video.status).toBe('ready');
    const twice = await api('POST', '/thumbnails/operations/retry-item', { id: op.id, itemId: failure.itemId });
    expect(twice.status).toBe(400);
    expect(twice.json.error.message).toMatch(`itemId names an item that is done: got "${failure.itemId}"; allowed: the itemId of a failed item`);
  });

  it('retry-failed queues every failed value again', async () => {
    expect(await dryRun({ kind: 'retry-failed' })).toBe(1);
    const end = await finished((await start({ kind: 'retry-failed' })).id);
    expect(end).toMatchObject({ total: 1, done: 1, failed: 0 });
    expect(field((await overview()).fields, 'video').failed).toBe(0);
  });

  it('new config defaults: otherDefaults counts them; regenerate-defaults applies them and keeps each time', async () => {
    const before = (await overview()).fields;
    const readyBefore = field(before, 'video').ready + field(before, 'hero.video').ready + field(before, 'blocks.video').ready;
    setConfig({ snapshot: { time: 0, width: 160, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' } });
    const { fields } = await overview();
    expect(field(fields, 'video').otherDefaults).toBe(field(fields, 'video').ready);
    expect(field(fields, 'hero.video').otherDefaults).toBe(field(fields, 'hero.video').ready);
    // blocks' video-block field has its own options (format png) over the config: width differs too
    expect(field(fields, 'blocks.video').otherDefaults).toBe(1);
    expect(await dryRun({ kind: 'regenerate-defaults' })).toBe(readyBefore);
    const first = (await strapi!.db.query(CLIP_UID as never).findMany({ where: { locale: 'en' }, orderBy: { id: 'asc' }, limit: 1 }))[0] as any;
    const end = await finished((await start({ kind: 'regenerate-defaults' })).id);
    expect(end).toMatchObject({ total: readyBefore, done: readyBefore, failed: 0 });
    const after = (await overview()).fields;
    for (const p of ['video', 'hero.video', 'blocks.video']) expect(field(after, p).otherDefaults).toBe(0);
    const v = (await videoOf(first.documentId)).video;
    expect(v).toMatchObject({ status: 'ready', snapshot: { width: 160, time: first.video.snapshot.time } });
    expect(v.thumbnail.width).toBe(160);
  });

  it('check-replaced HEADs each video, regenerates the values of a replaced one, and records the check', async () => {
    expect(field((await overview()).fields, 'video')).toMatchObject({ replaced: null, replacedCheckedAt: null });
    // New bytes under b's key (trailing bytes after the movie: still the same frames): its ETag changes.
    await upload(emu, 'videos/b.mp4', Buffer.concat([fs.readFileSync(await indexedVideo()), Buffer.from('re-uploaded')]), 'video/mp4');
    // Its thumbnails cannot be made for now (COS media processing refuses): they stay replaced.
    emu.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
    emu.resetRequests();
    expect(await dryRun({ kind: 'check-replaced' })).toBe(3); // a, b and later
    const end = await finished((await start({ kind: 'check-replaced' })).id);
    emu.setFaults({});
    // b's item failed (its values' jobs did); a and later needed nothing
    expect(end).toMatchObject({ total: 3, done: 0, failed: 1, skipped: 2 });
    expect(end.failures[0].error.code).not.toBe('');
    const heads = emu.requests().filter((r) => r.method === 'HEAD' && /^videos\/(a|b|later)\.mp4$/.test(r.key));
    expect(new Set(heads.map((h) => h.key)).size).toBe(3);
    let { fields } = await overview();
    for (const p of ['video', 'hero.video', 'blocks.video', 'gallery.video']) expect(field(fields, p).replacedCheckedAt).toBe(end.finishedAt);
    // b is shown by two imported top-level values (en and fr) and by the hero of entry "a"
    expect(field(fields, 'video').replaced).toBe(2);
    expect(field(fields, 'hero.video').replaced).toBe(1);
    expect(field(fields, 'blocks.video').replaced).toBe(0);

    // once COS works again, retrying the failures regenerates them: nothing is replaced any more
    expect(await dryRun({ kind: 'retry-failed' })).toBe(3);
    await finished((await start({ kind: 'retry-failed' })).id);
    ({ fields } = await overview());
    expect(field(fields, 'video').replaced).toBe(0);
    expect(field(fields, 'hero.video').replaced).toBe(0);
  });
});

/** `n` imported values of videos/a.mp4, each with its own frame (so each costs its own GetSnapshot). */
async function seedMissing(n: number, tag: string, t0 = 0): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const time = Math.round((t0 + i * 0.013) * 1000) / 1000;
    times.push(time);
    await rawClip({ key: 'videos/a.mp4', snapshot: { time } }, { title: `${tag} ${i}` });
  }
  return times;
}

/** GetSnapshot requests of videos/a.mp4 per time (a bulk item's frame is asked for exactly once). */
const snapshotsPerTime = () => {
  const m = new Map<string, number>();
  for (const r of snapshotRequests(emu)) if (r.key === 'videos/a.mp4') m.set(r.query.time, (m.get(r.query.time) ?? 0) + 1);
  return m;
};

const settledCount = (op: Operation) => op.done + op.failed + op.skipped;
const jobsOf = async (id: string, status: string) =>
  (await strapi!.db.query('plugin::cos-video.job' as never).findMany({ where: { operationId: Number(id), status } })) as Array<{ runAt: string | number; priority: number }>;

describe('running operations', () => {
  it('pause stops feeding and holds its queued jobs; resume continues to the end', async () => {
    await seedMissing(24, 'pause', 0.03);
    emu.resetRequests();
    const op = await start({ kind: 'generate-missing' });
    expect(op.total).toBe(24);
    await waitUntil('a few items done', async () => settledCount(await getOp(op.id)) >= 3);
    const paused = await api('POST', '/thumbnails/operations/pause', { id: op.id });
    expect(paused.status).toBe(200);
    expect(paused.json.status).toBe('paused');
    expect(paused.json.etaSeconds).toBeNull();
    // the job running at the pause finishes; then nothing of it moves
    await waitUntil('the running job to end', async () => (await jobsOf(op.id, 'running')).length === 0);
    const held = await jobsOf(op.id, 'queued');
    expect(held.length).toBeGreaterThan(0);
    for (const j of held) expect(Number(j.runAt)).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    const requestsAtPause = snapshotRequests(emu).length;
    const service = strapi!.plugin('cos-video').service('thumbnailOperations') as { tick(): Promise<void> };
    for (let i = 0; i < 5; i++) await service.tick();
    await new Promise((r) => setTimeout(r, 1000));
    expect(snapshotRequests(emu).length).toBe(requestsAtPause);
    const whilePaused = await getOp(op.id);
    expect(whilePaused.status).toBe('paused');
    expect(settledCount(whilePaused)).toBeLessThan(24);
    // pausing twice names the state
    const again = await api('POST', '/thumbnails/operations/pause', { id: op.id });
    expect(again.status).toBe(400);
    expect(again.json.error.message).toBe(`id names an operation that is paused: got "${op.id}"; allowed: the id of a running operation`);

    const resumed = await api('POST', '/thumbnails/operations/resume', { id: op.id });
    expect(resumed.json.status).toBe('running');
    const end = await finished(op.id);
    expect(end).toMatchObject({ status: 'done', total: 24, done: 24, failed: 0, skipped: 0 });
    expect([...snapshotsPerTime().values()].every((n) => n === 1)).toBe(true);
    expect(snapshotsPerTime().size).toBe(24);
  });

  it('cancel drops the queued items, lets running ones finish, and leaves the rest missing', async () => {
    await seedMissing(24, 'cancel', 0.05);
    const op = await start({ kind: 'generate-missing' });
    await waitUntil('a few items done', async () => settledCount(await getOp(op.id)) >= 2);
    const cancelled = await api('POST', '/thumbnails/operations/cancel', { id: op.id });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.status).toBe('cancelled');
    expect(await jobsOf(op.id, 'queued')).toEqual([]);
    await waitUntil('the items to settle', async () => (await itemsOf(op.id)).every((i) => i.status !== 'queued' && i.status !== 'waiting'));
    const items = await itemsOf(op.id);
    const done = items.filter((i) => i.status === 'done').length;
    const dropped = items.filter((i) => i.status === 'cancelled').length;
    expect(done + dropped).toBe(24);
    expect(dropped).toBeGreaterThan(0);
    const end = await getOp(op.id);
    expect(end).toMatchObject({ status: 'cancelled', done, failed: 0 });
    // what it did not do is missing again: a new generate-missing would take exactly those
    expect(await dryRun({ kind: 'generate-missing' })).toBe(dropped);
    const cancelAgain = await api('POST', '/thumbnails/operations/cancel', { id: op.id });
    expect(cancelAgain.json.error.message).toBe(`id names an operation that is cancelled: got "${op.id}"; allowed: the id of a running or paused operation`);
    await finished((await start({ kind: 'generate-missing' })).id);
  });

  it("an editor's save during a bulk run of 200 items goes ahead of the bulk jobs", async () => {
    const times = await seedMissing(200, 'bulk', 0.001);
    emu.resetRequests();
    const op = await start({ kind: 'generate-missing' });
    expect(op.total).toBe(200);
    await waitUntil('the bulk run to be under way', async () => settledCount(await getOp(op.id)) >= 10);
    const mark = emu.requests().length;
    const saved = await cm.create({ title: 'editor', video: { key: 'videos/b.mp4', snapshot: { time: 3.5 } } });
    expect(saved.status).toBe(201);
    expect(saved.body.data.video.status).toBe('ready');
    expect(settledCount(await getOp(op.id))).toBeLessThan(200);
    // From the save on, COS made at most two bulk frames before the editor's: the bulk job running
    // when the save came in (concurrency 1), and one claimed while the save was still checking its
    // video (before its job existed). Bulk jobs queued ahead of it (a batch of 4) wait behind it.
    const after = snapshotRequests({ requests: () => emu.requests().slice(mark) } as RunningEmulator);
    const editorAt = after.findIndex((r) => r.key === 'videos/b.mp4');
    expect(editorAt).toBeGreaterThanOrEqual(0);
    expect(after.slice(0, editorAt).filter((r) => r.key === 'videos/a.mp4').length).toBeLessThanOrEqual(2);
    const end = await finished(op.id, 600_000);
    expect(end).toMatchObject({ status: 'done', done: 200, failed: 0 });
    const per = snapshotsPerTime();
    for (const t of times) expect(per.get(String(t))).toBe(1);
  }, 900_000);

  it('a restart mid-operation continues it, and every item is done once', async () => {
    const times = await seedMissing(30, 'restart', 2.5);
    emu.resetRequests();
    const op = await start({ kind: 'generate-missing' });
    await waitUntil('a few items done', async () => settledCount(await getOp(op.id)) >= 3);
    await strapi!.destroy();
    strapi = undefined;
    await boot();
    const end = await finished(op.id, 300_000);
    expect(end).toMatchObject({ status: 'done', total: 30, done: 30, failed: 0, skipped: 0 });
    const items = await itemsOf(op.id);
    expect(items.map((i) => i.status)).toEqual(times.map(() => 'done'));
    const per = snapshotsPerTime();
    for (const t of times) expect(per.get(String(t))).toBe(1);
  }, 600_000);
});

describe('RBAC', () => {
  it('every route needs the thumbnails action: Editor, Author and a role without it get 403; a role with it succeeds', async () => {
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/thumbnails', undefined],
      ['POST', '/thumbnails/dry-run', { kind: 'generate-missing' }],
      ['POST', '/thumbnails/operations', { kind: 'generate-missing' }],
      ['GET', '/thumbnails/operation?id=1', undefined],
      ['POST', '/thumbnails/operations/pause', { id: '1' }],
      ['POST', '/thumbnails/operations/resume', { id: '1' }],
      ['POST', '/thumbnails/operations/cancel', { id: '1' }],
      ['POST', '/thumbnails/operations/retry-item', { id: '1', itemId: '1' }],
    ];
    const editor = await createAdminUser(url, token, 'Edna', await builtInRoleId(url, token, 'strapi-editor'));
    const author = await createAdminUser(url, token, 'Arthur', await builtInRoleId(url, token, 'strapi-author'));
    const others = ['read', 'upload', 'regenerate', 'settings.read'].map((a) => ({ action: `plugin::cos-video.${a}` }));
    const withoutIt = await createAdminUser(url, token, 'Nadia', await createRole(url, token, 'cos-video without thumbnails', others));
    const withIt = await createAdminUser(url, token, 'Tom', await createRole(url, token, 'cos-video thumbnails', [{ action: 'plugin::cos-video.thumbnails' }]));
    const operationsBefore = (await overview()).operations.length;
    for (const user of [editor, author, withoutIt]) {
      for (const [method, route, body] of routes) {
        const r = await api(method, route, body, user.token);
        expect({ route, status: r.status }).toEqual({ route, status: 403 });
      }
    }
    expect((await overview()).operations.length).toBe(operationsBefore);
    expect((await api('GET', '/thumbnails', undefined, withIt.token)).status).toBe(200);
    expect((await api('POST', '/thumbnails/dry-run', { kind: 'retry-failed' }, withIt.token)).status).toBe(200);
    const started = await api('POST', '/thumbnails/operations', { kind: 'retry-failed' }, withIt.token);
    expect(started.status).toBe(200);
    expect(started.json.createdBy).toEqual({ id: withIt.id, name: 'Tom Tester' });
    expect((await api('GET', `/thumbnails/operation?id=${started.json.id}`, undefined, withIt.token)).status).toBe(200);
  });

  it("a failure names its entry by the entry's title only to an admin who may read that title (Content Manager read, its fields and conditions)", async () => {
    const documentId = await rawClip({ key: 'videos/never-uploaded.mp4', snapshot: { time: 1 } }, { title: 'Launch teaser' });
    const end = await finished((await start({ kind: 'generate-missing' })).id);
    const failureOf = (op: Operation) => op.failures.find((f) => f.entry.documentId === documentId);
    expect(failureOf(end)?.entry).toEqual({ uid: CLIP_UID, documentId, locale: 'en', title: 'Launch teaser' });

    const thumbnails = { action: 'plugin::cos-video.thumbnails' };
    const read = (fields: string[], conditions: string[] = []) => ({ action: 'plugin::content-manager.explorer.read', subject: CLIP_UID, properties: { fields, locales: ['en', 'fr'] }, conditions });
    const cases: Array<[string, Array<Record<string, unknown>>, string | undefined]> = [
      ['Tina', [thumbnails, read(['title'])], 'Launch teaser'],
      ['Otto', [thumbnails], undefined], // no read permission on the type
      ['Fiona', [thumbnails, read(['video'])], undefined], // may read the entry, not its title
      ['Cora', [thumbnails, read(['title'], ['admin::is-creator'])], undefined], // the entry is not hers
    ];
    for (const [name, permissions, title] of cases) {
      const user = await createAdminUser(url, token, name, await createRole(url, token, `thumbnails titles ${name}`, permissions as never));
      for (const route of [`/thumbnails/operation?id=${end.id}`, '/thumbnails']) {
        const r = await api('GET', route, undefined, user.token);
        expect(r.status).toBe(200);
        const op = route === '/thumbnails' ? (r.json.operations as Operation[]).find((o) => o.id === end.id)! : (r.json as Operation);
        expect({ name, route, entry: failureOf(op)?.entry }).toEqual({ name, route, entry: { uid: CLIP_UID, documentId, locale: 'en', ...(title ? { title } : {}) } });
      }
    }
  });
});
