/**
 * A video replaced in COS under the same key (new ETag): the next save of the entry notices it
 * with one HEAD, makes a thumbnail of the new content and stores the new duration, and checks
 * the snapshot time against that duration. Real Strapi + the COS emulator through the real SDK.
 * Most tests run with `videoRecheckMs: 0` (every save HEADs); the last block covers the window in
 * which a save reuses this process's recent HEAD instead.
 */
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeIndexedVideo, readFrameIndex } from '../../dev/media';
import { VIDEO, download, snapshotRequests, upload, uploadVideo } from '../helpers/cos-fixtures';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { editable } from '../helpers/content-manager';

let env: ClipEnv;
/** The replacement: 3 s at 10 fps, so time t shows frame floor(10 t) instead of floor(25 t). */
const SHORT = { frames: 30, fps: 10, width: VIDEO.width, height: VIDEO.height, keyframeInterval: 10 } as const;
let shortVideo: Buffer;

beforeAll(async () => {
  env = await startClipEnv('replaced', { videoRecheckMs: 0 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cos-video-replaced-'));
  const file = path.join(dir, 'short.mp4');
  await makeIndexedVideo({ file, ...SHORT });
  shortVideo = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(() => env?.close());
afterEach(() => {
  env.emu.setFaults({});
  env.setConfig({ videoRecheckMs: 0 });
});

const frameOf = async (v: { thumbnail: { key: string } }) => readFrameIndex(await download(env.emu, v.thumbnail.key));
const replace = (key: string) => upload(env.emu, key, shortVideo, 'video/mp4');

async function createOn(key: string) {
  await uploadVideo(env.emu, key);
  const res = await env.cm.create({ title: key, video: { key, snapshot: { time: 1 } }, hero: { video: { key, snapshot: { time: 2 } } } });
  expect(res.status).toBe(201);
  const doc = res.body.data;
  expect(doc.video.status).toBe('ready');
  expect(doc.hero.video.status).toBe('ready');
  expect(await frameOf(doc.video)).toBe(25);
  expect(doc.video.media.duration).toBeCloseTo(4, 1);
  return doc;
}

it('an unchanged object costs one HEAD per object and nothing else', async () => {
  const doc = await createOn('videos/same.mp4');
  env.emu.resetRequests();
  const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'renamed' });
  expect(res.status).toBe(200);
  expect(env.emu.requests().map((r) => `${r.method} ${r.key}`)).toEqual(['HEAD videos/same.mp4']);
  expect(res.body.data.video.thumbnail.key).toBe(doc.video.thumbnail.key);
  expect(res.body.data.hero.video.thumbnail.key).toBe(doc.hero.video.thumbnail.key);
});

it('save → replace the object under the same key → save: new thumbnails of the new frames, the new duration', async () => {
  const doc = await createOn('videos/replaced.mp4');
  await replace('videos/replaced.mp4');
  env.emu.resetRequests();
  const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'same choice, new video' });
  expect(res.status).toBe(200);
  const { video, hero } = res.body.data;
  for (const [now, before] of [
    [video, doc.video],
    [hero.video, doc.hero.video],
  ]) {
    expect(now.status).toBe('ready');
    expect(now.snapshot).toEqual(before.snapshot);
    expect(now.thumbnail.key).not.toBe(before.thumbnail.key);
    expect(now.media.duration).toBeCloseTo(3, 1);
    expect(now.media.fps).toBe(10);
  }
  expect(await frameOf(video)).toBe(10);
  expect(await frameOf(hero.video)).toBe(20);
  expect(snapshotRequests(env.emu)).toHaveLength(2);
});

it('a time past the new end is refused with 400 naming the field, though the stored duration allowed it', async () => {
  const doc = await createOn('videos/shortened.mp4');
  await replace('videos/shortened.mp4');
  env.emu.resetRequests();
  const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'late', hero: { ...doc.hero, video: { ...doc.hero.video, snapshot: { ...doc.hero.video.snapshot, time: 3.5 } } } });
  expect(res.status).toBe(400);
  expect(res.body.error!.name).toBe('ValidationError');
  expect(res.body.error!.message).toContain('hero.video.snapshot.time is beyond the end of the video');
  expect(res.body.error!.message).toContain('got 3.5');
  expect(res.body.error!.message).toContain('allowed: 0 to 3 seconds');
  // The save sends a new frame's GetSnapshot together with its HEAD when the stored duration allows the
  // time (early-snapshot.ts): here HEAD then finds the video replaced, so that one GetSnapshot is wasted
  // and its image dropped — no other, and nothing stored.
  expect(snapshotRequests(env.emu).length).toBeLessThanOrEqual(1);
  expect(env.emu.requests().filter((r) => r.method === 'PUT')).toEqual([]);
  const after = (await env.cm.get(doc.documentId)).body.data;
  expect(after.title).toBe(doc.title);
  expect(after.hero.video.snapshot.time).toBe(2);
});

it('COS down during the re-check: the save keeps the stored thumbnail and media', async () => {
  const doc = await createOn('videos/unreachable.mp4');
  env.emu.setFaults({ failRate: 1, failStatus: 503, scope: 'all' });
  env.emu.resetRequests();
  const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'cos down' });
  env.emu.setFaults({});
  expect(res.status).toBe(200);
  // the re-check was tried and failed
  const heads = env.emu.requests().filter((r) => r.method === 'HEAD' && r.key === 'videos/unreachable.mp4');
  expect(heads.length).toBeGreaterThan(0);
  expect(heads.every((r) => r.status === 503)).toBe(true);
  expect(res.body.data.video).toMatchObject({ status: 'ready', thumbnail: { key: doc.video.thumbnail.key }, media: doc.video.media });
  expect(res.body.data.hero.video.thumbnail.key).toBe(doc.hero.video.thumbnail.key);
});

describe('videoRecheckMs: a save reuses this process\'s HEAD of the video for that long', () => {
  const heads = (key: string) => env.emu.requests().filter((r) => r.method === 'HEAD' && r.key === key).length;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('an unchanged save right after the create sends no COS request at all', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const doc = await createOn('videos/recent.mp4');
    env.emu.resetRequests();
    const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'renamed at once' });
    expect(res.status).toBe(200);
    expect(env.emu.requests().map((r) => `${r.method} ${r.key}`)).toEqual([]);
    expect(res.body.data.video).toMatchObject({ status: 'ready', thumbnail: { key: doc.video.thumbnail.key } });
    expect(res.body.data.hero.video.thumbnail.key).toBe(doc.hero.video.thumbnail.key);
  });

  it('a video replaced behind the plugin\'s back: not seen inside the window, seen by the first save after it', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const doc = await createOn('videos/behind.mp4');
    await replace('videos/behind.mp4');
    env.emu.resetRequests();
    const inside = await env.cm.update(doc.documentId, { ...editable(doc), title: 'inside the window' });
    expect(inside.status).toBe(200);
    expect(heads('videos/behind.mp4')).toBe(0);
    expect(inside.body.data.video.thumbnail.key).toBe(doc.video.thumbnail.key);
    // The window compressed by config: the HEAD the create made is now older than it.
    env.setConfig({ videoRecheckMs: 50 });
    await sleep(100);
    env.emu.resetRequests();
    const after = await env.cm.update(doc.documentId, { ...editable(inside.body.data), title: 'after the window' });
    expect(after.status).toBe(200);
    expect(heads('videos/behind.mp4')).toBe(1);
    expect(after.body.data.video.status).toBe('ready');
    expect(after.body.data.video.thumbnail.key).not.toBe(doc.video.thumbnail.key);
    expect(after.body.data.video.media.duration).toBeCloseTo(3, 1);
    expect(await frameOf(after.body.data.video)).toBe(10);
  });

  it('POST /media-info that saw the new ETag (the editor opened the entry) makes the next save notice it, without a HEAD of its own', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    const doc = await createOn('videos/opened.mp4');
    await replace('videos/opened.mp4');
    const info = await fetch(`${env.url}/cos-video/media-info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'videos/opened.mp4' }),
    });
    expect(info.status).toBe(200);
    const { etag } = (await info.json()) as { etag: string };
    expect(etag).not.toBe(doc.video.verified.etag);
    env.emu.resetRequests();
    const res = await env.cm.update(doc.documentId, { ...editable(doc), title: 'after opening' });
    expect(res.status).toBe(200);
    expect(heads('videos/opened.mp4')).toBe(0);
    const { video, hero } = res.body.data;
    expect(video).toMatchObject({ status: 'ready', verified: { etag } });
    expect(video.thumbnail.key).not.toBe(doc.video.thumbnail.key);
    expect(video.media.duration).toBeCloseTo(3, 1);
    expect(await frameOf(video)).toBe(10);
    expect(await frameOf(hero.video)).toBe(20);
  });

  it('a HEAD that found no video is not reused: the refusal rests on a fresh HEAD', async () => {
    env.setConfig({ videoRecheckMs: 60_000 });
    await upload(env.emu, 'videos/notes.mp4', Buffer.from('not a video'), 'text/plain');
    const first = await env.cm.create({ title: 'text', video: { key: 'videos/notes.mp4' } });
    expect(first.status).toBe(400);
    await uploadVideo(env.emu, 'videos/notes.mp4');
    env.emu.resetRequests();
    const second = await env.cm.create({ title: 'now a video', video: { key: 'videos/notes.mp4', snapshot: { time: 1 } } });
    expect(second.status).toBe(201);
    expect(heads('videos/notes.mp4')).toBe(1);
  });
});
