/**
 * What front ends get with a ready thumbnail, through a real Strapi and the emulator: every URL in
 * `thumbnail.formats` opens (signed and unsigned) and is an image of the stated size and format,
 * decoded; the placeholder decodes to its stated size; width, height and aspectRatio match the
 * image; the editor's `alt` round-trips through the Content Manager, REST and GraphQL, and a bad
 * one is refused naming the field and changes nothing.
 */
import sharp from 'sharp';
import { decode, isBlurhashValid } from 'blurhash';
import type { Core } from '@strapi/strapi';
import type { CosVideoValue, ThumbnailFormat } from '../../common/field-value';
import { ALT_MAX_LENGTH } from '../../common/poster-alt';
import { CLIP_UID } from '../helpers/clip-app';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';
import { BUCKET, snapshotRequests } from '../helpers/cos-fixtures';

let env: ClipEnv;
let strapi: Core.Strapi;

const FORMATS = { sizes: { small: 160, medium: 320, large: 640 }, types: ['original', 'webp', 'avif'], quality: 70 };
// The test video is 320×180: `large` (640) is wider than every thumbnail and is left out.
const EXPECTED_NAMES = ['small', 'medium', 'small_webp', 'medium_webp', 'small_avif', 'medium_avif'];
// What sharp calls each format when it decodes the bytes.
const DECODED: Record<string, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'heif' };

beforeAll(async () => {
  env = await startClipEnv('formats', { saveWaitMs: 8000, thumbnailFormats: FORMATS }, { graphql: true }, { publicRead: [BUCKET] });
  strapi = env.strapi;
});
afterAll(() => env?.close());

/** The same entry through the Content Manager, public REST and public GraphQL. */
async function readAll(documentId: string) {
  const cm = (await env.cm.get(documentId)).body.data as any;
  const rest = ((await fetch(`${env.url}/api/clips/${documentId}?populate=*`).then((r) => r.json())) as any).data;
  const query = `{ clips(filters: { documentId: { eq: "${documentId}" } }) { video hero { video } } }`;
  const gql = (await fetch(`${env.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }).then((r) => r.json())) as any;
  return { cm, rest, graphql: gql.data?.clips?.[0] };
}

/** Opens a URL and decodes what it serves. */
async function openImage(url: string) {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  const meta = res.ok ? await sharp(body).metadata() : undefined;
  return { status: res.status, contentType: res.headers.get('content-type'), format: meta?.format, width: meta?.width, height: meta?.height };
}

/** Every format opens and is what it says it is. */
async function checkFormats(formats: Record<string, ThumbnailFormat>) {
  for (const [name, f] of Object.entries(formats)) {
    const seen = await openImage(f.url);
    expect({ name, ...seen }).toEqual({ name, status: 200, contentType: f.mime, format: DECODED[f.mime], width: f.width, height: f.height });
  }
}

async function checkPlaceholderAndSize(t: NonNullable<CosVideoValue['thumbnail']>) {
  const image = await openImage(t.url);
  expect([image.status, image.width, image.height]).toEqual([200, t.width, t.height]);
  expect(t.aspectRatio).toBeCloseTo(t.width / t.height, 3);
  const p = t.placeholder!;
  expect(p).toEqual({ blurhash: expect.any(String), width: expect.any(Number), height: expect.any(Number), dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/) });
  expect(isBlurhashValid(p.blurhash)).toEqual({ result: true });
  expect(Math.max(p.width, p.height)).toBe(32);
  expect(p.width / p.height).toBeCloseTo(t.width / t.height, 1);
  expect(decode(p.blurhash, p.width, p.height).length).toBe(p.width * p.height * 4);
}

describe('thumbnail.formats, placeholder and alt', () => {
  let documentId: string;

  beforeAll(async () => {
    const created = await env.cm.create({
      title: 'front end',
      video: { key: 'videos/a.mp4', snapshot: { time: 1 }, alt: '  The frame at one second  ' },
      hero: { caption: 'hero', video: { key: 'videos/b.mp4', snapshot: { time: 2 }, alt: 'Hero poster' } },
      // media.video-block makes png thumbnails (its field options).
      blocks: [{ __component: 'media.video-block', video: { key: 'videos/a.mp4' } }],
    });
    expect(created.status).toBe(201);
    documentId = created.body.data.documentId as string;
    expect((await env.cm.publish(documentId)).status).toBe(200);
  });

  it('signed: every format of a jpg and a png thumbnail (top level, component, dynamic zone) opens as the stated image', async () => {
    const { cm } = await readAll(documentId);
    const values: CosVideoValue[] = [cm.video, cm.hero.video, cm.blocks[0].video];
    expect(values.map((v) => [v.status, v.thumbnail?.format])).toEqual([['ready', 'jpg'], ['ready', 'jpg'], ['ready', 'png']]);
    for (const v of values) {
      const formats = v.thumbnail!.formats!;
      expect(Object.keys(formats)).toEqual(EXPECTED_NAMES);
      expect(formats.small.mime).toBe(v.thumbnail!.format === 'png' ? 'image/png' : 'image/jpeg');
      for (const f of Object.values(formats)) {
        // Signed, with the rendition inside the signature (not an unsigned URL with a parameter appended).
        expect(new URL(f.url).searchParams.get('q-url-param-list')).toContain('imagemogr2');
      }
      await checkFormats(formats);
      await checkPlaceholderAndSize(v.thumbnail!);
    }
  });

  it('alt round-trips trimmed, and REST and GraphQL return the same formats, placeholder and alt', async () => {
    const { cm, rest, graphql } = await readAll(documentId);
    expect(cm.video.alt).toBe('The frame at one second');
    expect(cm.hero.video.alt).toBe('Hero poster');
    expect(cm.blocks[0].video).not.toHaveProperty('alt');
    for (const v of [rest.video, graphql.video]) {
      expect(v.alt).toBe('The frame at one second');
      expect(Object.keys(v.thumbnail.formats)).toEqual(EXPECTED_NAMES);
      expect(v.thumbnail.placeholder).toEqual(cm.video.thumbnail.placeholder);
      expect(v.thumbnail.aspectRatio).toBe(cm.video.thumbnail.aspectRatio);
      await checkFormats(v.thumbnail.formats);
    }
    expect(graphql.hero.video.alt).toBe('Hero poster');
    expect(rest.hero.video.alt).toBe('Hero poster');
  });

  it('unsigned (signUrls off, public-read bucket): every format URL is the COS processing URL and opens as the stated image', async () => {
    env.setConfig({ signUrls: false });
    try {
      const { rest, graphql } = await readAll(documentId);
      for (const v of [rest.video, rest.hero.video, graphql.video]) {
        for (const f of Object.values(v.thumbnail.formats as Record<string, ThumbnailFormat>)) {
          expect(f.url).not.toContain('q-signature');
          expect(f.url).toMatch(/\?imageMogr2\/thumbnail\/\d+x\/format\/(jpg|png|webp|avif)/);
        }
        await checkFormats(v.thumbnail.formats);
      }
    } finally {
      env.setConfig({ signUrls: true });
    }
  });

  it('changing only the alt costs no GetSnapshot and keeps the ready thumbnail', async () => {
    const before = snapshotRequests(env.emu).length;
    const { cm } = await readAll(documentId);
    const res = await env.cm.update(documentId, { video: { ...cm.video, alt: 'A new description' } });
    expect(res.status).toBe(200);
    expect(res.body.data.video).toMatchObject({ status: 'ready', alt: 'A new description', thumbnail: { key: cm.video.thumbnail.key } });
    expect(snapshotRequests(env.emu).length).toBe(before);
    // null removes it
    const cleared = await env.cm.update(documentId, { video: { ...cm.video, alt: null } });
    expect(cleared.body.data.video).not.toHaveProperty('alt');
  });

  it.each([
    ['a number', 42, 'video.alt must be a string: got 42'],
    ['too long', 'x'.repeat(ALT_MAX_LENGTH + 1), `video.alt is too long (${ALT_MAX_LENGTH + 1} characters)`],
    ['two lines', 'one\ntwo', 'video.alt contains a line break'],
  ])('alt %s is refused with a 400 naming video.alt, and nothing changes', async (_label, alt, message) => {
    await env.cm.update(documentId, { video: { key: 'videos/a.mp4', snapshot: { time: 1 }, alt: 'Kept' } });
    const res = await env.cm.update(documentId, { title: 'changed', video: { key: 'videos/a.mp4', snapshot: { time: 1 }, alt } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toContain(message);
    const after = (await env.cm.get(documentId)).body.data as any;
    expect([after.title, after.video.alt]).toEqual(['front end', 'Kept']);
  });

  it('an image reused for the same choice in another entry carries the same placeholder and formats', async () => {
    const first = (await readAll(documentId)).cm.video as CosVideoValue;
    const created = await env.cm.create({ title: 'same choice', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } });
    const v = created.body.data.video as CosVideoValue;
    expect(v.status).toBe('ready');
    expect(v.thumbnail!.key).toBe(first.thumbnail!.key);
    expect(v.thumbnail!.placeholder).toEqual(first.thumbnail!.placeholder);
    expect(Object.keys(v.thumbnail!.formats!)).toEqual(EXPECTED_NAMES);
  });

  it('the stored value holds the placeholder but no formats (their URLs are made on every read)', async () => {
    const row = (await strapi.db.query(CLIP_UID as never).findOne({ where: { documentId, publishedAt: null } } as never)) as any;
    const stored = (typeof row.video === 'string' ? JSON.parse(row.video) : row.video) as CosVideoValue;
    expect(stored.thumbnail!.placeholder!.blurhash).toEqual(expect.any(String));
    expect(stored.thumbnail).not.toHaveProperty('formats');
  });
});
