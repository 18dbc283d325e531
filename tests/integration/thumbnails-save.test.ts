/**
 * Saving entries through the Content Manager API against a real Strapi (SQLite) and the COS
 * emulator through the real SDK: thumbnails arrive in every place the field can live.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { REPO_ROOT, createAdmin, loadStrapi, strapiUrl, writeApp } from '../../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../../dev/emulator';
import { readFrameIndex, imageSize } from '../../dev/media';
import { BUCKET, TMP, download, pluginConfig, snapshotRequests, uploadVideo, upload, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID, clipApp } from '../helpers/clip-app';
import { ContentManager, editable } from '../helpers/content-manager';

let emu: RunningEmulator;
let strapi: Core.Strapi;
let cm: ContentManager;
let url: string;
const dir = path.join(TMP, `save-${process.pid}`);

beforeAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  emu = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET] });
  await uploadVideo(emu, 'videos/a.mp4');
  await uploadVideo(emu, 'videos/b.mp4');
  await writeApp(
    clipApp({
      dir: path.join(dir, 'app'),
      database: { client: 'sqlite', filename: path.join(dir, 'app', '.tmp', 'data.db') },
      plugin: { from: 'path', path: REPO_ROOT },
      pluginConfig: pluginConfig(emu),
    }),
  );
  strapi = await loadStrapi(path.join(dir, 'app'));
  url = strapiUrl(strapi);
  const { token } = await createAdmin(url, { email: 'save@example.com', password: 'Save12345' });
  cm = new ContentManager(url, token, CLIP_UID);
});

afterAll(async () => {
  await strapi?.destroy();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function frameOf(value: { thumbnail: { key: string } }): Promise<number> {
  return readFrameIndex(await download(emu, value.thumbnail.key));
}

describe('create', () => {
  it('stores a ready thumbnail of the chosen frame at top level, in components and in a dynamic zone', async () => {
    const res = await cm.create({
      title: 'first',
      video: { key: 'videos/a.mp4', snapshot: { time: 2 } },
      hero: { caption: 'hero', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } },
      gallery: [{ video: { key: 'videos/b.mp4', snapshot: { time: 0.2 } } }, { video: { key: 'videos/b.mp4', snapshot: { time: 3 } } }],
      blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4' } }],
    });
    expect(res.status).toBe(201);
    const doc = res.body.data;
    expect(doc.video).toMatchObject({ key: 'videos/a.mp4', bucket: BUCKET, status: 'ready', error: null });
    expect(doc.video.snapshot).toEqual({ time: 2, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' });
    expect(doc.video.media).toMatchObject({ width: 320, height: 180, fps: 25 });
    expect(doc.video.thumbnail).toMatchObject({ format: 'jpg', width: 320, height: 180 });
    expect(await frameOf(doc.video)).toBe(50);
    expect(await frameOf(doc.hero.video)).toBe(25);
    expect(await frameOf(doc.gallery[0].video)).toBe(5);
    expect(await frameOf(doc.gallery[1].video)).toBe(75);
    // field options of the dynamic-zone component: time 0.4, png
    expect(doc.blocks[0].video.snapshot).toMatchObject({ time: 0.4, format: 'png' });
    expect(await frameOf(doc.blocks[0].video)).toBe(10);
    expect(imageSize(await download(emu, doc.blocks[0].video.thumbnail.key)).format).toBe('png');
  });
});
