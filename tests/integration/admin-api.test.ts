/**
 * The plugin's admin API against a real Strapi and the real COS emulator: signed playback and
 * snapshot URLs that the browser can load, video info, listing, validation (400 naming the
 * field), authentication (401) and RBAC (403), settings and the health check.
 */
import { createHash } from 'node:crypto';
import { imageSize, readFrameIndex } from '../../dev/media';
import { adminCorsRule } from '../../dev/app-kit';
import { EMULATOR_SECRET_ID } from '../../dev/emulator';
import { BUCKET, CLIP_UID, OTHER, REGION, SECRET_KEY, VIDEO, fetchBytes, setupAdminApi, type AdminApiEnv } from './admin-api-setup';
import { emulatorBucketName } from '../../dev/app-kit/emulator-fixture';

// Every row has a body slot: jest would take a missing third argument for a done callback.
const ROUTES: Array<[string, string, unknown]> = [
  ['GET', '/config', undefined],
  ['GET', '/objects', undefined],
  ['POST', '/playback-url', { key: VIDEO.key }],
  ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1 } }],
  ['POST', '/snapshot-urls', { key: VIDEO.key, snapshots: [{ time: 1 }] }],
  ['POST', '/media-info', { key: VIDEO.key }],
  ['POST', '/uploads', { fileName: 'a.mp4', size: 10, contentType: 'video/mp4' }],
  ['POST', '/uploads/sign', { token: 'x.y', method: 'PUT', pathname: '/videos/a.mp4', query: {}, headers: {} }],
  ['POST', '/uploads/sign-parts', { token: 'x.y', key: 'videos/a.mp4', uploadId: 'u', firstPart: 1, count: 1 }],
  ['POST', '/uploads/complete', { token: 'x.y' }],
  ['POST', '/regenerate', { uid: CLIP_UID, documentId: 'x' }],
  ['GET', '/settings', undefined],
  ['GET', '/health', undefined],
  ['GET', '/thumbnails', undefined],
  ['POST', '/thumbnails/dry-run', { kind: 'generate-missing' }],
  ['POST', '/thumbnails/operations', { kind: 'generate-missing' }],
  ['POST', '/thumbnails/operations/cancel', { id: '1' }],
];

let env: AdminApiEnv;

beforeAll(async () => {
  env = await setupAdminApi('admin-api', { browsePrefixes: ['videos/'], signedUrlTtl: 300 });
  // Listing fixtures: five more videos, a folder placeholder, and a file outside the browsable prefix.
  const put = (Key: string, Body: Buffer | string, ContentType: string) =>
    env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key, Body, ContentType });
  for (let i = 0; i < 5; i++) await put(`videos/list/item-${i}.mp4`, env.videoBytes, 'video/mp4');
  await put('videos/list/', '', 'application/x-directory');
  await put('videos/notes.txt', 'hello', 'text/plain');
  await put('docs/readme.txt', 'outside', 'text/plain');
});

afterAll(async () => {
  await env?.close();
});

describe('authentication and RBAC', () => {
  it.each(ROUTES)('%s %s without a token → 401', async (method, route, body) => {
    const r = await env.api(method, route, body, null);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ data: null, error: { status: 401 } });
  });

  it.each(ROUTES)('%s %s as an Editor without the plugin permissions → 403', async (method, route, body) => {
    const r = await env.api(method, route, body, env.editorToken);
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ data: null, error: { status: 403 } });
  });

  it('registers the five actions for the roles editor', async () => {
    const r = await fetch(`${env.url}/admin/permissions`, { headers: { authorization: `Bearer ${env.superToken}` } });
    const text = await r.text();
    for (const uid of ['read', 'upload', 'regenerate', 'thumbnails', 'settings.read']) expect(text).toContain(`"plugin::cos-video.${uid}"`);
  });
});

describe('field config', () => {
  it('GET /config answers what the field needs', async () => {
    const r = await env.api('GET', '/config');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      bucket: BUCKET,
      region: REGION,
      buckets: [{ bucket: BUCKET, region: REGION }, { bucket: OTHER, region: REGION }],
      uploadPrefix: 'videos/',
      browsePrefixes: ['videos/'],
      maxUploadSize: 5 * 1024 ** 3,
      snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
      limits: { maxDimension: 4096 },
      cos: { protocol: 'http:', domain: `127.0.0.1:${env.emulator.port}` },
    });
  });
});

describe('signed URLs', () => {
  it('POST /playback-url: a short-lived signed URL the browser can play and seek (range → 206)', async () => {
    const before = Date.now();
    const r = await env.api('POST', '/playback-url', { key: VIDEO.key });
    expect(r.status).toBe(200);
    const { url, expiresAt } = r.json as { url: string; expiresAt: string };
    expect(url.startsWith(`http://127.0.0.1:${env.emulator.port}/videos/clip.mp4?`)).toBe(true);
    expect(url).toMatch(/q-sign-algorithm=sha1/);
    const ttl = (Date.parse(expiresAt) - before) / 1000;
    expect(ttl).toBeGreaterThan(250);
    expect(ttl).toBeLessThanOrEqual(301);
    const keyTime = /q-key-time=(\d+)(?:;|%3B)(\d+)/i.exec(url)!;
    expect(Number(keyTime[2]) - Number(keyTime[1])).toBeLessThanOrEqual(301);

    const full = await fetchBytes(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(full.body.equals(env.videoBytes)).toBe(true);

    const part = await fetchBytes(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.body.equals(env.videoBytes.subarray(100, 200))).toBe(true);
  });

  it('the playback URL is scoped to its object: the same signature on another key is refused', async () => {
    const { url } = (await env.api('POST', '/playback-url', { key: VIDEO.key })).json as { url: string };
    const other = url.replace('/videos/clip.mp4?', '/videos/list/item-0.mp4?');
    expect((await fetchBytes(other)).status).toBe(403);
  });

  it('POST /snapshot-url: the browser loads the real GetSnapshot frame for the chosen time', async () => {
    const r = await env.api('POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 2.5 } });
    expect(r.status).toBe(200);
    const img = await fetchBytes(r.json.url);
    expect(img.status).toBe(200);
    expect(readFrameIndex(img.body)).toBe(25);
    expect(imageSize(img.body)).toEqual({ width: VIDEO.width, height: VIDEO.height, format: 'jpg' });

    const png = await env.api('POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: '0:04.1', width: 160, format: 'png' } });
    const pngImg = await fetchBytes(png.json.url);
    expect(imageSize(pngImg.body)).toEqual({ width: 160, height: 120, format: 'png' });
    expect(readFrameIndex(pngImg.body)).toBe(41);
  });

  it('POST /snapshot-urls: several choices in one answer, each the real frame of its own time, same as /snapshot-url', async () => {
    const r = await env.api('POST', '/snapshot-urls', { key: VIDEO.key, snapshots: [{ time: 2.5 }, { time: 2.6 }, { time: 4.1, width: 160, format: 'png' }] });
    expect(r.status).toBe(200);
    expect(r.json.urls).toHaveLength(3);
    const frames = await Promise.all(r.json.urls.map(async (u: { url: string; expiresAt: string }) => {
      const img = await fetchBytes(u.url);
      expect(img.status).toBe(200);
      return [readFrameIndex(img.body), imageSize(img.body).format];
    }));
    expect(frames).toEqual([[25, 'jpg'], [26, 'jpg'], [41, 'png']]);
    const single = await env.api('POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 2.6 } });
    // The same signed query (the signature's times may differ by a second).
    const query = (u: string) => [...new URL(u).searchParams].filter(([k]) => !k.startsWith('q-')).sort().join('&');
    expect(query(r.json.urls[1].url)).toBe(query(single.json.url));
    expect(Date.parse(r.json.urls[0].expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it.each<[string, unknown, RegExp]>([
    ['no list', { key: VIDEO.key }, /^snapshots must be a list of snapshot choices: got nothing; allowed: 1 to 20 objects/],
    ['an empty list', { key: VIDEO.key, snapshots: [] }, /^snapshots must be a list of snapshot choices: got \[\]/],
    ['too many choices', { key: VIDEO.key, snapshots: Array.from({ length: 21 }, (_, i) => ({ time: i / 10 })) }, /^snapshots must be a list of snapshot choices: got \[.*allowed: 1 to 20/],
    ['a bad time in the second choice', { key: VIDEO.key, snapshots: [{ time: 1 }, { time: -1 }] }, /^snapshots\.1\.time must not be negative: got -1/],
    ['a bad key', { key: '../x.mp4', snapshots: [{ time: 1 }] }, /^key /],
  ])('POST /snapshot-urls with %s → 400 naming the field, nothing signed', async (_label, body, message) => {
    const r = await env.api('POST', '/snapshot-urls', body);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(message);
    expect(r.text).not.toMatch(/q-signature/);
  });

  it('the snapshot URL signs its parameters: changing the time invalidates it', async () => {
    const { url } = (await env.api('POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 2.5 } })).json as { url: string };
    expect(url).toMatch(/[?&]time=2.5(&|$)/);
    const tampered = url.replace(/([?&])time=2.5(&|$)/, '$1time=3.5$2');
    expect((await fetchBytes(tampered)).status).toBe(403);
  });
});

describe('media info', () => {
  it('POST /media-info returns the video info COS reads and the object\'s current ETag', async () => {
    const r = await env.api('POST', '/media-info', { key: VIDEO.key });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ width: VIDEO.width, height: VIDEO.height, fps: VIDEO.fps, rotation: 0 });
    // unquoted, as verified.etag stores it: the editor compares the two
    expect(r.json.etag).toBe(createHash('md5').update(env.videoBytes).digest('hex'));
    expect(r.json.duration).toBeCloseTo(VIDEO.frames / VIDEO.fps, 1);
  });

  it('a missing object → 404 in plain words with the error code', async () => {
    const r = await env.api('POST', '/media-info', { key: 'videos/missing.mp4' });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toMatch(new RegExp(`"videos/missing\\.mp4" in bucket ${BUCKET} does not exist`));
    expect(r.json.error.details).toEqual({ code: 'NoSuchKey', transient: false });
  });

  it('an object that is not a video → 403: only videos are read or signed', async () => {
    const r = await env.api('POST', '/media-info', { key: 'videos/notes.txt' });
    expect(r.status).toBe(403);
    expect(r.json.error).toMatchObject({ name: 'PolicyError', details: { rule: 'videoOnly' } });
  });

  it('COS failing (503) → 503 marked transient, then works again', async () => {
    env.emulator.setFaults({ failRate: 1, failStatus: 503, scope: 'ci' });
    try {
      const r = await env.api('POST', '/media-info', { key: VIDEO.key });
      expect(r.status).toBe(503);
      expect(r.json.error.details).toEqual({ code: expect.stringMatching(/^(Throttled|ServerError)$/), transient: true });
      expect(r.json.error.message).toMatch(/retries automatically/);
    } finally {
      env.emulator.setFaults({});
    }
    expect((await env.api('POST', '/media-info', { key: VIDEO.key })).status).toBe(200);
  });
});

describe('COS failures are classified for the editor and the retry logic', () => {
  /** Runs `fn` with the plugin config patched at runtime (a fresh SDK is built for it). */
  async function withConfig(patch: Record<string, unknown>, fn: () => Promise<void>): Promise<void> {
    const raw = env.strapi.config.get('plugin::cos-video') as Record<string, unknown>;
    env.strapi.config.set('plugin::cos-video', { ...raw, ...patch });
    try {
      await fn();
    } finally {
      env.strapi.config.set('plugin::cos-video', raw);
    }
  }

  it('COS slower than requestTimeoutMs → 503 Timeout (transient)', async () => {
    env.emulator.setFaults({ latencyMs: 1500, scope: 'ci' });
    try {
      await withConfig({ requestTimeoutMs: 300 }, async () => {
        const r = await env.api('POST', '/media-info', { key: VIDEO.key });
        expect(r.status).toBe(503);
        expect(r.json.error.details).toEqual({ code: 'Timeout', transient: true });
        expect(r.json.error.message).toMatch(/did not answer in time \(300 ms\)/);
      });
    } finally {
      env.emulator.setFaults({});
    }
  });

  it('connections dropped by COS → 503 NetworkError (transient)', async () => {
    env.emulator.setFaults({ dropRate: 1, scope: 'ci' });
    try {
      const r = await env.api('POST', '/media-info', { key: VIDEO.key });
      expect(r.status).toBe(503);
      expect(r.json.error.details).toEqual({ code: 'NetworkError', transient: true });
    } finally {
      env.emulator.setFaults({});
    }
  });

  it('a credentials provider: temporary keys are fetched once, used for calls and URLs, and the token is passed on', async () => {
    let calls = 0;
    const credentials = async () => {
      calls++;
      return { secretId: EMULATOR_SECRET_ID, secretKey: SECRET_KEY, securityToken: 'temporary-token', expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    };
    await withConfig({ secretId: '', secretKey: '', credentials }, async () => {
      const info = await env.api('POST', '/media-info', { key: VIDEO.key });
      expect(info.status).toBe(200);
      const play = await env.api('POST', '/playback-url', { key: VIDEO.key });
      expect(play.json.url).toContain('x-cos-security-token=temporary-token');
      expect((await fetchBytes(play.json.url)).status).toBe(200);
      const grant = await env.api('POST', '/uploads', { fileName: 'a.mp4', size: 10, contentType: 'video/mp4' });
      const signed = await env.api('POST', '/uploads/sign', {
        token: grant.json.token, method: 'PUT', pathname: `/${grant.json.key}`, query: {},
        headers: { Host: `127.0.0.1:${env.emulator.port}`, 'Content-Type': 'video/mp4', 'Content-Length': '10' },
      });
      expect(signed.json).toMatchObject({ securityToken: 'temporary-token' });
      const settings = await env.api('GET', '/settings');
      expect(settings.json).toMatchObject({ credentials: 'provider', secretId: null });
      expect(calls).toBe(1);
    });
  });

  it('a failing credentials provider → 503 CredentialsUnavailable', async () => {
    const credentials = async () => {
      throw new Error('STS is down');
    };
    await withConfig({ secretId: '', secretKey: '', credentials }, async () => {
      const r = await env.api('POST', '/media-info', { key: VIDEO.key });
      expect(r.status).toBe(503);
      expect(r.json.error.details).toEqual({ code: 'CredentialsUnavailable', transient: true });
    });
  });
});

describe('object listing', () => {
  const videoKeys = [VIDEO.key, ...[0, 1, 2, 3, 4].map((i) => `videos/list/item-${i}.mp4`)].sort();

  it('lists only the browsable prefix, skips folder placeholders, flags videos with a preview frame', async () => {
    const r = await env.api('GET', '/objects');
    expect(r.status).toBe(200);
    const keys = (r.json.items as Array<{ key: string }>).map((i) => i.key);
    expect(keys).toEqual([...videoKeys, 'videos/notes.txt'].sort());
    expect(r.json.isTruncated).toBe(false);
    const notes = r.json.items.find((i: { key: string }) => i.key === 'videos/notes.txt');
    expect(notes).toMatchObject({ isVideo: false, previewUrl: null, size: 5 });
    const clip = r.json.items.find((i: { key: string }) => i.key === VIDEO.key);
    expect(clip).toMatchObject({ isVideo: true, size: env.videoBytes.length });
    expect(Date.parse(clip.lastModified)).toBeGreaterThan(0);
    const preview = await fetchBytes(clip.previewUrl);
    expect(preview.status).toBe(200);
    expect(imageSize(preview.body)).toMatchObject({ width: 320, format: 'jpg' });
  });

  it('paginates with limit + marker without repeating or losing a key', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await env.api('GET', `/objects?limit=2${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.json.items.map((i: { key: string }) => i.key));
      marker = r.json.isTruncated ? r.json.nextMarker : undefined;
      pages++;
    } while (marker && pages < 10);
    expect(seen).toEqual([...videoKeys, 'videos/notes.txt'].sort());
    expect(pages).toBe(4);
  });

  it('searches keys (case-insensitive) and narrows by prefix', async () => {
    const found = await env.api('GET', '/objects?search=ITEM-3');
    expect(found.json.items.map((i: { key: string }) => i.key)).toEqual(['videos/list/item-3.mp4']);
    const sub = await env.api('GET', '/objects?prefix=videos/list/');
    expect(sub.json.items).toHaveLength(5);
  });

  it('refuses a prefix outside browsePrefixes and a bucket that is not configured', async () => {
    const outside = await env.api('GET', '/objects?prefix=docs/');
    expect(outside.status).toBe(400);
    expect(outside.json.error.message).toMatch(/^prefix is outside the folders editors may browse: got "docs\/"; allowed: "videos\/…"/);
    const bucket = await env.api('GET', `/objects?bucket=${emulatorBucketName('secret')}`);
    expect(bucket.status).toBe(400);
    expect(bucket.json.error.message).toMatch(new RegExp(`^bucket is not a configured bucket: got "${emulatorBucketName('secret')}"`));
  });
});

describe('invalid parameters → 400 naming the field', () => {
  it.each<[string, string, unknown, RegExp]>([
    ['POST', '/playback-url', {}, /^key must be a string: got nothing/],
    ['POST', '/playback-url', { key: '../etc/passwd' }, /^key must not contain "\." or "\.\." segments/],
    ['POST', '/playback-url', { key: '/videos/clip.mp4' }, /^key must not start with "\/"/],
    ['POST', '/playback-url', { key: 'https://evil.example.com/x.mp4' }, /^key must be an object key, not a URL/],
    ['POST', '/playback-url', { key: VIDEO.key, bucket: emulatorBucketName('nope') }, new RegExp(`^bucket is not a configured bucket: got "${emulatorBucketName('nope')}"; allowed: .*"${BUCKET}", "${OTHER}"`)],
    ['POST', '/playback-url', { key: VIDEO.key, bucket: BUCKET, region: 'ap-beijing' }, new RegExp(`^region is not the region of bucket ${BUCKET}: got "ap-beijing"; allowed: "${REGION}"`)],
    ['POST', '/media-info', { key: '' }, /^key must not be empty/],
    ['POST', '/snapshot-url', { key: VIDEO.key }, /snapshot is required/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: -1 } }, /^snapshot\.time must not be negative: got -1/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 'soon' } }, /^snapshot\.time is not a time: got "soon"/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1, width: 5000 } }, /^snapshot\.width is out of range: got 5000; allowed: an integer from 0 to 4096/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1, height: 1.5 } }, /^snapshot\.height must be an integer: got 1.5/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1, format: 'gif' } }, /^snapshot\.format is not a supported value: got "gif"; allowed: "jpg" or "png"/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1, rotate: 'left' } }, /^snapshot\.rotate is not a supported value: got "left"/],
    ['POST', '/snapshot-url', { key: VIDEO.key, snapshot: { time: 1, mode: 'fast' } }, /^snapshot\.mode is not a supported value: got "fast"/],
    ['POST', '/snapshot-url', { key: '', snapshot: { time: -2 } }, /^key must not be empty.*; snapshot\.time must not be negative/],
    ['GET', '/objects?limit=0', undefined, /^limit is out of range: got "0"; allowed: an integer from 1 to 1000/],
    ['GET', '/objects?limit=abc', undefined, /^limit is out of range: got "abc"/],
    ['POST', '/uploads', { fileName: 'a.mp4', size: 10, contentType: 'text/plain' }, /^contentType is not a video type: got "text\/plain"/],
    ['POST', '/uploads', { fileName: 'notes.txt', size: 10, contentType: 'application/octet-stream' }, /^contentType is not a video type: got "application\/octet-stream"/],
    ['POST', '/uploads', { fileName: 'a.mp4', size: 6 * 1024 ** 3, contentType: 'video/mp4' }, /^size is larger than the upload limit: got 6442450944; allowed: at most 5368709120 bytes \(maxUploadSize\)/],
    ['POST', '/uploads', { fileName: '', size: 10, contentType: 'video/mp4' }, /^fileName must be a file name: got ""/],
    ['POST', '/uploads', { fileName: 'a.mp4', size: -1, contentType: 'video/mp4' }, /^size must be a positive integer: got -1/],
    ['POST', '/uploads/sign', { token: 'not a token', method: 'PUT', pathname: '/videos/a.mp4', query: {}, headers: {} }, /^token is not an upload token/],
    // checked at the HTTP boundary: every problem at once, the token among them, before any grant is read
    ['POST', '/uploads/sign', { token: 'not a token', method: 'PATCH', pathname: 'a.mp4' }, /^token is not an upload token.*; method is not an HTTP method of an upload: got "PATCH".*; pathname must be a path: got "a\.mp4"/],
    ['POST', '/uploads/complete', { token: 7 }, /^token is not an upload token/],
    ['POST', '/uploads', ['a.mp4'], /^body must be a JSON object: got \["a\.mp4"\]/],
    ['POST', '/media-info', [VIDEO.key], /^body must be a JSON object/],
    ['POST', '/playback-url', { key: VIDEO.key, entry: { uid: '', documentId: 'x' } }, /^entry\.uid must be a non-empty string: got ""/],
    ['GET', '/objects?prefix=a&prefix=b&limit=2000', undefined, /^prefix is not valid: got \["a","b"\]; allowed: a single string of at most 850 characters; limit is out of range: got "2000"/],
    ['POST', '/regenerate', { uid: 'api::nope.nope', documentId: 'abc' }, /^uid is not a content type of this app: got "api::nope.nope"/],
    ['POST', '/regenerate', { uid: CLIP_UID, documentId: '' }, /^documentId must be a non-empty string: got ""/],
    ['POST', '/regenerate', { uid: CLIP_UID, documentId: 'abc', locale: 5 }, /^locale must be a non-empty string: got 5; allowed: a locale code such as "en"$/],
    ['POST', '/regenerate', { path: '', documentId: ' ', uid: 'api::nope.nope' }, /^uid is not a content type of this app: got "api::nope\.nope".*; documentId must be a non-empty string: got " ".*; path must be a non-empty string: got ""/],
    ['POST', '/regenerate', [CLIP_UID], /^body must be a JSON object: got \["api::clip\.clip"\]/],
  ])('%s %s %j', async (method, route, body, message) => {
    const r = await env.api(method, route, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    expect(r.json.error.message).toMatch(message);
    expect(r.json.error.details.errors.length).toBeGreaterThan(0);
  });
});

describe('regenerate', () => {
  it('regenerates the thumbnail of an entry; an entry without a video → 404', async () => {
    const created = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.superToken}` },
      body: JSON.stringify({ title: 'with video', video: { key: VIDEO.key, snapshot: { time: 1.5 } } }),
    }).then((r) => r.json() as Promise<any>);
    const documentId = created.data.documentId as string;
    const r = await env.api('POST', '/regenerate', { uid: CLIP_UID, documentId });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'ready', jobs: 1 });

    const empty = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.superToken}` },
      body: JSON.stringify({ title: 'no video' }),
    }).then((res) => res.json() as Promise<any>);
    const none = await env.api('POST', '/regenerate', { uid: CLIP_UID, documentId: empty.data.documentId });
    expect(none.status).toBe(404);
    expect(none.json.error.message).toMatch(/has no COS video to regenerate/);
  });
});

describe('settings and health', () => {
  it('GET /settings shows the effective config with the secretId masked and no secret', async () => {
    const r = await env.api('GET', '/settings');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      credentials: 'static',
      secretId: 'AKID…ATOR',
      secretKeySet: true,
      bucket: BUCKET,
      region: REGION,
      signedUrlTtl: 300,
      worker: { enabled: true, concurrency: 2 },
    });
    expect(r.text).not.toContain('AKIDLOCALEMULATOR');
  });

  it('GET /health: every check passes against a healthy bucket', async () => {
    const r = await env.api('GET', '/health');
    expect(r.status).toBe(200);
    const checks = r.json.checks as Array<{ id: string; ok: boolean; message: string }>;
    expect(checks.map((c) => c.id)).toEqual(['config', 'credentials', 'bucket', 'media', 'cors', 'readers', 'frame-timing', 'csp', `bucket:${OTHER}`]);
    // 'readers' fails here (private bucket, unsigned URLs): health-readers.test.ts covers it.
    for (const id of ['config', 'credentials', 'bucket', 'media', 'cors', 'frame-timing', 'csp']) {
      expect(checks.find((c) => c.id === id)).toMatchObject({ ok: true });
    }
  });

  it('unbound media bucket: the health check fails with the fix, media info says what to enable', async () => {
    env.emulator.setNoMedia([BUCKET]);
    try {
      const health = await env.api('GET', '/health');
      const media = health.json.checks.find((c: { id: string }) => c.id === 'media');
      expect(media).toMatchObject({ ok: false });
      expect(media.message).toMatch(new RegExp(`Media processing is not enabled for bucket ${BUCKET}`));
      expect(media.fix).toMatch(/Data Processing → Media Processing/);
      expect(health.json.checks.find((c: { id: string }) => c.id === 'bucket').ok).toBe(true);

      const info = await env.api('POST', '/media-info', { key: VIDEO.key });
      expect(info.status).toBe(400);
      expect(info.json.error.details).toEqual({ code: 'MediaProcessingDisabled', transient: false });
      expect(info.json.error.message).toMatch(/Enable it in the Tencent Cloud COS console.*Data Processing → Media Processing/);
    } finally {
      env.emulator.setNoMedia([]);
    }
  });

  it('a Content Security Policy without the COS origin: the csp check fails and shows the directives to add', async () => {
    const middlewares = env.strapi.config.get('middlewares');
    env.strapi.config.set('middlewares', ['strapi::errors', 'strapi::security', 'strapi::cors']);
    try {
      const r = await env.api('GET', '/health');
      const csp = r.json.checks.find((c: { id: string }) => c.id === 'csp');
      const origin = `http://127.0.0.1:${env.emulator.port}`;
      expect(csp.ok).toBe(false);
      expect(csp.message).toContain(`blocks ${origin} in img-src, media-src, connect-src`);
      // the fix is what cspDirectives (the plugin's export, README §4) builds from this config
      expect(csp.fix).toContain(`'img-src': ["'self'", 'data:', 'blob:', 'https://market-assets.strapi.io', '${origin}', 'http://*.myqcloud.com', 'https://*.myqcloud.com']`);
      expect(csp.fix).toContain(`'connect-src': ["'self'", 'https:', '${origin}', 'http://*.myqcloud.com', 'https://*.myqcloud.com']`);
      expect(csp.fix).toContain('cspDirectives(');
    } finally {
      env.strapi.config.set('middlewares', middlewares);
    }
  });

  it('wrong credentials: the credentials and bucket checks fail with a fix', async () => {
    const raw = env.strapi.config.get('plugin::cos-video') as Record<string, unknown>;
    env.strapi.config.set('plugin::cos-video', { ...raw, secretKey: 'not-the-right-secret' });
    try {
      const r = await env.api('GET', '/health');
      const byId = (id: string) => r.json.checks.find((c: { id: string }) => c.id === id);
      expect(byId('credentials')).toMatchObject({ ok: false, message: expect.stringMatching(/rejected the plugin's credentials/), fix: expect.stringMatching(/secretId \/ secretKey/) });
      expect(byId('bucket').ok).toBe(false);
      expect(r.text).not.toContain('not-the-right-secret');
    } finally {
      env.strapi.config.set('plugin::cos-video', raw);
    }
    const again = await env.api('GET', '/health');
    expect(again.json.checks.find((c: { id: string }) => c.id === 'credentials').ok).toBe(true);
  });
});

describe('health: CORS rules that would break uploads from the admin', () => {
  const origin = () => new URL(env.url).origin;
  const cors = async () => {
    const r = await env.api('GET', '/health');
    expect(r.status).toBe(200);
    return r.json.checks.find((c: { id: string }) => c.id === 'cors') as { ok: boolean; message: string; fix?: string };
  };
  /** The README's rule for the admin origin, with `change` applied. */
  const putRule = (change: Partial<ReturnType<typeof adminCorsRule>>) =>
    env.sdk.putBucketCors({ Bucket: BUCKET, Region: REGION, CORSRules: [{ ...adminCorsRule(origin()), ...change }] } as never);
  const FULL_RULE = /add a rule: Origin = the admin URL \(e\.g\. http:\/\/127\.0\.0\.1:\d+\), Methods = PUT, POST, GET, HEAD, DELETE, Allow-Headers = \*, Expose-Headers = ETag/;

  afterEach(async () => {
    await putRule({});
  });

  it('no CORS rule at all (a new bucket): fails, naming the origin', async () => {
    await env.sdk.deleteBucketCors({ Bucket: BUCKET, Region: REGION });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toBe(`Direct upload from ${origin()} is blocked by the bucket's CORS rules: no CORS rule allows origin ${origin()} (the preflights were answered with HTTP 403).`);
    expect(c.fix).toMatch(new RegExp(`^Add a rule whose Origin is ${origin().replace(/\./g, '\\.')}\\. `));
    expect(c.fix).toMatch(FULL_RULE);
  });

  it('a rule for another origin only: fails like no rule', async () => {
    await putRule({ AllowedOrigins: ['https://cms.example.com'] });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toContain(`no CORS rule allows origin ${origin()}`);
  });

  it('methods missing: names them and says to add them', async () => {
    await putRule({ AllowedMethods: ['PUT', 'POST', 'GET'] });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toContain(`methods HEAD, DELETE are not allowed for ${origin()}`);
    expect(c.fix).toMatch(/^Add HEAD, DELETE to the rule's Methods\. /);
  });

  it('request headers missing: says to allow them all', async () => {
    await putRule({ AllowedHeaders: ['content-type'] });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toContain('request headers authorization, content-type, x-cos-security-token are not all allowed (PUT, POST, GET, HEAD, DELETE)');
    expect(c.fix).toMatch(/^Set the rule's Allow-Headers to \*\. /);
  });

  it('ETag not exposed (other headers are): fails and says to expose ETag', async () => {
    await putRule({ ExposeHeaders: ['Content-Length', 'x-cos-request-id'] });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toBe(`Direct upload from ${origin()} is blocked by the bucket's CORS rules: the ETag header is not exposed, so multipart uploads cannot complete.`);
    expect(c.fix).toMatch(/^Add ETag to the rule's Expose-Headers\. /);
  });

  it('no header exposed at all: fails too (ETag is what matters)', async () => {
    await putRule({ ExposeHeaders: [] });
    const c = await cors();
    expect(c.ok).toBe(false);
    expect(c.message).toContain('the ETag header is not exposed');
  });

  it('a wildcard origin rule with every method, any header and ETag exposed passes', async () => {
    await putRule({ AllowedOrigins: ['http://127.0.0.1:*'] });
    expect((await cors()).ok).toBe(true);
  });
});

describe('secrets', () => {
  it('no admin API response contained the COS secret key', () => {
    expect(env.bodies.length).toBeGreaterThan(50);
    for (const body of env.bodies) expect(body).not.toContain(SECRET_KEY);
  });
});
