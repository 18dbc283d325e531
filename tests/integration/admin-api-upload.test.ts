/**
 * Direct upload authorisation round trip: the plugin grants one key, the real COS SDK uploads
 * through signatures from /uploads/sign (simple and multipart), and every request outside that
 * grant (another key, other headers, too many bytes, a forged token) is refused — by the plugin
 * when it is asked to sign, and by COS (the emulator) when an attacker reuses a signature the
 * plugin issued for a request it was not issued for (raw fetch). Complete is signed only with the
 * Content-MD5 of the body listing exactly the uploaded parts, so COS refuses any other part list.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
// The SDK's own XML builder: the Complete body it sends is built with it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cosUtil: { json2xml(o: unknown): string } = require('cos-nodejs-sdk-v5/sdk/util.js');
import type { UploadGrant } from '../../common/contracts/admin-api';
import { grantSigningKey, issueGrantToken } from '../../server/src/upload/token';
import { BUCKET, OTHER, REGION, SECRET_KEY, setupAdminApi, type AdminApiEnv, type Reply } from './admin-api-setup';

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

type GetAuthorization = NonNullable<NonNullable<ConstructorParameters<typeof COS>[0]>['getAuthorization']>;

/** A getAuthorization that asks the plugin's /uploads/sign for every request (refusals collected). */
const pluginSigner = (g: Grant, refusals: Reply[]): GetAuthorization => (options, callback) => {
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
};

/** The browser side: an SDK whose every request is signed by the plugin (cos-js-sdk-v5 does the same). */
function uploader(g: Grant, refusals: Reply[], getAuthorization: GetAuthorization = pluginSigner(g, refusals)): COS {
  return new COS({
    Domain: g.sdk.Domain,
    Protocol: g.sdk.Protocol as 'http:' | 'https:',
    ChunkSize: g.partSize,
    ChunkRetryTimes: 0,
    getAuthorization,
  });
}

/** What cos-js-sdk-v5 and cos-nodejs-sdk-v5 take as `UploadData` to upload into the grant's multipart upload (as the admin does). */
const grantedUpload = (g: Grant) => ({
  UploadId: g.uploadId,
  PartList: Array.from({ length: Math.ceil(g.size / g.partSize) }, (_, i) => ({ PartNumber: i + 1, ETag: null, Uploaded: false })),
});

/** The header a grant's writes must send: `x-cos-forbid-overwrite: true` is signed into them. */
const ONCE = { 'x-cos-forbid-overwrite': 'true' };

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
    await cos.putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: env.videoBytes, ContentType: g.contentType, Headers: ONCE } as never);
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(env.videoBytes.length);
    const done = await env.api('POST', '/uploads/complete', { token: g.token });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ key: g.key, size: env.videoBytes.length, contentType: 'video/mp4' });
    const info = await env.api('POST', '/media-info', { key: g.key });
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ width: 320, height: 240, fps: 10 });
  });

  it('an untyped file with a video extension (browsers give .mkv no type) is granted and uploads', async () => {
    const g = await grant('movie.MKV', env.videoBytes.length, 'application/octet-stream');
    expect(g.key).toMatch(/-movie\.mkv$/);
    expect(g.contentType).toBe('video/x-matroska');
    const refusals: Reply[] = [];
    await uploader(g, refusals).putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: env.videoBytes, ContentType: g.contentType, Headers: ONCE } as never);
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(env.videoBytes.length);
    expect((await env.sdk.headObject({ Bucket: BUCKET, Region: REGION, Key: g.key })).headers?.['content-type']).toBe('video/x-matroska');
  });

  it('multipart upload: the grant started it; the SDK uploads three parts into it and completes it, all signed for that key', async () => {
    const g = await grant('big.webm', BIG_SIZE, 'video/webm');
    expect(g.uploadId).toEqual(expect.any(String));
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    env.emulator.resetRequests();
    await cos.sliceUploadFile({ Bucket: g.bucket, Region: g.region, Key: g.key, FilePath: bigFile, ContentType: g.contentType, Headers: ONCE, UploadData: grantedUpload(g) } as never);
    expect(refusals).toEqual([]);
    expect(await exists(g.key)).toBe(BIG_SIZE);
    expect((await env.api('POST', '/uploads/complete', { token: g.token })).json).toMatchObject({ size: BIG_SIZE, contentType: 'video/webm' });
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect(Buffer.compare(stored.Body as Buffer, fs.readFileSync(bigFile))).toBe(0);
    const ops = env.emulator.requests().map((r) => `${r.method} ${r.key}${'uploads' in r.query ? '?uploads' : ''}${r.query.partNumber ? `?part=${r.query.partNumber}` : ''}`);
    expect(ops).toEqual(expect.arrayContaining([`PUT ${g.key}?part=1`, `PUT ${g.key}?part=2`, `PUT ${g.key}?part=3`]));
    // Neither a listing of uploads nor a second Initiate: the SDK went straight to the granted upload.
    expect(ops.filter((o) => o.endsWith('?uploads'))).toEqual([]);
    expect(ops.filter((o) => o.startsWith('POST'))).toEqual([`POST ${g.key}`]);
    expect(env.emulator.requests().filter((r) => r.query.partNumber).every((r) => r.query.uploadId === g.uploadId)).toBe(true);
  });

  it('the same signer refuses a request for another key: the SDK upload fails and nothing is written', async () => {
    const g = await grant('mine.mp4', env.videoBytes.length, 'video/mp4');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    await expect(cos.putObject({ Bucket: g.bucket, Region: g.region, Key: 'videos/not-mine.mp4', Body: env.videoBytes, ContentType: 'video/mp4', Headers: ONCE } as never)).rejects.toBeTruthy();
    expect(refusals).toHaveLength(1);
    expect(refusals[0].status).toBe(403);
    expect(refusals[0].json.error.message).toMatch(/another object key\. This upload may only write "videos\//);
    expect(await exists('videos/not-mine.mp4')).toBeNull();
  });

  it('a multipart upload larger than the grant is refused at the first oversized part', async () => {
    const g = await grant('small.webm', 1000, 'video/webm');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    await expect(cos.sliceUploadFile({ Bucket: g.bucket, Region: g.region, Key: g.key, FilePath: bigFile, ContentType: g.contentType, Headers: ONCE } as never)).rejects.toBeTruthy();
    expect(refusals.some((r) => /Content-Length of part 1 must be exactly 1000|partNumber must be 1 to 1/.test(r.json.error.message))).toBe(true);
    expect(await exists(g.key)).toBeNull();
  });

  it('completing a multipart upload that is missing a part is refused before Complete is signed', async () => {
    const size = 1.5 * 1024 * 1024;
    const g = await grant('parts.mp4', size, 'video/mp4');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    const loc = { Bucket: g.bucket, Region: g.region, Key: g.key };
    const UploadId = g.uploadId!;
    const p1 = await cos.multipartUpload({ ...loc, UploadId, PartNumber: 1, Body: crypto.randomBytes(1024 * 1024) });
    expect(refusals).toEqual([]);
    await expect(cos.multipartComplete({ ...loc, UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }], Headers: ONCE } as never)).rejects.toBeTruthy();
    expect(refusals[0].json.error.message).toMatch(/1048576 bytes were uploaded but 1572864 were authorised/);
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
    expect(r.json.authorization).toMatch(/^q-sign-algorithm=sha1&q-ak=AKIDLOCALEMULATOR&q-sign-time=\d+;\d+&q-key-time=\d+;\d+&q-header-list=content-length;content-type;host;x-cos-forbid-overwrite&q-url-param-list=&q-signature=[0-9a-f]{40}$/);
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
    ['a copy from another object', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10, 'x-cos-copy-source': `${OTHER}.cos.${REGION}.myqcloud.com/secret.mp4` }), /header "x-cos-copy-source" is not allowed/, undefined],
    ['a public ACL', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10, 'x-cos-acl': 'public-read-write' }), /header "x-cos-acl" is not allowed/, undefined],
    ['more bytes than granted', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 5001 }), /Content-Length must be exactly 5000/, undefined],
    ['fewer bytes than granted', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10 }), /Content-Length must be exactly 5000/, undefined],
    ['another content type', () => put({ 'Content-Type': 'text/html', 'Content-Length': 5000 }), /Content-Type must be "video\/mp4"/, undefined],
    ['a PUT that may overwrite', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 5000, 'x-cos-forbid-overwrite': 'false' }), /x-cos-forbid-overwrite must be "true"/, undefined],
    ['PUT ?acl', () => ({ method: 'PUT', pathname: `/${g.key}`, query: { acl: '' }, headers: { 'Content-Type': 'video/mp4', 'Content-Length': 5000 } }), /not an upload request/, undefined],
    ['a ci-process query', () => ({ method: 'PUT', pathname: `/${g.key}`, query: { 'ci-process': 'snapshot' }, headers: { 'Content-Type': 'video/mp4', 'Content-Length': 10 } }), /not an upload request/, undefined],
    ['no Host header', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10 }), /the Host header must be/, 'no-host'],
    ['another Host', () => put({ 'Content-Type': 'video/mp4', 'Content-Length': 10 }), /the Host header must be/, `${OTHER}.cos.${REGION}.myqcloud.com`],
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

describe('POST /uploads/sign-parts: the parts of a multipart upload signed in batches', () => {
  const signParts = (g: Grant, body: Record<string, unknown>) =>
    env.api('POST', '/uploads/sign-parts', { token: g.token, key: g.key, firstPart: 1, count: 1, ...body });

  /** An SDK whose UploadPart requests use batch signatures (other requests: /uploads/sign), as the admin does. */
  function batchUploader(g: Grant, batches: Array<{ firstPart: number; count: number }>, refusals: Reply[]): COS {
    const cache = new Map<number, string>();
    return new COS({
      Domain: g.sdk.Domain,
      Protocol: g.sdk.Protocol as 'http:' | 'https:',
      ChunkSize: g.partSize,
      ChunkRetryTimes: 0,
      getAuthorization(options, callback) {
        const o = options as unknown as { Method: string; Pathname: string; Query: Record<string, string>; Headers: Record<string, string> };
        if (o.Method.toUpperCase() !== 'PUT' || !o.Query.partNumber) {
          sign(g, { method: o.Method, pathname: o.Pathname, query: o.Query, headers: o.Headers }, '').then((r) => {
            if (r.status !== 200) refusals.push(r);
            callback((r.status === 200 ? { Authorization: r.json.authorization } : {}) as never);
          });
          return;
        }
        const n = Number(o.Query.partNumber);
        const hit = cache.get(n);
        if (hit) return callback({ Authorization: hit } as never);
        const count = Math.ceil(g.size / g.partSize);
        batches.push({ firstPart: 1, count });
        signParts(g, { uploadId: o.Query.uploadId, firstPart: 1, count }).then((r) => {
          if (r.status !== 200) {
            refusals.push(r);
            return callback({} as never);
          }
          for (const p of r.json.parts) cache.set(p.partNumber, p.authorization);
          callback({ Authorization: cache.get(n) } as never);
        });
      },
    });
  }

  it('the SDK uploads every part with batch signatures; COS accepts them and the object is the file', async () => {
    const g = await grant('batch.webm', BIG_SIZE, 'video/webm');
    const refusals: Reply[] = [];
    const batches: Array<{ firstPart: number; count: number }> = [];
    const cos = batchUploader(g, batches, refusals);
    const loc = { Bucket: g.bucket, Region: g.region, Key: g.key };
    const UploadId = g.uploadId!;
    const parts = [];
    for (let n = 1; n <= 3; n++) {
      const body = fs.readFileSync(bigFile).subarray((n - 1) * g.partSize, n * g.partSize);
      parts.push({ PartNumber: n, ETag: (await cos.multipartUpload({ ...loc, UploadId, PartNumber: n, Body: body })).ETag });
    }
    await cos.multipartComplete({ ...loc, UploadId, Parts: parts } as never);
    expect(refusals).toEqual([]);
    expect(batches).toEqual([{ firstPart: 1, count: 3 }]);
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect(Buffer.compare(stored.Body as Buffer, fs.readFileSync(bigFile))).toBe(0);
  });

  it('each signature is scoped like /uploads/sign: Host and that part\'s exact Content-Length, this uploadId, ten minutes at most', async () => {
    const g = await grant('scope.webm', BIG_SIZE, 'video/webm');
    const UploadId = g.uploadId!;
    const r = await signParts(g, { uploadId: UploadId, firstPart: 2, count: 2 });
    expect(r.status).toBe(200);
    expect(r.json.parts.map((p: { partNumber: number }) => p.partNumber)).toEqual([2, 3]);
    for (const p of r.json.parts) {
      expect(signedHeaders(p.authorization)).toEqual(['content-length', 'host']);
      expect(p.authorization).toMatch(/q-url-param-list=partnumber;uploadid&/);
      const [start, end] = /q-sign-time=(\d+);(\d+)/.exec(p.authorization)!.slice(1).map(Number);
      expect(end - start).toBeLessThanOrEqual(601);
    }
    expect(Date.parse(r.json.expiresAt) - Date.now()).toBeLessThanOrEqual(601_000);
    const url = (n: number) => `http://${g.sdk.Domain}/${g.key}?partNumber=${n}&uploadId=${UploadId}`;
    const put = (n: number, auth: string, bytes: number) => fetch(url(n), { method: 'PUT', headers: { authorization: auth }, body: crypto.randomBytes(bytes) });
    // part 3 is the last one (0.5 MiB): its signature does not take a full-size part, nor part 2's bytes
    expect((await put(3, r.json.parts[1].authorization, g.partSize)).status).toBe(403);
    // part 2's signature does not upload part 3
    expect((await put(3, r.json.parts[0].authorization, BIG_SIZE - 2 * g.partSize)).status).toBe(403);
    expect((await put(2, r.json.parts[0].authorization, g.partSize)).status).toBe(200);
  });

  it('refuses another key, another uploadId than the one the grant started, parts past the last one, and an expired grant — naming the field', async () => {
    const g = await grant('attack.webm', BIG_SIZE, 'video/webm');
    const other = await grant('other.webm', BIG_SIZE, 'video/webm');
    const UploadId = g.uploadId!;
    const otherUploadId = other.uploadId!;
    // An upload of the same key started behind the grant's back (say with another grant's leaked signature) is not this grant's either.
    const { UploadId: sideUploadId } = await env.sdk.multipartInit({ Bucket: g.bucket, Region: g.region, Key: g.key });
    const refused = async (body: Record<string, unknown>, status: number, message: RegExp, grantUsed = g) => {
      const r = await signParts(grantUsed, body);
      expect({ status: r.status, message: r.json?.error?.message }).toEqual({ status, message: expect.stringMatching(message) });
      expect(r.text).not.toMatch(/q-signature/);
    };
    await refused({ uploadId: UploadId, key: other.key }, 403, new RegExp(`^Refused to sign upload parts: key "${other.key}" is not the key this upload was granted\\. This upload may only write "${g.key}"`));
    // The grant names its upload: another uploadId is refused without asking COS.
    env.emulator.resetRequests();
    for (const id of [otherUploadId, sideUploadId, 'not-an-upload']) {
      await refused({ uploadId: id }, 403, new RegExp(`^Refused to sign upload parts: uploadId "${id}" is not the multipart upload this grant started \\("${UploadId}"\\)`));
    }
    expect(env.emulator.requests()).toEqual([]);
    await refused({ uploadId: UploadId, firstPart: 2, count: 5 }, 403, /firstPart 2 and count 5 reach part 6, but the upload has 3 \(2621440 bytes in parts of 1048576\)/);
    await refused({ uploadId: UploadId, firstPart: 4, count: 1 }, 403, /firstPart 4 and count 1 reach part 4, but the upload has 3/);
    await refused({ uploadId: UploadId, count: 101 }, 400, /^count must be a number of parts: got 101; allowed: an integer from 1 to 100/);
    await refused({ uploadId: UploadId, firstPart: 0, count: 1.5 }, 400, /^firstPart must be a part number: got 0; allowed: an integer from 1 to 10000.*count must be a number of parts: got 1.5/);
    await refused({ uploadId: 'a/b?c' }, 400, /^uploadId is not a multipart upload id: got "a\/b\?c"/);
    await refused({ uploadId: UploadId, key: '' }, 400, /^key must be an object key: got ""/);

    // The same grant, expired: signed with the server's own grant key, so only the expiry is wrong.
    const [body] = g.token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const expired = issueGrantToken(grantSigningKey(env.strapi.config.get('admin.auth.secret') as string), { ...payload, exp: Math.floor(Date.now() / 1000) - 1 });
    await refused({ uploadId: UploadId }, 403, /^The upload authorisation is expired\. Start the upload again\./, { ...g, token: expired });

    // A completed object: no further part is signed (a grant writes its key once).
    await env.sdk.putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: crypto.randomBytes(BIG_SIZE), ContentType: 'video/webm' });
    await refused({ uploadId: UploadId }, 403, /the upload has completed and a grant writes its key only once/);
  });
});

/** Names in a signature's q-header-list. */
const signedHeaders = (authorization: string) => (/q-header-list=([^&]*)/.exec(authorization)?.[1] ?? '').split(';').filter(Boolean);

/**
 * What an attacker does with a signature the plugin issued: a raw request straight to COS (the
 * emulator), sending `x-cos-forbid-overwrite: true` only when the signature demands it.
 */
async function rawCos(authorization: string, method: string, pathAndQuery: string, headers: Record<string, string> = {}, body?: Buffer) {
  const once = signedHeaders(authorization).includes('x-cos-forbid-overwrite') ? ONCE : {};
  const res = await fetch(`http://127.0.0.1:${env.emulator.port}${pathAndQuery}`, { method, headers: { ...once, ...headers, Authorization: authorization }, body: body ? new Uint8Array(body) : undefined });
  const text = await res.text();
  return { status: res.status, text, etag: res.headers.get('etag') ?? '', code: /<Code>([^<]*)</.exec(text)?.[1] };
}

/** The CompleteMultipartUpload body exactly as the SDK builds it (its own json2xml, whitespace removed). */
const sdkCompleteXml = (parts: Array<[number, string]>) =>
  Buffer.from(cosUtil.json2xml({ CompleteMultipartUpload: { Part: parts.map(([PartNumber, ETag]) => ({ PartNumber, ETag })) } }).replace(/\n\s*/g, ''));
const md5 = (body: Buffer) => crypto.createHash('md5').update(body).digest('base64');

describe('an attacker reusing signatures the plugin issued (raw HTTP to COS)', () => {
  it('size: part 1 uploaded again larger after Complete was signed is refused by COS; the object keeps the granted size', async () => {
    const g = await grant('race.webm', 1000, 'video/webm');
    const init = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploads: '' }, headers: { 'Content-Type': 'video/webm' } });
    expect(init.status).toBe(200);
    const initiated = await rawCos(init.json.authorization, 'POST', `/${g.key}?uploads`, { 'Content-Type': 'video/webm' });
    expect(initiated.status).toBe(200);
    const uploadId = /<UploadId>([^<]+)</.exec(initiated.text)![1];
    // The part is described without a Content-Length: the plugin must not leave it unsigned.
    const part = await sign(g, { method: 'PUT', pathname: `/${g.key}`, query: { partNumber: 1, uploadId } });
    expect(part.status).toBe(200);
    const small = await rawCos(part.json.authorization, 'PUT', `/${g.key}?partNumber=1&uploadId=${uploadId}`, {}, crypto.randomBytes(1000));
    expect(small.status).toBe(200);
    const complete = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploadId }, headers: { 'Content-MD5': md5(sdkCompleteXml([[1, small.etag]])) } });
    expect(complete.status).toBe(200);

    const big = await rawCos(part.json.authorization, 'PUT', `/${g.key}?partNumber=1&uploadId=${uploadId}`, {}, crypto.randomBytes(5 * 1024 * 1024));
    const etag = big.status === 200 ? big.etag : small.etag;
    const body = sdkCompleteXml([[1, etag]]);
    const done = await rawCos(complete.json.authorization, 'POST', `/${g.key}?uploadId=${uploadId}`, { 'Content-Type': 'application/xml', 'Content-MD5': md5(body) }, body);
    expect({ reupload: big.status, complete: done.status, stored: await exists(g.key) }).toEqual({ reupload: 403, complete: 200, stored: 1000 });
  });

  it('type: a PUT or Initiate signed without a Content-Type cannot store text/html under the video key', async () => {
    const body = Buffer.from('<script>alert(1)</script>');
    const g = await grant('page.mp4', body.length, 'video/mp4');
    const put = await sign(g, { method: 'PUT', pathname: `/${g.key}`, headers: { 'Content-Length': body.length } });
    expect(put.status).toBe(200);
    const html = await rawCos(put.json.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'text/html' }, body);
    const init = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploads: '' } });
    expect(init.status).toBe(200);
    const initHtml = await rawCos(init.json.authorization, 'POST', `/${g.key}?uploads`, { 'Content-Type': 'text/html' });
    expect({ put: html.status, init: initHtml.status, stored: await exists(g.key) }).toEqual({ put: 403, init: 403, stored: null });
    // The same signature with the granted type works: the refusal is about the type.
    const video = await rawCos(put.json.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, body);
    expect(video.status).toBe(200);
  });

  it('extras: the PUT signature does not carry x-cos-acl, x-cos-copy-source, ?acl or ?tagging', async () => {
    const body = crypto.randomBytes(64);
    const g = await grant('extras.mp4', body.length, 'video/mp4');
    const put = await sign(g, { method: 'PUT', pathname: `/${g.key}`, headers: { 'Content-Type': 'video/mp4', 'Content-Length': body.length } });
    expect(put.status).toBe(200);
    const auth = put.json.authorization as string;
    const tries = {
      acl: (await rawCos(auth, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4', 'x-cos-acl': 'public-read' }, body)).status,
      copy: (await rawCos(auth, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4', 'x-cos-copy-source': `127.0.0.1:${env.emulator.port}/videos/clip.mp4` }, body)).status,
      putAcl: (await rawCos(auth, 'PUT', `/${g.key}?acl`, { 'Content-Type': 'video/mp4' }, body)).status,
      putTagging: (await rawCos(auth, 'PUT', `/${g.key}?tagging`, { 'Content-Type': 'video/mp4' }, body)).status,
    };
    expect(tries).toEqual({ acl: 403, copy: 403, putAcl: 403, putTagging: 403 });
    expect(await exists(g.key)).toBeNull();
  });

  it('extras: the ListMultipartUploads signature does not open GET /?cors, /?location, /?acl or /?policy', async () => {
    const g = await grant('listing.mp4', 100, 'video/mp4');
    const list = await sign(g, { method: 'GET', pathname: '/', query: { uploads: '', prefix: g.key } });
    expect(list.status).toBe(200);
    const auth = list.json.authorization as string;
    expect((await rawCos(auth, 'GET', `/?uploads&prefix=${encodeURIComponent(g.key)}`)).status).toBe(200);
    const statuses: Record<string, number[]> = {};
    for (const sub of ['cors', 'location', 'acl', 'policy']) {
      statuses[sub] = [
        (await rawCos(auth, 'GET', `/?${sub}`)).status,
        (await rawCos(auth, 'GET', `/?${sub}&uploads&prefix=${encodeURIComponent(g.key)}`)).status,
      ];
    }
    expect(statuses).toEqual({ cors: [403, 403], location: [403, 403], acl: [403, 403], policy: [403, 403] });
  });

  it('once: after the upload completed, its PUT signature cannot overwrite the object and no further write is signed', async () => {
    const body = crypto.randomBytes(256);
    const g = await grant('once.mp4', body.length, 'video/mp4');
    const put = await sign(g, { method: 'PUT', pathname: `/${g.key}`, headers: { 'Content-Type': 'video/mp4', 'Content-Length': body.length } });
    expect((await rawCos(put.json.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, body)).status).toBe(200);
    const again = await rawCos(put.json.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, crypto.randomBytes(256));
    const resign = await sign(g, { method: 'PUT', pathname: `/${g.key}`, headers: { 'Content-Type': 'video/mp4', 'Content-Length': body.length } });
    const init = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploads: '' }, headers: { 'Content-Type': 'video/mp4' } });
    expect({ overwrite: [again.status, again.code], resign: resign.status, init: init.status }).toEqual({ overwrite: [409, 'FileAlreadyExists'], resign: 403, init: 403 });
    expect(resign.json.error.message).toMatch(/the upload has completed and a grant writes its key only once/);
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect(Buffer.compare(stored.Body as Buffer, body)).toBe(0);
  });

  /** A grant of three parts (1 MiB, 1 MiB, 0.5 MiB) uploaded through the plugin's signatures: the upload, its parts' ETags and a signer for Complete. */
  async function threeParts(name: string) {
    const size = 2.5 * 1024 * 1024;
    const g = await grant(name, size, 'video/webm');
    const refusals: Reply[] = [];
    const cos = uploader(g, refusals);
    const loc = { Bucket: g.bucket, Region: g.region, Key: g.key };
    const UploadId = g.uploadId!;
    const etags: string[] = [];
    for (const [n, len] of [[1, 1024 * 1024], [2, 1024 * 1024], [3, 512 * 1024]]) {
      etags.push((await cos.multipartUpload({ ...loc, UploadId, PartNumber: n, Body: crypto.randomBytes(len) })).ETag);
    }
    expect(refusals).toEqual([]);
    const path = `/${g.key}?uploadId=${UploadId}`;
    const signComplete = (contentMd5?: string) =>
      sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploadId: UploadId }, headers: { 'Content-Type': 'application/xml', ...(contentMd5 ? { 'Content-MD5': contentMd5 } : {}) } });
    const sendComplete = (authorization: string, body: Buffer, contentMd5: string | undefined) =>
      rawCos(authorization, 'POST', path, { 'Content-Type': 'application/xml', ...(contentMd5 ? { 'Content-MD5': contentMd5 } : {}) }, body);
    return { g, size, etags, uploadId: UploadId, signComplete, sendComplete, all: sdkCompleteXml(etags.map((e, i) => [i + 1, e])) };
  }

  it('complete: a Complete with a subset of the parts is refused by the plugin (Content-MD5 named) and by COS; the granted Complete still works', async () => {
    const u = await threeParts('subset.webm');
    const subset = sdkCompleteXml([[1, u.etags[0]], [2, u.etags[1]]]);
    // Asking the plugin to sign the subset's digest: 403 naming Content-MD5, the value sent and the one expected.
    const asked = await u.signComplete(md5(subset));
    expect(asked.status).toBe(403);
    expect(asked.json.error.message).toBe(
      `Refused to sign POST /${u.g.key}: Content-MD5 is "${md5(subset)}" but the CompleteMultipartUpload body that lists the uploaded parts 1…3 with their ETags has Content-MD5 "${md5(u.all)}". This upload may only write "${u.g.key}".`,
    );
    // The signature the plugin gives covers Content-MD5: the subset with that digest is a BadDigest, with its own digest a bad signature.
    const signed = await u.signComplete(md5(u.all));
    expect(signed.status).toBe(200);
    expect(signedHeaders(signed.json.authorization)).toEqual(['content-md5', 'host']);
    const withSigned = await u.sendComplete(signed.json.authorization, subset, md5(u.all));
    const withOwn = await u.sendComplete(signed.json.authorization, subset, md5(subset));
    expect({ withSigned: [withSigned.status, withSigned.code], withOwn: [withOwn.status, withOwn.code], stored: await exists(u.g.key) }).toEqual({
      withSigned: [400, 'BadDigest'],
      withOwn: [403, 'SignatureDoesNotMatch'],
      stored: null,
    });
    const done = await u.sendComplete(signed.json.authorization, u.all, md5(u.all));
    expect({ status: done.status, stored: await exists(u.g.key) }).toEqual({ status: 200, stored: u.size });
  });

  it('complete: without Content-MD5, or with another one, nothing is signed; a signed Complete sent without it or with another is refused by COS', async () => {
    const u = await threeParts('digest.webm');
    const none = await u.signComplete();
    expect(none.status).toBe(403);
    expect(none.json.error.message).toMatch(/^Refused to sign POST \/\S+: Content-MD5 is required on CompleteMultipartUpload \(got none\)/);
    const random = crypto.randomBytes(16).toString('base64');
    const other = await u.signComplete(random);
    expect(other.status).toBe(403);
    expect(other.json.error.message).toContain(`Content-MD5 is "${random}" but the CompleteMultipartUpload body that lists the uploaded parts 1…3 with their ETags has Content-MD5 "${md5(u.all)}"`);
    expect(other.text).not.toMatch(/q-signature/);

    const signed = await u.signComplete(md5(u.all));
    const dropped = await u.sendComplete(signed.json.authorization, u.all, undefined);
    const swapped = await u.sendComplete(signed.json.authorization, u.all, random);
    expect({ dropped: [dropped.status, dropped.code], swapped: [swapped.status, swapped.code], stored: await exists(u.g.key) }).toEqual({
      dropped: [403, 'SignatureDoesNotMatch'],
      swapped: [403, 'SignatureDoesNotMatch'],
      stored: null,
    });
  });

  it('complete: a part uploaded again (new ETag) after Complete was signed makes that signature useless; signing again lists the new part', async () => {
    const u = await threeParts('again.webm');
    const signed = await u.signComplete(md5(u.all));
    expect(signed.status).toBe(200);
    // Part 2 again, same length (its Content-Length is signed), other bytes.
    const part2 = await sign(u.g, { method: 'PUT', pathname: `/${u.g.key}`, query: { partNumber: 2, uploadId: u.uploadId } });
    const again = await rawCos(part2.json.authorization, 'PUT', `/${u.g.key}?partNumber=2&uploadId=${u.uploadId}`, {}, crypto.randomBytes(1024 * 1024));
    expect(again.status).toBe(200);
    expect(again.etag).not.toBe(u.etags[1]);
    const now = sdkCompleteXml([[1, u.etags[0]], [2, again.etag], [3, u.etags[2]]]);
    const listedBefore = await u.sendComplete(signed.json.authorization, u.all, md5(u.all));
    const newBody = await u.sendComplete(signed.json.authorization, now, md5(u.all));
    const newDigest = await u.sendComplete(signed.json.authorization, now, md5(now));
    expect({ listedBefore: [listedBefore.status, listedBefore.code], newBody: [newBody.status, newBody.code], newDigest: [newDigest.status, newDigest.code], stored: await exists(u.g.key) }).toEqual({
      listedBefore: [400, 'InvalidPart'],
      newBody: [400, 'BadDigest'],
      newDigest: [403, 'SignatureDoesNotMatch'],
      stored: null,
    });
    // The old digest is no longer signed; the one of the parts as they are now is, and completes the granted object.
    expect((await u.signComplete(md5(u.all))).status).toBe(403);
    const resigned = await u.signComplete(md5(now));
    expect(resigned.status).toBe(200);
    expect((await u.sendComplete(resigned.json.authorization, now, md5(now))).status).toBe(200);
    expect(await exists(u.g.key)).toBe(u.size);
    expect((await env.api('POST', '/uploads/complete', { token: u.g.token })).json).toMatchObject({ key: u.g.key, size: u.size, contentType: 'video/webm' });
  });

  it('complete: an object at the key that breaks the grant (stored there with the bucket\'s own key) is found by POST /uploads/complete and deleted', async () => {
    const g = await grant('replaced.webm', 2.5 * 1024 * 1024, 'video/webm');
    await env.sdk.putObject({ Bucket: g.bucket, Region: g.region, Key: g.key, Body: crypto.randomBytes(2 * 1024 * 1024), ContentType: 'video/webm' });
    const check = await env.api('POST', '/uploads/complete', { token: g.token });
    expect(check.status).toBe(403);
    expect(check.json.error.message).toMatch(/broke its upload grant: it has 2097152 bytes but 2621440 were granted\. It was deleted/);
    expect(await exists(g.key)).toBeNull();
  });

  it('complete: 404 before anything was uploaded, 400 naming the field for a missing token', async () => {
    const g = await grant('nothing.mp4', 10, 'video/mp4');
    const early = await env.api('POST', '/uploads/complete', { token: g.token });
    expect(early.status).toBe(404);
    expect(early.json.error.message).toMatch(/has not completed: COS has no object at that key yet/);
    const bad = await env.api('POST', '/uploads/complete', {});
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^token is not an upload token/);
  });
});

describe('what a grant comes with: the started multipart upload and its first part batch, or the presigned PutObject', () => {
  const byOp = (g: Grant) => g.presigned.map((p) => `${p.method} ${p.pathname === '/' ? '/' : '/<key>'}?${Object.keys(p.query).sort().join('&')} [${Object.keys(p.headers).sort().join(' ')}]`);

  it('above partSize: the grant initiates the upload at COS (granted Content-Type, x-cos-forbid-overwrite) and carries the first part batch instead of presigned requests', async () => {
    const before = Date.now();
    env.emulator.resetRequests();
    const g = await grant('first.webm', BIG_SIZE, 'video/webm');
    expect(g.presigned).toEqual([]);
    // One COS request for the grant: the Initiate, sent by the server, no video bytes.
    expect(env.emulator.requests().map((r) => `${r.method} ${r.key}?${Object.keys(r.query).sort().join('&')}`)).toEqual([`POST ${g.key}?uploads`]);
    const listed = (await env.sdk.multipartList({ Bucket: BUCKET, Region: REGION, Prefix: g.key } as never)) as unknown as { Upload?: { UploadId: string } | Array<{ UploadId: string }> };
    expect([listed.Upload ?? []].flat().map((u) => u.UploadId)).toEqual([g.uploadId]);
    // The first batch: every part of this small file, each scoped like /uploads/sign's, ten minutes at most, never past the grant.
    expect(g.parts!.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(Date.parse(g.parts!.expiresAt)).toBeLessThanOrEqual(Math.min(Date.parse(g.expiresAt), before + 600_000 + 2000));
    for (const p of g.parts!.parts) {
      expect(signedHeaders(p.authorization)).toEqual(['content-length', 'host']);
      expect(p.authorization).toMatch(/q-url-param-list=partnumber;uploadid&/);
    }
    const file = fs.readFileSync(bigFile);
    const etags: Array<[number, string]> = [];
    for (const p of g.parts!.parts) {
      const body = file.subarray((p.partNumber - 1) * g.partSize, p.partNumber * g.partSize);
      const put = await rawCos(p.authorization, 'PUT', `/${g.key}?partNumber=${p.partNumber}&uploadId=${g.uploadId}`, {}, body);
      expect(put.status).toBe(200);
      etags.push([p.partNumber, put.etag]);
    }
    const body = sdkCompleteXml(etags);
    const complete = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploadId: g.uploadId! }, headers: { 'Content-MD5': md5(body) } });
    expect(complete.status).toBe(200);
    expect((await rawCos(complete.json.authorization, 'POST', `/${g.key}?uploadId=${g.uploadId}`, { 'Content-Type': 'application/xml', 'Content-MD5': md5(body) }, body)).status).toBe(200);
    // Initiate's Content-Type is the granted one: the stored object has it.
    const head = await env.sdk.headObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect({ size: Number(head.headers?.['content-length']), type: head.headers?.['content-type'] }).toEqual({ size: BIG_SIZE, type: 'video/webm' });
    expect((await env.api('POST', '/uploads/complete', { token: g.token })).status).toBe(200);
  });

  it('above partSize: Initiate carried x-cos-forbid-overwrite, so COS refuses to complete the upload over an object at the key', async () => {
    const g = await grant('once.webm', BIG_SIZE, 'video/webm');
    const file = fs.readFileSync(bigFile);
    const parts: Array<{ PartNumber: number; ETag: string }> = [];
    for (const p of g.parts!.parts) {
      const put = await rawCos(p.authorization, 'PUT', `/${g.key}?partNumber=${p.partNumber}&uploadId=${g.uploadId}`, {}, file.subarray((p.partNumber - 1) * g.partSize, p.partNumber * g.partSize));
      parts.push({ PartNumber: p.partNumber, ETag: put.etag });
    }
    // An object appears at the key meanwhile; a Complete without the header (as the SDKs send it) still may not replace it.
    await env.sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: g.key, Body: Buffer.from('first'), ContentType: 'video/webm' });
    const done = await env.sdk.multipartComplete({ Bucket: BUCKET, Region: REGION, Key: g.key, UploadId: g.uploadId!, Parts: parts }).then(
      () => ({ statusCode: 200, code: '' }),
      (e: { statusCode?: number; code?: string }) => ({ statusCode: e.statusCode, code: e.code }),
    );
    expect(done).toEqual({ statusCode: 409, code: 'FileAlreadyExists' });
    expect(await exists(g.key)).toBe(5);
  });

  it('the grant\'s uploadId cannot be swapped: /uploads/sign refuses parts, Complete, ListParts and Abort of another upload, and a second Initiate — naming uploadId', async () => {
    const g = await grant('swap.webm', BIG_SIZE, 'video/webm');
    const other = await grant('swap-other.webm', BIG_SIZE, 'video/webm');
    const { UploadId: side } = await env.sdk.multipartInit({ Bucket: g.bucket, Region: g.region, Key: g.key });
    env.emulator.resetRequests();
    for (const id of [side, other.uploadId!]) {
      const reqs: Array<{ method: string; query: Record<string, string | number>; headers?: Record<string, string | number> }> = [
        { method: 'PUT', query: { partNumber: 1, uploadId: id }, headers: { 'Content-Length': g.partSize } },
        // With a well-formed Content-MD5, so the policy's Content-MD5 rule does not answer first.
        { method: 'POST', query: { uploadId: id }, headers: { 'Content-MD5': md5(Buffer.from('any body')) } },
        { method: 'GET', query: { uploadId: id } },
        { method: 'DELETE', query: { uploadId: id } },
      ];
      for (const req of reqs) {
        const r = await sign(g, { pathname: `/${g.key}`, ...req });
        expect({ req: `${req.method} ${Object.keys(req.query).join('&')}`, status: r.status, message: r.json?.error?.message }).toEqual({
          req: `${req.method} ${Object.keys(req.query).join('&')}`,
          status: 403,
          message: expect.stringContaining(`uploadId "${id}" is not the multipart upload this grant started ("${g.uploadId}")`),
        });
      }
    }
    const init = await sign(g, { method: 'POST', pathname: `/${g.key}`, query: { uploads: '' }, headers: { 'Content-Type': 'video/webm' } });
    expect({ status: init.status, message: init.json?.error?.message }).toEqual({ status: 403, message: expect.stringContaining(`multipart upload was started when it was granted (uploadId "${g.uploadId}")`) });
    // Refused without asking COS.
    expect(env.emulator.requests()).toEqual([]);
    // The grant's own upload is signed as before.
    expect((await sign(g, { method: 'PUT', pathname: `/${g.key}`, query: { partNumber: 1, uploadId: g.uploadId! }, headers: { 'Content-Length': g.partSize } })).status).toBe(200);
  });

  it('up to partSize: the one PutObject, bound to the exact size, the granted type and "writes once"', async () => {
    const body = crypto.randomBytes(300);
    env.emulator.resetRequests();
    const g = await grant('small.mp4', body.length, 'video/mp4');
    expect(byOp(g)).toEqual(['PUT /<key>? [content-length content-type host x-cos-forbid-overwrite]']);
    // A one-part file is one PutObject: no multipart upload started, none named, no part signatures.
    expect({ uploadId: g.uploadId, parts: g.parts }).toEqual({ uploadId: undefined, parts: undefined });
    expect(env.emulator.requests().filter((r) => 'uploads' in r.query)).toEqual([]);
    const [put] = g.presigned;
    expect(put.headers).toMatchObject({ 'content-length': '300', 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' });
    const tries = {
      larger: (await rawCos(put.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, crypto.randomBytes(301))).status,
      html: (await rawCos(put.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'text/html' }, body)).status,
      acl: (await rawCos(put.authorization, 'PUT', `/${g.key}?acl`, { 'Content-Type': 'video/mp4' }, body)).status,
      ok: (await rawCos(put.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, body)).status,
      again: (await rawCos(put.authorization, 'PUT', `/${g.key}`, { 'Content-Type': 'video/mp4' }, crypto.randomBytes(300))).status,
    };
    expect(tries).toEqual({ larger: 403, html: 403, acl: 403, ok: 200, again: 409 });
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: g.key });
    expect(Buffer.compare(stored.Body as Buffer, body)).toBe(0);
  });
});

describe('POST /uploads/sign-complete: the Complete signed ahead, from the MD5 of the file\'s parts', () => {
  const PARTS = [1024 * 1024, 1024 * 1024, 512 * 1024];
  const hexMd5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

  /** A grant of three parts and their bytes; `declared` are the parts with the ETags COS will answer (quoted MD5). */
  async function planned(name: string) {
    const g = await grant(name, BIG_SIZE, 'video/webm');
    const bytes = PARTS.map((len) => crypto.randomBytes(len));
    const declared = bytes.map((b, i) => ({ partNumber: i + 1, etag: `"${hexMd5(b)}"` }));
    const signComplete = (body: Record<string, unknown> = {}, token?: string | null) =>
      env.api('POST', '/uploads/sign-complete', { token: g.token, key: g.key, uploadId: g.uploadId, parts: declared, ...body }, token);
    /** The SDK (every other request signed by /uploads/sign), uploading the parts into the grant's upload. */
    const uploadParts = async (cos: COS) => {
      const etags: string[] = [];
      for (const [i, Body] of bytes.entries()) etags.push((await cos.multipartUpload({ Bucket: g.bucket, Region: g.region, Key: g.key, UploadId: g.uploadId!, PartNumber: i + 1, Body })).ETag);
      return etags;
    };
    return { g, bytes, declared, signComplete, uploadParts };
  }

  it('signs the Complete of parts 1…N before any part is uploaded, asking COS one HEAD (no ListParts); the SDK\'s own Complete request is exactly the one signed and completes the granted object', async () => {
    const u = await planned('ahead.webm');
    env.emulator.resetRequests();
    const r = await u.signComplete();
    expect(r.status).toBe(200);
    expect({ cosRequests: env.emulator.requests().map((q) => `${q.method} ${q.key}`) }).toEqual({ cosRequests: [`HEAD ${u.g.key}`] });
    const body = sdkCompleteXml(u.declared.map((p) => [p.partNumber, p.etag]));
    expect(r.json).toEqual({
      method: 'POST',
      pathname: `/${u.g.key}`,
      query: { uploadid: u.g.uploadId },
      headers: { host: u.g.sdk.Domain, 'content-md5': md5(body) },
      authorization: expect.stringMatching(/q-sign-algorithm=sha1/),
      expiresAt: expect.any(String),
    });
    expect(signedHeaders(r.json.authorization)).toEqual(['content-md5', 'host']);
    const ttl = Date.parse(r.json.expiresAt) - Date.now();
    expect(ttl > 9 * 60_000 && ttl <= 10 * 60_000).toBe(true);

    // The browser's SDK: parts signed by the plugin as usual; its Complete gets the signature signed ahead, and nothing else does.
    const refusals: Reply[] = [];
    const viaPlugin = pluginSigner(u.g, refusals);
    const asked: string[] = [];
    const cos = uploader(u.g, refusals, (options, callback) => {
      const o = options as unknown as { Method: string; Query: Record<string, string>; Headers: Record<string, string> };
      if (o.Method.toUpperCase() !== 'POST' || !('uploadId' in o.Query)) return viaPlugin(options, callback);
      asked.push(o.Headers['Content-MD5']);
      callback({ Authorization: r.json.authorization } as never);
    });
    const etags = await u.uploadParts(cos);
    expect(etags).toEqual(u.declared.map((p) => p.etag));
    await cos.multipartComplete({ Bucket: u.g.bucket, Region: u.g.region, Key: u.g.key, UploadId: u.g.uploadId!, Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) });
    expect({ refusals, completeContentMd5: asked }).toEqual({ refusals: [], completeContentMd5: [md5(body)] });
    const stored = await env.sdk.getObject({ Bucket: BUCKET, Region: REGION, Key: u.g.key });
    expect(Buffer.compare(stored.Body as Buffer, Buffer.concat(u.bytes))).toBe(0);
  });

  it('completes those parts or nothing: an ETag that is not its part\'s bytes is InvalidPart, a part uploaded again after signing too, and another body is BadDigest or a bad signature', async () => {
    const u = await planned('declared-wrong.webm');
    // Part 2 declared with the MD5 of other bytes than those uploaded.
    const lie = u.declared.map((p) => (p.partNumber === 2 ? { ...p, etag: `"${hexMd5(crypto.randomBytes(16))}"` } : p));
    const signedLie = await u.signComplete({ parts: lie });
    expect(signedLie.status).toBe(200);
    const signedTrue = await u.signComplete();
    const etags = await u.uploadParts(uploader(u.g, []));
    const send = (authorization: string, parts: Array<{ partNumber: number; etag: string }>) => {
      const body = sdkCompleteXml(parts.map((p) => [p.partNumber, p.etag]));
      return rawCos(authorization, 'POST', `/${u.g.key}?uploadId=${u.g.uploadId}`, { 'Content-Type': 'application/xml', 'Content-MD5': md5(body) }, body);
    };
    const actual = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
    const lied = await send(signedLie.json.authorization, lie);
    const liedWithActual = await send(signedLie.json.authorization, actual);
    const subset = await send(signedTrue.json.authorization, actual.slice(0, 2));
    // Part 3 again with other bytes of its exact length: the declared ETag no longer names it.
    const part3 = await sign(u.g, { method: 'PUT', pathname: `/${u.g.key}`, query: { partNumber: 3, uploadId: u.g.uploadId } });
    expect((await rawCos(part3.json.authorization, 'PUT', `/${u.g.key}?partNumber=3&uploadId=${u.g.uploadId}`, {}, crypto.randomBytes(PARTS[2]))).status).toBe(200);
    const stale = await send(signedTrue.json.authorization, u.declared);
    expect({ lied: [lied.status, lied.code], liedWithActual: [liedWithActual.status, liedWithActual.code], subset: [subset.status, subset.code], stale: [stale.status, stale.code], stored: await exists(u.g.key) }).toEqual({
      lied: [400, 'InvalidPart'],
      liedWithActual: [403, 'SignatureDoesNotMatch'],
      subset: [403, 'SignatureDoesNotMatch'],
      stale: [400, 'InvalidPart'],
      stored: null,
    });
  });

  it('writes once: after the upload completed, sign-complete is refused; and a multipart grant\'s key is never signed a PutObject, the way around its Complete', async () => {
    const u = await planned('ahead-once.webm');
    // An attacker's order: the granted size and type as a PutObject first, the parts' Complete later.
    const put = await sign(u.g, { method: 'PUT', pathname: `/${u.g.key}`, headers: { 'Content-Type': 'video/webm', 'Content-Length': BIG_SIZE } });
    expect([put.status, put.json?.error?.message]).toEqual([
      403,
      `Refused to sign PUT /${u.g.key}: this upload's object is written by the Complete of the multipart upload started when it was granted (uploadId "${u.g.uploadId}"), not by a PutObject. This upload may only write "${u.g.key}".`,
    ]);
    const signed = await u.signComplete();
    await u.uploadParts(uploader(u.g, []));
    const body = sdkCompleteXml(u.declared.map((p) => [p.partNumber, p.etag]));
    const done = await rawCos(signed.json.authorization, 'POST', `/${u.g.key}?uploadId=${u.g.uploadId}`, { 'Content-Type': 'application/xml', 'Content-MD5': md5(body) }, body);
    expect(done.status).toBe(200);
    const again = await u.signComplete();
    expect([again.status, again.json?.error?.message]).toEqual([
      403,
      `Refused to sign CompleteMultipartUpload: the upload has completed and a grant writes its key only once. This upload may only write "${u.g.key}".`,
    ]);
    expect(again.text).not.toMatch(/q-signature/);
    expect(await exists(u.g.key)).toBe(BIG_SIZE);
  });

  it('refuses, naming the field, another key, another uploadId, a grant without a multipart upload, parts other than 1…N and a token not issued to this admin; COS is asked nothing', async () => {
    const u = await planned('refused.webm');
    const small = await grant('one-part.mp4', 100, 'video/mp4');
    env.emulator.resetRequests();
    const refused = async (r: Promise<Reply>) => {
      const reply = await r;
      return [reply.status, reply.json?.error?.message] as const;
    };
    const prefix = `Refused to sign CompleteMultipartUpload: `;
    const tail = `. This upload may only write "${u.g.key}".`;
    expect(await refused(u.signComplete({ key: 'videos/other.webm' }))).toEqual([403, `${prefix}key "videos/other.webm" is not the key this upload was granted${tail}`]);
    expect(await refused(u.signComplete({ uploadId: 'another-upload' }))).toEqual([403, `${prefix}uploadId "another-upload" is not the multipart upload this grant started ("${u.g.uploadId}")${tail}`]);
    expect(await refused(u.signComplete({ parts: u.declared.slice(0, 2) }))).toEqual([403, `${prefix}parts lists 2 parts but the upload has 3 (${BIG_SIZE} bytes in parts of 1048576)${tail}`]);
    expect(await refused(u.signComplete({ parts: [...u.declared, { partNumber: 4, etag: u.declared[0].etag }] }))).toEqual([403, `${prefix}parts lists 4 parts but the upload has 3 (${BIG_SIZE} bytes in parts of 1048576)${tail}`]);
    expect(await refused(u.signComplete({ parts: [u.declared[1], u.declared[0], u.declared[2]] }))).toEqual([403, `${prefix}parts[0].partNumber is 2 but must be 1: parts 1 … 3 in order, once each${tail}`]);
    expect(await refused(u.signComplete({ parts: [u.declared[0], u.declared[0], u.declared[2]] }))).toEqual([403, `${prefix}parts[1].partNumber is 1 but must be 2: parts 1 … 3 in order, once each${tail}`]);
    expect(
      await refused(env.api('POST', '/uploads/sign-complete', { token: small.token, key: small.key, uploadId: 'any', parts: [{ partNumber: 1, etag: u.declared[0].etag }] })),
    ).toEqual([403, `${prefix}this grant started no multipart upload (a file up to partSize is one PutObject); a Complete of another upload goes through /uploads/sign. This upload may only write "${small.key}".`]);
    // Another admin holding the upload permission cannot use this admin's grant.
    const [body] = u.g.token.split('.');
    const forged = await env.api('POST', '/uploads/sign-complete', { token: `${body}.${'A'.repeat(43)}`, key: u.g.key, uploadId: u.g.uploadId, parts: u.declared });
    expect(forged.status).toBe(403);
    expect(forged.text).not.toMatch(/q-signature/);
    expect({ cosRequests: env.emulator.requests().length }).toEqual({ cosRequests: 0 });
  });

  it('a malformed body is a 400 naming each field with its value and what is allowed', async () => {
    const u = await planned('malformed.webm');
    const r = await u.signComplete({ uploadId: 'a b', parts: [{ partNumber: 0, etag: 'abc' }, { partNumber: 2, etag: u.declared[1].etag.toUpperCase() }, 'x'] });
    expect(r.status).toBe(400);
    const errors = (r.json.error.details.errors as Array<{ path: string[]; message: string }>).map((e) => e.message);
    expect(errors).toEqual([
      expect.stringMatching(/^uploadId is not a multipart upload id: got "a b"; allowed: the UploadId COS answered/),
      expect.stringMatching(/^parts\[0\]\.partNumber must be a part number: got 0; allowed: an integer from 1 to 10000$/),
      expect.stringMatching(/^parts\[0\]\.etag is not a part ETag: got "abc"; allowed: the MD5 of the part in lower-case hex/),
      expect.stringMatching(/^parts\[1\]\.etag is not a part ETag: got "\\"[0-9A-F]{32}\\""/),
      expect.stringMatching(/^parts\[2\]\.partNumber must be a part number: got nothing/),
      expect.stringMatching(/^parts\[2\]\.etag is not a part ETag/),
    ]);
    const none = await u.signComplete({ parts: [] });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toMatch(/^parts must list the parts: got "0 parts"; allowed: an array of 1 to 10000 \{ partNumber, etag \}/);
  });
});

describe('secrets', () => {
  it('no admin API response contained the COS secret key', () => {
    expect(env.bodies.length).toBeGreaterThan(20);
    for (const body of env.bodies) expect(body).not.toContain(SECRET_KEY);
  });
});
