/**
 * Direct upload authorisation round trip: the plugin grants one key, the real COS SDK uploads
 * through signatures from /uploads/sign (simple and multipart), and every request outside that
 * grant (another key, other headers, too many bytes, a forged token) is refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import type { UploadGrant } from '../../server/src/services/upload-auth';
import { BUCKET, REGION, SECRET_KEY, setupAdminApi, type AdminApiEnv, type Reply } from './admin-api-setup';

let env: AdminApiEnv;
let bigFile: string;
const BIG_SIZE = 2.5 * 1024 * 1024;

/** What POST /cos-video/uploads answers (the wire shape of the server's grant). */
type Grant = UploadGrant;

beforeAll(async () => {
  env = await setupAdminApi('admin-api-upload');
  bigFile = path.join(path.dirname(env.videoFile), 'big.webm');
  fs.writeFileSync(bigFile, crypto.randomBytes(BIG_SIZE));
});

afterAll(async () => {
  await env?.close();
});

async function grant(fileName: string, size: number, contentType: string): Promise<Grant> {
  const r = await env.api('POST', '/uploads', { fileName, size, contentType });
  expect(r.status).toBe(200);
  return r.json as Grant;
}

/** The browser side: an SDK whose every request is signed by the plugin (cos-js-sdk-v5 does the same). */
function uploader(g: Grant, refusals: Reply[]): COS {
  return new COS({
    Domain: g.sdk.Domain,
    Protocol: g.sdk.Protocol as 'http:' | 'https:',
    ChunkSize: 1024 * 1024,
    ChunkRetryTimes: 0,
    getAuthorization(options, callback) {
      const o = options as unknown as { Method: string; Pathname: string; Query: object; Headers: object };
      env
        .api('POST', '/uploads/sign', { token: g.token, method: o.Method, pathname: o.Pathname, query: o.Query, headers: o.Headers })
        .then((r) => {
          if (r.status === 200) callback({ Authorization: r.json.authorization, SecurityToken: r.json.securityToken ?? '' } as never);
          else {
            refusals.push(r);
            callback({} as never);
          }
        });
    },
  });
}

const exists = (Key: string) =>
  env.sdk.headObject({ Bucket: BUCKET, Region: REGION, Key }).then(
    (d) => Number(d.headers?.['content-length']),
    () => null,
  );

async function sign(g: Grant, req: { method: string; pathname: string; query?: object; headers?: Record<string, string | number> }, host = g.sdk.Domain) {
  return env.api('POST', '/uploads/sign', {
    token: g.token,
    method: req.method,
    pathname: req.pathname,
    query: req.query ?? {},
    headers: { ...(host ? { Host: host } : {}), ...(req.headers ?? {}) },
  });
}

describe('POST /uploads', () => {
  it('grants one fresh key under uploadPrefix for a video file', async () => {
    const before = Date.now();
    const g = await grant('C:\\fakepath\\My clip (1).MP4', 1234, 'video/mp4');
    expect(g.key).toMatch(/^videos\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{12}-My-clip-1\.mp4$/);
    expect(g).toMatchObject({ bucket: BUCKET, region: REGION, sdk: { Domain: `127.0.0.1:${env.emulator.port}`, Protocol: 'http:' } });
    const ttl = (Date.parse(g.expiresAt) - before) / 1000;
    expect(ttl).toBeGreaterThan(800);
    expect(ttl).toBeLessThanOrEqual(901);
    const again = await grant('C:\\fakepath\\My clip (1).MP4', 1234, 'video/mp4');
    expect(again.key).not.toBe(g.key);
  });
});

describe('upload through signed requests', () => {
  it('simple upload: the SDK uploads the video with the plugin signing its PUT; the video is usable', async () => {
    const g = await grant('clip.mp4', env.videoBytes.length, 'video/mp4');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    await cos.putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: env.videoBytes, ContentType: 'video/mp4' });
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(env.videoBytes.length);
    const info = await env.api('POST', '/media-info', { key: g.key });
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ width: 320, height: 240, fps: 10 });
  });

  it('an untyped file with a video extension (browsers give .mkv no type) is granted and uploads', async () => {
    const g = await grant('movie.MKV', env.videoBytes.length, 'application/octet-stream');
    expect(g.key).toMatch(/-movie\.mkv$/);
    const refusals: Reply[] = [];
    await uploader(g, refusals).putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: env.videoBytes });
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(env.videoBytes.length);
  });

  it('multipart upload: list uploads, init, three parts and complete are all signed for that key', async () => {
    const g = await grant('big.webm', BIG_SIZE, 'video/webm');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    env.emulator.resetRequests();
    await cos.sliceUploadFile({ Bucket: g.bucket, Region: g.region, Key: g.key, FilePath: bigFile, ContentType: 'video/webm' } as never);
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(BIG_SIZE);
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect(Buffer.compare(stored.Body as Buffer, fs.readFileSync(bigFile))).toBe(0);
    const ops = env.emulator.requests().map((r) => `${r.method} ${r.key}${'uploads' in r.query ? '?uploads' : ''}${r.query.partNumber ? `?part=${r.query.partNumber}` : ''}`);
    expect(ops).toEqual(expect.arrayContaining([`POST ${g.key}?uploads`, `PUT ${g.key}?part=1`, `PUT ${g.key}?part=2`, `PUT ${g.key}?part=3`]));
    expect(ops.filter((o) => o.startsWith('POST') && !o.endsWith('?uploads'))).toEqual([`POST ${g.key}`]);
  });

  it('the same signer refuses a request for another key: the SDK upload fails and nothing is written', async () => {
    const g = await grant('mine.mp4', env.videoBytes.length, 'video/mp4');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    await expect(cos.putObject({ Bucket: g.bucket, Region: g.region, Key: 'videos/not-mine.mp4', Body: env.videoBytes, ContentType: 'video/mp4' })).rejects.toBeTruthy();
    expect(refusals).toHaveLength(1);
    expect(refusals[0].status).toBe(403);
    expect(refusals[0].json.error.message).toMatch(/another object key\. This upload may only write "videos\//);
    expect(await exists('videos/not-mine.mp4')).toBeNull();
  });

  it('a multipart upload larger than the grant is refused at the first oversized part', async () => {
    const g = await grant('small.webm', 1000, 'video/webm');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    await expect(cos.sliceUploadFile({ Bucket: g.bucket, Region: g.region, Key: g.key, FilePath: bigFile, ContentType: 'video/webm' } as never)).rejects.toBeTruthy();
    expect(refusals.some((r) => /a part may be at most 1000 bytes/.test(r.json.error.message))).toBe(true);
    expect(await exists(g.key)).toBeNull();
  });

  it('completing a multipart upload whose parts add up to more than the grant is refused', async () => {
    const size = 1.5 * 1024 * 1024;
    const g = await grant('parts.mp4', size, 'video/mp4');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    const loc = { Bucket: g.bucket, Region: g.region, Key: g.key };
    const { UploadId } = await cos.multipartInit({ ...loc, ContentType: 'video/mp4' } as never);
    const part = crypto.randomBytes(1024 * 1024);
    const p1 = await cos.multipartUpload({ ...loc, UploadId, PartNumber: 1, Body: part });
    const p2 = await cos.multipartUpload({ ...loc, UploadId, PartNumber: 2, Body: part });
    expect(refusals).toEqual([]);
    await expect(
      cos.multipartComplete({ ...loc, UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] }),
    ).rejects.toBeTruthy();
    expect(refusals[0].json.error.message).toMatch(/2097152 bytes were uploaded but 1572864 were authorised/);
    expect(await exists(g.key)).toBeNull();
  });
});

describe('POST /uploads/sign refuses everything outside the grant', () => {
  let g: Grant;
  beforeAll(async () => {
    g = await grant('target.mp4', 5000, 'video/mp4');
  });
  const put = (headers: Record<string, string | number>) => ({ method: 'PUT', pathname: `/${g.key}`, headers });

  it('signs the granted simple PUT (and nothing else in this list)', async () => {
    const r = await sign(g, put({ 'Content-Type': 'video/mp4', 'Content-Length': 5000 }));
    expect(r.status).toBe(200);
    expect(r.json.authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDLOCALEMULATOR&q-sign-time=\d+;\d+&q-key-time=\d+;\d+&q-header-list=content-length;content-type;host&q-url-param-list=&q-signature=[0-9a-f]{40}$/);
    const [start, end] = /q-sign-time=(\d+);(\d+)/.exec(r.json.authorization)!.slice(1).map(Number);
    expect(end - start).toBeLessThanOrEqual(601);
  });

  // Every row has four entries: jest would take a missing last argument for a done callback.
  it.each<[string, () => Parameters<typeof sign>[1], RegExp, string | undefined]>([
    ['another key', () => ({ method: 'PUT', pathname: '/videos/other.mp4', headers: { 'Content-Type': 'video/mp4', 'Content-Length': 10 } }), /another object key/, undefined],
    ['listing other uploads', () => ({ method: 'GET', pathname: '/', query: { uploads: '', prefix: 'videos/' } }), /only listing the multipart uploads of this key/, undefined],
    ['listing the bucket', () => ({ method: 'GET', pathname: '/', query: { prefix: g.key } }), /only listing the multipart uploads of this key/, undefined],
    ['reading the object', () => ({ method: 'GET', pathname: `/${g.key}` }), /not an upload request/, undefined],
    ['deleting the object', () => ({ method: 'DELETE', pathname: `/${g.key}` }), /not an upload request/, undefined],
    ['a copy from another object', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10, 'x-cos-copy-source': 'other-1250000000.cos.ap-guangzhou.myqcloud.com/secret.mp4' }), /header "x-cos-copy-source" is not allowed/, undefined],
    ['a public ACL', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10, 'x-cos-acl': 'public-read-write' }), /header "x-cos-acl" is not allowed/, undefined],
    ['more bytes than granted', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 5001 }), /Content-Length must be at most 5000/, undefined],
    ['no Content-Length', () => put({ 'Content-Type': 'video/mp4' }), /Content-Length must be at most 5000/, undefined],
    ['another content type', () => put({ 'Content-Type': 'text/html', 'Content-Length': 10 }), /Content-Type must be a video type such as "video\/mp4"/, undefined],
    ['a ci-process query', () => ({ method: 'PUT', pathname: `/${g.key}`, query: { 'ci-process': 'snapshot' }, headers: { 'Content-Type': 'video/mp4', 'Content-Length': 10 } }), /not an upload request/, undefined],
    ['no Host header', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10 }), /the Host header must be/, 'no-host'],
    ['another Host', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10 }), /the Host header must be/, 'other-1250000000.cos.ap-guangzhou.myqcloud.com'],
  ])('refuses %s → 403', async (_label, req, message, host) => {
    const r = await sign(g, req(), host === 'no-host' ? '' : host ?? g.sdk.Domain);
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(message);
  });

  it('refuses a forged or tampered token', async () => {
    const [body, mac] = g.token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...payload, k: 'videos/other.mp4' })).toString('base64url')}.${mac}`;
    const r = await sign({ ...g, token: forged }, { method: 'PUT', pathname: '/videos/other.mp4', headers: { 'Content-Type': 'video/mp4', 'Content-Length': 10 } });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/upload authorisation is not valid/);
  });

  it('rejects a malformed request with 400 naming the field', async () => {
    const r = await sign(g, { method: 'PATCH', pathname: 'videos/x' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/^method is not an HTTP method of an upload: got "PATCH".*; pathname must be a path: got "videos\/x"/);
  });
});

describe('secrets', () => {
  it('no admin API response contained the COS secret key', () => {
    expect(env.bodies.length).toBeGreaterThan(20);
    for (const body of env.bodies) expect(body).not.toContain(SECRET_KEY);
  });
});
