/**
 * Attack on the `read` action's playback URL: COS lets a GET choose the response's headers
 * with `response-content-type` & co. A parameter left out of the signature's q-url-param-list
 * is not checked, so whoever holds a signed playback URL could append
 * `response-content-type=text/html` and have the bucket serve the object as a web page.
 * An upload grant binds the object's type and size, not its bytes: an editor with `upload` and
 * `read` can store HTML bytes as `video/mp4` under uploadPrefix and get them signed.
 * The plugin therefore signs the Content-Type HEAD reported into every playback URL.
 */
import { BUCKET, REGION, setupAdminApi, type AdminApiEnv } from './admin-api-setup';
import { createAdminUser, createRole } from '../helpers/admin-roles';

let env: AdminApiEnv;
let uploaderToken: string;
const PAGE = Buffer.from('<!doctype html><html><body><script>document.title = "owned"</script></body></html>');

beforeAll(async () => {
  env = await setupAdminApi('playback-overrides', { browsePrefixes: ['videos/'], signUrls: true });
  const role = await createRole(env.url, env.superToken, 'Read and upload', [
    { action: 'plugin::cos-video.read' },
    { action: 'plugin::cos-video.upload' },
  ]);
  uploaderToken = (await createAdminUser(env.url, env.superToken, 'Uploader', role)).token;
});

afterAll(async () => {
  await env?.close();
});

/** Uploads `body` through a real grant (simple PUT signed by the plugin); returns the key. */
async function uploadThroughGrant(body: Buffer): Promise<string> {
  const grant = await env.api('POST', '/uploads', { fileName: 'page.mp4', size: body.length, contentType: 'video/mp4' }, uploaderToken);
  expect(grant.status).toBe(200);
  const host = `127.0.0.1:${env.emulator.port}`;
  const headers = { Host: host, 'Content-Type': 'video/mp4', 'Content-Length': String(body.length), 'x-cos-forbid-overwrite': 'true' };
  const signed = await env.api(
    'POST',
    '/uploads/sign',
    { token: grant.json.token, method: 'PUT', pathname: `/${grant.json.key}`, query: {}, headers },
    uploaderToken,
  );
  expect(signed.status).toBe(200);
  const put = await fetch(`http://${host}/${grant.json.key}`, {
    method: 'PUT',
    headers: { authorization: signed.json.authorization, 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' },
    body: new Uint8Array(body),
  });
  expect(put.status).toBe(200);
  const done = await env.api('POST', '/uploads/complete', { token: grant.json.token }, uploaderToken);
  expect(done.status).toBe(200);
  return grant.json.key as string;
}

it('a signed playback URL cannot be turned into an HTML page with response-content-type', async () => {
  const key = await uploadThroughGrant(PAGE);
  const playback = await env.api('POST', '/playback-url', { key }, uploaderToken);
  expect(playback.status).toBe(200);

  // As issued, the URL serves the object with its stored (video) type.
  const plain = await fetch(playback.json.url);
  expect(plain.status).toBe(200);
  expect(plain.headers.get('content-type')).toBe('video/mp4');
  await plain.arrayBuffer();

  for (const [name, value] of [
    ['response-content-type', 'text/html'],
    ['Response-Content-Type', 'text/html; charset=utf-8'],
  ]) {
    const forged = await fetch(`${playback.json.url}&${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
    const text = await forged.text();
    // Either COS refuses the altered URL, or it still answers with the video type: never HTML.
    expect({ status: forged.status, type: forged.headers.get('content-type') }).not.toEqual({ status: 200, type: value });
    if (forged.status === 200) expect(forged.headers.get('content-type')).toBe('video/mp4');
    else expect(text).not.toContain('<script>');
  }
});

it('the pinned type is the one HEAD reports, so the editor\'s video still plays (range requests too)', async () => {
  const playback = await env.api('POST', '/playback-url', { key: 'videos/clip.mp4' }, uploaderToken);
  expect(playback.status).toBe(200);
  const head = await env.sdk.headObject({ Bucket: BUCKET, Region: REGION, Key: 'videos/clip.mp4' });
  const ranged = await fetch(playback.json.url, { headers: { range: 'bytes=0-99' } });
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get('content-type')).toBe(head.headers?.['content-type']);
  expect(Buffer.from(await ranged.arrayBuffer())).toEqual(env.videoBytes.subarray(0, 100));
});

it('the same holds for the signed video URL in API responses (signUrls)', async () => {
  const cm = (method: string, suffix: string, body?: unknown) =>
    fetch(`${env.url}/content-manager/collection-types/api::clip.clip${suffix}`, {
      method,
      headers: { authorization: `Bearer ${env.superToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
  const created = await cm('POST', '', { title: 'pinned', video: { key: 'videos/clip.mp4', snapshot: { time: 1 } } });
  expect(created.status).toBe(201);
  let video = created.json.data.video;
  for (let i = 0; i < 50 && !video.url; i++) {
    await new Promise((r) => setTimeout(r, 200));
    video = (await cm('GET', `/${created.json.data.documentId}`)).json.data.video;
  }
  expect(video.verified?.contentType).toBe('video/mp4');
  const plain = await fetch(video.url, { headers: { range: 'bytes=0-9' } });
  expect(plain.status).toBe(206);
  expect(plain.headers.get('content-type')).toBe('video/mp4');
  await plain.arrayBuffer();
  const forged = await fetch(`${video.url}&response-content-type=text%2Fhtml`);
  await forged.arrayBuffer();
  expect({ status: forged.status, type: forged.headers.get('content-type') }).not.toEqual({ status: 200, type: 'text/html' });
});

describe('a Content-Type that lists several types is not a video type', () => {
  // Browsers use the last type of "video/mp4,text/html": stored that way, the object opens as HTML.
  const LISTED = ['video/mp4,text/html', 'video/mp4, text/html'];

  it.each(LISTED)('POST /uploads refuses "%s" (400 naming contentType); nothing is granted', async (contentType) => {
    const r = await env.api('POST', '/uploads', { fileName: 'page.mp4', size: PAGE.length, contentType }, uploaderToken);
    expect(r.status).toBe(400);
    expect(r.json.error.details.errors[0]).toMatchObject({ path: ['contentType'], value: contentType });
  });

  it.each(LISTED)('an object stored as "%s" inside the key scope is not signed (403 videoOnly)', async (contentType) => {
    const key = `videos/listed-${LISTED.indexOf(contentType)}.mp4`;
    await env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: PAGE, ContentType: contentType });
    for (const route of ['/playback-url', '/media-info']) {
      const r = await env.api('POST', route, { key }, uploaderToken);
      expect(r.status).toBe(403);
      expect(r.json.error.details).toMatchObject({ rule: 'videoOnly', key });
    }
  });
});
