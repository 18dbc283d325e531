/**
 * No URL for an object that was never verified as a video. A private bucket (the emulator's
 * default), signUrls on, and COS slow enough that the save-time HEAD / videoinfo check gets no
 * answer within half of saveWaitMs: the value is stored "pending" unverified. Until its job has
 * verified the object, and never after the job found it is not a video, no response — Content
 * Manager, public REST, GraphQL, the document service (what webhooks and other plugins see) —
 * carries a URL that opens it. Forged server-owned fields (a "ready" state, a verification, a
 * thumbnail pointing at any object) are ignored.
 */
import type { Core } from '@strapi/strapi';
import { BUCKET, REGION, sdk, upload, waitUntil } from '../helpers/cos-fixtures';
import { CLIP_UID } from '../helpers/clip-app';
import { startClipEnv, type ClipEnv } from '../helpers/clip-env';

let env: ClipEnv;
let strapi: Core.Strapi;

const SECRET_TEXT = 'internal notes: not for the public';
const TEXT_KEY = 'notes/secret.txt';
// Named like a video but stored as HTML: the extension alone must not make it "a video".
const HTML_KEY = 'videos/page.mp4';

beforeAll(async () => {
  env = await startClipEnv('verify', { saveWaitMs: 600, signUrls: true }, { graphql: true });
  strapi = env.strapi;
  await upload(env.emu, TEXT_KEY, Buffer.from(SECRET_TEXT), 'text/plain');
  await upload(env.emu, HTML_KEY, Buffer.from(`<html>${SECRET_TEXT}</html>`), 'text/html');
});
afterAll(() => env?.close());

afterEach(() => env.emu.setFaults({}));

/** Every string in the value that looks like a URL. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (!value || typeof value !== 'object') return [];
  return Object.values(value as Record<string, unknown>).flatMap(urlsIn);
}

/** The URLs among `urls` that actually open (2xx), with what they served: the leak, if any. */
async function opening(urls: string[]): Promise<string[]> {
  const open: string[] = [];
  for (const u of urls) {
    const res = await fetch(u);
    const body = await res.text();
    if (res.ok) open.push(`${u} → ${res.status} ${body.slice(0, 40)}`);
  }
  return open;
}

/** The video value as every reader sees it: CM (admin), public REST, GraphQL, document service. */
async function everyView(documentId: string): Promise<Record<string, any>> {
  const cm = (await env.cm.get(documentId)).body.data.video;
  const rest = ((await fetch(`${env.url}/api/clips/${documentId}`).then((r) => r.json())) as any).data?.video;
  const query = `{ clips(filters: { documentId: { eq: "${documentId}" } }) { video } }`;
  const gql = (await fetch(`${env.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }).then((r) => r.json())) as any;
  const documents = ((await strapi.documents(CLIP_UID as never).findOne({ documentId, status: 'published' } as never)) as any)?.video;
  return { cm, rest, graphql: gql.data?.clips?.[0]?.video, documents };
}

const forgedFields = (key: string) => ({
  status: 'ready',
  error: null,
  verified: { etag: 'forged', contentType: 'video/mp4', verifiedAt: '2026-01-01T00:00:00.000Z' },
  thumbnail: { key, url: 'https://evil.example/x.jpg', format: 'jpg', width: 1, height: 1, size: 1, generatedAt: 'x' },
  media: { duration: 9, width: 1, height: 1, fps: 1, rotation: 0 },
  url: 'https://evil.example/video.mp4',
});

describe.each([
  ['a text/plain object', TEXT_KEY],
  ['a text/html object under a video name', HTML_KEY],
])('%s behind a slow COS', (_label, key) => {
  it('is served with no URL while unverified, and fails its job permanently with NotAVideo', async () => {
    // Every COS answer takes longer than the save's probe budget (saveWaitMs / 2).
    env.emu.setFaults({ latencyMs: 1500, scope: 'all' });
    const created = await env.cm.create({ title: 'unverified', video: { key, snapshot: { time: 0 }, ...forgedFields(key) } });
    expect(created.status).toBe(201);
    const saved = created.body.data.video;
    expect(await opening(urlsIn(saved))).toEqual([]);
    expect(urlsIn(saved)).toEqual([]);
    expect(saved).toMatchObject({ key, status: 'pending', thumbnail: null, verified: null });
    const documentId = created.body.data.documentId as string;
    expect((await env.cm.publish(documentId)).status).toBe(200);

    // Still unverified (COS is slow): nobody gets a URL.
    const before = await everyView(documentId);
    expect(await opening(Object.values(before).flatMap(urlsIn))).toEqual([]);
    for (const [view, v] of Object.entries(before)) {
      expect({ view, status: v?.status }).toEqual({ view, status: 'pending' });
      expect({ view, urls: urlsIn(v) }).toEqual({ view, urls: [] });
    }

    env.emu.setFaults({});
    const failed = await waitUntil('the job to settle', async () => {
      const v = (await env.cm.get(documentId)).body.data.video;
      return v.status !== 'pending' ? v : undefined;
    });
    const after = await everyView(documentId);
    const urls = Object.values(after).flatMap(urlsIn);
    expect(await opening(urls)).toEqual([]);
    expect(urls).toEqual([]);
    for (const [view, v] of Object.entries(after)) expect({ view, status: v?.status }).toEqual({ view, status: 'failed' });
    expect(failed).toMatchObject({ status: 'failed', thumbnail: null, verified: null, error: { code: 'NotAVideo' } });
    expect(failed.error.message).toContain(key);
  });
});

it('a real video behind a slow COS: no URL while pending, signed URLs that open once its job verified it', async () => {
  env.emu.setFaults({ latencyMs: 1500, scope: 'all' });
  const created = await env.cm.create({ title: 'video', video: { key: 'videos/a.mp4', snapshot: { time: 1 } } });
  expect(created.status).toBe(201);
  expect(created.body.data.video).toMatchObject({ status: 'pending', verified: null });
  expect(urlsIn(created.body.data.video)).toEqual([]);
  env.emu.setFaults({});
  const documentId = created.body.data.documentId as string;
  const ready = await waitUntil('the job to settle', async () => {
    const v = (await env.cm.get(documentId)).body.data.video;
    return v.status !== 'pending' ? v : undefined;
  });
  expect(ready).toMatchObject({ status: 'ready', verified: { contentType: 'video/mp4' } });
  expect(typeof ready.verified.etag).toBe('string');
  expect(ready.url).toContain('q-signature');
  expect(ready.thumbnail.url).toContain('q-signature');
  expect((await fetch(ready.url, { headers: { range: 'bytes=0-9' } })).status).toBe(206);
  expect((await fetch(ready.thumbnail.url)).status).toBe(200);
});

it('an object replaced by a non-video after it was verified: a forced regenerate clears the verification and the URLs', async () => {
  const key = 'videos/replaced.mp4';
  await upload(env.emu, key, (await sdk(env.emu).getObject({ Bucket: BUCKET, Region: REGION, Key: 'videos/a.mp4' })).Body as Buffer, 'video/mp4');
  const created = await env.cm.create({ title: 'replaced', video: { key, snapshot: { time: 1 } } });
  const documentId = created.body.data.documentId as string;
  const ready = await waitUntil('the job to settle', async () => {
    const v = (await env.cm.get(documentId)).body.data.video;
    return v.status !== 'pending' ? v : undefined;
  });
  expect(ready).toMatchObject({ status: 'ready', verified: { contentType: 'video/mp4' } });
  await upload(env.emu, key, Buffer.from(SECRET_TEXT), 'text/plain');
  const thumbnails = strapi.plugin('cos-video').service('thumbnails') as unknown as {
    regenerate(req: { uid: string; documentId: string; waitMs?: number }): Promise<{ status: string }>;
  };
  // This suite's saveWaitMs (600 ms) is for the slow-COS cases; the regenerate waits for its job
  // with a hang guard instead, so a loaded machine cannot turn its answer into "pending".
  expect(await thumbnails.regenerate({ uid: CLIP_UID, documentId, waitMs: 20_000 })).toMatchObject({ status: 'failed' });
  const v = (await env.cm.get(documentId)).body.data.video;
  expect(v).toMatchObject({ status: 'failed', verified: null, error: { code: 'NotAVideo' } });
  expect(urlsIn(v)).toEqual([]);
});
