/**
 * Saving entries through the Content Manager API against a real Strapi (SQLite) and the COS
 * emulator through the real SDK: thumbnails arrive in every place the field can live, the
 * right frame (read from the pixels), with one HEAD per object and nothing else when nothing changed.
 */
import type { Core } from '@strapi/strapi';
import type { RunningEmulator } from '../../dev/emulator';
import { imageSize, readFrameIndex } from '../../dev/media';
import { BUCKET, download, snapshotRequests } from '../helpers/cos-fixtures';
import { CLIP_UID } from '../helpers/clip-app';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { type ContentManager, editable } from '../helpers/content-manager';
import { EMULATOR_REGION } from '../../dev/app-kit/emulator-fixture';

let env: ClipEnv;
let emu: RunningEmulator;
let strapi: Core.Strapi;
let cm: ContentManager;
let url: string;

beforeAll(async () => {
  env = await startClipEnv('save', {}, { graphql: true });
  ({ emu, strapi, cm, url } = env);
});
afterAll(() => env?.close());

const frameOf = async (value: { thumbnail: { key: string } }) => readFrameIndex(await download(emu, value.thumbnail.key));

let doc: Record<string, any>;

describe('create', () => {
  it('stores a ready thumbnail of the chosen frame at top level, in components and in a dynamic zone', async () => {
    const res = await cm.create({
      title: 'first',
      video: { key: 'videos/a.mp4', snapshot: { time: 2 } },
      hero: { caption: 'hero', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } },
      gallery: [{ video: { key: 'videos/b.mp4', snapshot: { time: 0.2 } } }, { video: { key: 'videos/b.mp4', snapshot: { time: '0:03' } } }],
      blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4' } }],
    });
    expect(res.status).toBe(201);
    doc = res.body.data;
    expect(doc.video).toMatchObject({ key: 'videos/a.mp4', bucket: BUCKET, region: EMULATOR_REGION, status: 'ready', error: null });
    expect(doc.video.snapshot).toEqual({ time: 2, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' });
    expect(doc.video.media).toMatchObject({ width: 320, height: 180, fps: 25 });
    expect(doc.video.media.duration).toBeCloseTo(4, 1);
    expect(doc.video.thumbnail).toMatchObject({ format: 'jpg', width: 320, height: 180 });
    expect(doc.video.thumbnail.key.startsWith('thumbnails/')).toBe(true);
    expect(await frameOf(doc.video)).toBe(50);
    expect(await frameOf(doc.hero.video)).toBe(25);
    expect(await frameOf(doc.gallery[0].video)).toBe(5);
    expect(await frameOf(doc.gallery[1].video)).toBe(75);
    // the dynamic-zone component's field options: time 0.4, png
    expect(doc.blocks[0].video.snapshot).toMatchObject({ time: 0.4, format: 'png' });
    expect(await frameOf(doc.blocks[0].video)).toBe(10);
    expect(imageSize(await download(emu, doc.blocks[0].video.thumbnail.key)).format).toBe('png');
  });

  it('returns usable URLs: a signed thumbnail URL showing the frame and a playback URL for the video', async () => {
    const thumb = await fetch(doc.video.thumbnail.url);
    expect(thumb.status).toBe(200);
    expect(readFrameIndex(Buffer.from(await thumb.arrayBuffer()))).toBe(50);
    const video = await fetch(doc.video.url, { headers: { range: 'bytes=0-99' } });
    expect(video.status).toBe(206);
    expect((await video.arrayBuffer()).byteLength).toBe(100);
  });

  it('without a snapshot choice the field options apply, then the plugin config', async () => {
    const defaults = { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' };
    env.setConfig({ snapshot: { ...defaults, time: 3.8, format: 'png' } });
    try {
      const res = await cm.create({
        title: 'defaults',
        hero: { video: { key: 'videos/a.mp4' } },
        blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4', snapshot: { format: 'jpg' } } }],
      });
      expect(res.status).toBe(201);
      const { hero, blocks } = res.body.data;
      expect(hero.video.snapshot).toEqual({ ...defaults, time: 3.8, format: 'png' });
      expect(await frameOf(hero.video)).toBe(95);
      // field options (time 0.4, png) win over the config; the caller's own choice over both
      expect(blocks[0].video.snapshot).toEqual({ ...defaults, time: 0.4, format: 'jpg' });
      expect(await frameOf(blocks[0].video)).toBe(10);
    } finally {
      env.setConfig({ snapshot: defaults });
    }
  });

  it('ignores server-owned fields sent by a client', async () => {
    const forged = { key: 'thumbnails/evil.jpg', url: 'https://evil.example/x.jpg', format: 'jpg', width: 1, height: 1, size: 1, generatedAt: 'x' };
    const res = await cm.create({
      title: 'forged',
      video: { key: 'videos/b.mp4', snapshot: { time: 1.5 }, status: 'ready', thumbnail: forged, media: { duration: 999 }, error: null },
    });
    expect(res.status).toBe(201);
    const v = res.body.data.video;
    expect(v.status).toBe('ready');
    expect(v.thumbnail.key).not.toBe('thumbnails/evil.jpg');
    expect(v.media.duration).toBeCloseTo(4, 1);
    expect(await frameOf(v)).toBe(37);
  });
});

describe('update', () => {
  it('when nothing changed, re-checks each distinct object with one HEAD and makes no other COS request (videoRecheckMs 0; inside the window not even that, see save-cost)', async () => {
    const before = (await cm.get(doc.documentId)).body.data;
    env.setConfig({ videoRecheckMs: 0 });
    emu.resetRequests();
    const res = await cm.update(doc.documentId, { ...editable(before), title: 'renamed' }).finally(() => env.setConfig({ videoRecheckMs: 60_000 }));
    expect(res.status).toBe(200);
    expect(emu.requests().map((r) => `${r.method} ${r.key}`).sort()).toEqual(['HEAD videos/a.mp4', 'HEAD videos/b.mp4']);
    const after = res.body.data;
    expect(after.title).toBe('renamed');
    for (const [a, b] of [
      [after.video, before.video],
      [after.hero.video, before.hero.video],
      [after.gallery[1].video, before.gallery[1].video],
      [after.blocks[0].video, before.blocks[0].video],
    ]) {
      expect(a.status).toBe('ready');
      expect(a.thumbnail.key).toBe(b.thumbnail.key);
    }
  });

  it('a new time makes a new thumbnail of the new frame, once', async () => {
    const before = (await cm.get(doc.documentId)).body.data;
    emu.resetRequests();
    const res = await cm.update(doc.documentId, { ...editable(before), video: { ...before.video, snapshot: { ...before.video.snapshot, time: 3.2 } } });
    expect(res.status).toBe(200);
    const v = res.body.data.video;
    expect(v.status).toBe('ready');
    expect(v.thumbnail.key).not.toBe(before.video.thumbnail.key);
    expect(await frameOf(v)).toBe(80);
    expect(snapshotRequests(emu)).toHaveLength(1);
    expect(res.body.data.hero.video.thumbnail.key).toBe(before.hero.video.thumbnail.key);
  });

  it('going back to an earlier choice reuses its image without GetSnapshot', async () => {
    const before = (await cm.get(doc.documentId)).body.data;
    emu.resetRequests();
    const res = await cm.update(doc.documentId, { ...editable(before), video: { key: 'videos/a.mp4', snapshot: { time: 2 } } });
    expect(res.body.data.video.status).toBe('ready');
    expect(await frameOf(res.body.data.video)).toBe(50);
    expect(snapshotRequests(emu)).toHaveLength(0);
  });

  it('width / height / format / mode are applied', async () => {
    const res = await cm.update(doc.documentId, {
      gallery: [{ video: { key: 'videos/b.mp4', snapshot: { time: 1.9, width: 160, height: 0, format: 'png', mode: 'keyframe' } } }],
    });
    expect(res.status).toBe(200);
    const v = res.body.data.gallery[0].video;
    expect(v).toMatchObject({ status: 'ready', thumbnail: { width: 160, height: 90, format: 'png' } });
    expect(imageSize(await download(emu, v.thumbnail.key))).toEqual({ width: 160, height: 90, format: 'png' });
    expect(await frameOf(v)).toBe(25); // last keyframe at or before 1.9 s
  });
});

describe('publish, REST and locales', () => {
  it('publishing carries the ready value; the public REST API shows usable URLs', async () => {
    const res = await cm.publish(doc.documentId);
    expect(res.status).toBe(200);
    const rest = await fetch(`${url}/api/clips/${doc.documentId}?populate=*`).then((r) => r.json() as Promise<any>);
    const v = rest.data.video;
    expect(v.status).toBe('ready');
    const img = await fetch(v.thumbnail.url);
    expect(img.status).toBe(200);
    expect(readFrameIndex(Buffer.from(await img.arrayBuffer()))).toBe(50);
    expect(typeof v.url).toBe('string');
    expect((await fetch(v.url, { headers: { range: 'bytes=0-9' } })).status).toBe(206);
    expect(rest.data.hero.video.thumbnail.url).toContain('q-signature');
  });

  it('GraphQL returns usable URLs at top level, in components and in dynamic zones', async () => {
    const query = `{ clips(filters: { documentId: { eq: "${doc.documentId}" } }) {
      video hero { video } gallery { video } blocks { ... on ComponentMediaVideoBlock { video } } } }`;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    const [clip] = body.data.clips;
    const values = [clip.video, clip.hero.video, clip.gallery[0].video, clip.blocks[0].video];
    for (const v of values) {
      expect(v.status).toBe('ready');
      expect(v.thumbnail.url).toContain('q-signature');
      expect(v.url).toContain('q-signature');
    }
    const img = await fetch(clip.hero.video.thumbnail.url);
    expect(img.status).toBe(200);
    expect(readFrameIndex(Buffer.from(await img.arrayBuffer()))).toBe(25);
  });

  it('a second locale gets its own thumbnail; the same choice in another locale costs no GetSnapshot', async () => {
    emu.resetRequests();
    const fr = await cm.update(doc.documentId, { title: 'fr', video: { key: 'videos/a.mp4', snapshot: { time: 0.6 } } }, 'fr');
    expect(fr.status).toBe(200);
    expect(fr.body.data.locale).toBe('fr');
    expect(await frameOf(fr.body.data.video)).toBe(15);
    expect(snapshotRequests(emu)).toHaveLength(1);
    const en = (await cm.get(doc.documentId, 'en')).body.data;
    expect(await frameOf(en.video)).toBe(50);

    emu.resetRequests();
    const again = await cm.update(doc.documentId, { title: 'fr2', video: { key: 'videos/a.mp4', snapshot: { time: 2 } } }, 'fr');
    expect(again.body.data.video.status).toBe('ready');
    expect(again.body.data.video.thumbnail.key).toBe(en.video.thumbnail.key);
    expect(snapshotRequests(emu)).toHaveLength(0);
  });

  it('clone copies ready values without new snapshots', async () => {
    emu.resetRequests();
    const res = await cm.clone(doc.documentId, { title: 'copy' });
    expect(res.status).toBe(200);
    const copy = (await cm.get(res.body.data.documentId)).body.data;
    expect(copy.video.status).toBe('ready');
    expect(await frameOf(copy.video)).toBe(50);
    expect(snapshotRequests(emu)).toHaveLength(0);
  });
});

describe('the job table', () => {
  it('is a plugin content type hidden from the Content Manager and the Content-Type Builder', async () => {
    const ct = strapi.contentType('plugin::cos-video.job' as never) as { pluginOptions: Record<string, { visible: boolean }> };
    expect(ct.pluginOptions['content-manager'].visible).toBe(false);
    expect(ct.pluginOptions['content-type-builder'].visible).toBe(false);
    const jobs = await strapi.db.query('plugin::cos-video.job' as never).findMany({});
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j: any) => j.status === 'done')).toBe(true);
  });
});

describe('thumbnails service', () => {
  it('regenerate() runs GetSnapshot again for an entry and keeps it ready', async () => {
    emu.resetRequests();
    const thumbnails = strapi.plugin('cos-video').service('thumbnails');
    const r = await thumbnails.regenerate({ uid: CLIP_UID, documentId: doc.documentId, locale: 'en', path: 'video' });
    expect(r).toEqual({ status: 'ready', jobs: 1 });
    expect(snapshotRequests(emu)).toHaveLength(1);
    const en = (await cm.get(doc.documentId, 'en')).body.data;
    expect(en.video.status).toBe('ready');
    expect(await frameOf(en.video)).toBe(50);
  });

  it('generate() makes a thumbnail for a bare value', async () => {
    const v = await strapi.plugin('cos-video').service('thumbnails').generate({ key: 'videos/b.mp4', snapshot: { time: 0.08 } });
    expect(v.status).toBe('ready');
    expect(await frameOf(v)).toBe(2);
  });
});
