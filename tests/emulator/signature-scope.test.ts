/**
 * What one signature authorises: the emulator refuses a request that reuses a signature for
 * another operation (an unsigned sub-resource or x-cos-* header), keeps an object when
 * x-cos-forbid-overwrite is true, and types an untyped upload from its key's extension.
 * Signatures come from the real SDK (COS.getAuthorization); requests are raw fetch calls.
 */
import COS from 'cos-nodejs-sdk-v5';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, type RunningEmulator } from '../../dev/emulator';
import { B, domainClient, emulator, failure, tempDir } from './helpers';

let emu: RunningEmulator;
let cos: COS;
let cleanup: () => void;
let host: string;

beforeAll(async () => {
  const t = tempDir('scope');
  cleanup = t.cleanup;
  emu = await emulator(t.dir);
  cos = domainClient(emu);
  host = `127.0.0.1:${emu.port}`;
});

afterAll(async () => {
  await emu?.close();
  cleanup?.();
});

function auth(method: 'put' | 'get', key: string, query: Record<string, string>, headers: Record<string, string>): string {
  return COS.getAuthorization({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Method: method, Key: key, Query: query, Headers: { Host: host, ...headers }, Expires: 300 });
}

async function send(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  const res = await fetch(`http://${host}${path}`, { method, headers, body: body ? new Uint8Array(body) : undefined });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '' };
}

describe('a signature authorises only the operation it lists', () => {
  it('a PUT signature does not authorise PUT ?acl or ?tagging on the same key', async () => {
    const body = Buffer.from('<AccessControlPolicy/>');
    const headers = { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length) };
    const authorization = auth('put', 'videos/a.mp4', {}, headers);
    for (const sub of ['acl', 'tagging']) {
      const r = await send('PUT', `/videos/a.mp4?${sub}`, { ...headers, Authorization: authorization }, body);
      expect(r).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(r.message).toContain(`the sub-resource "${sub}" is not in q-url-param-list`);
    }
    expect(await failure(cos.headObject({ ...B, Key: 'videos/a.mp4' }))).toMatchObject({ statusCode: 404 });
  });

  it('a ListMultipartUploads signature does not open ?cors, ?location, ?acl or ?policy', async () => {
    const query = { uploads: '', prefix: 'videos/a.mp4' };
    const authorization = auth('get', '', query, {});
    const ok = await send('GET', '/?uploads&prefix=videos%2Fa.mp4', { Authorization: authorization });
    expect(ok.status).toBe(200);
    for (const sub of ['cors', 'location', 'acl', 'policy']) {
      const alone = await send('GET', `/?${sub}`, { Authorization: authorization });
      expect([sub, alone.status]).toEqual([sub, 403]);
      const added = await send('GET', `/?${sub}&uploads&prefix=videos%2Fa.mp4`, { Authorization: authorization });
      expect([sub, added.status, added.message]).toEqual([sub, 403, expect.stringContaining(`"${sub}" is not in q-url-param-list`)]);
    }
  });

  it('an x-cos-* header the signature does not list is refused (x-cos-acl, x-cos-copy-source)', async () => {
    const body = Buffer.from('x');
    const headers = { 'Content-Type': 'video/mp4', 'Content-Length': '1' };
    const authorization = auth('put', 'videos/b.mp4', {}, headers);
    for (const [h, v] of [['x-cos-acl', 'public-read'], ['x-cos-copy-source', `${host}/videos/other.mp4`]]) {
      const r = await send('PUT', '/videos/b.mp4', { ...headers, [h]: v, Authorization: authorization }, body);
      expect(r).toMatchObject({ status: 403, code: 'AccessDenied' });
      expect(r.message).toContain(`the header "${h}" is not in q-header-list`);
    }
    const plain = await send('PUT', '/videos/b.mp4', { ...headers, Authorization: authorization }, body);
    expect(plain.status).toBe(200);
  });

  it('a signed Content-Length or Content-Type that differs from the request is SignatureDoesNotMatch', async () => {
    const headers = { 'Content-Type': 'video/mp4', 'Content-Length': '10' };
    const authorization = auth('put', 'videos/c.mp4', {}, headers);
    const longer = await send('PUT', '/videos/c.mp4', { 'Content-Type': 'video/mp4', Authorization: authorization }, Buffer.alloc(20));
    expect(longer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const html = await send('PUT', '/videos/c.mp4', { 'Content-Type': 'text/html', Authorization: authorization }, Buffer.alloc(10));
    expect(html).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });
});

describe('x-cos-forbid-overwrite', () => {
  it('PUT: the first write lands, the second answers 409 FileAlreadyExists and keeps the object', async () => {
    const put = (Body: string) => cos.putObject({ ...B, Key: 'videos/once.mp4', Body, Headers: { 'x-cos-forbid-overwrite': 'true' } } as never);
    await put('first');
    const e = await failure(put('second'));
    expect(e).toMatchObject({ statusCode: 409, code: 'FileAlreadyExists' });
    const got = await cos.getObject({ ...B, Key: 'videos/once.mp4' });
    expect(String(got.Body)).toBe('first');
  });

  it('CompleteMultipartUpload: 409 when the key was written meanwhile; without the header it overwrites', async () => {
    const Key = 'videos/multi.mp4';
    const { UploadId } = await cos.multipartInit({ ...B, Key, Headers: { 'x-cos-forbid-overwrite': 'true' } } as never);
    const p1 = await cos.multipartUpload({ ...B, Key, UploadId, PartNumber: 1, Body: Buffer.from('part') });
    await cos.putObject({ ...B, Key, Body: 'already here' });
    const e = await failure(cos.multipartComplete({ ...B, Key, UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }] }));
    expect(e).toMatchObject({ statusCode: 409, code: 'FileAlreadyExists' });
    expect(String((await cos.getObject({ ...B, Key })).Body)).toBe('already here');

    const second = await cos.multipartInit({ ...B, Key } as never);
    const q1 = await cos.multipartUpload({ ...B, Key, UploadId: second.UploadId, PartNumber: 1, Body: Buffer.from('part') });
    await cos.multipartComplete({ ...B, Key, UploadId: second.UploadId, Parts: [{ PartNumber: 1, ETag: q1.ETag }] });
    expect(String((await cos.getObject({ ...B, Key })).Body)).toBe('part');
  });
});

describe('Content-Type of an untyped upload', () => {
  it.each([
    ['videos/x.mp4', 'video/mp4'],
    ['videos/x.MKV', 'video/x-matroska'],
    ['notes/x.html', 'text/html'],
    ['blob/x', 'application/octet-stream'],
  ])('%s without Content-Type is stored as %s', async (key, type) => {
    const authorization = auth('put', key, {}, { 'Content-Length': '3' });
    const r = await send('PUT', `/${key}`, { Authorization: authorization }, Buffer.from('abc'));
    expect(r.status).toBe(200);
    const head = await cos.headObject({ ...B, Key: key });
    expect(head.headers?.['content-type']).toBe(type);
  });
});
