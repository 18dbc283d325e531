import { createHash, randomBytes } from 'node:crypto';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { B, BUCKET, domainClient, emulator, failure, ipClient, OTHER, REGION, tempDir } from './helpers';

describe('objects through the real cos-nodejs-sdk-v5', () => {
  const tmp = tempDir('objects');
  let emu: RunningEmulator;
  let cos: COS;

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const body = randomBytes(300_000);
  const md5 = createHash('md5').update(body).digest('hex');

  test('putObject stores the body and answers the quoted MD5 as ETag', async () => {
    const res = await cos.putObject({ ...B, Key: 'videos/a.bin', Body: body, ContentType: 'video/mp4' });
    expect(res.statusCode).toBe(200);
    expect(res.ETag).toBe(`"${md5}"`);
  });

  test('getObject returns the same bytes, type and ETag', async () => {
    const res = await cos.getObject({ ...B, Key: 'videos/a.bin' });
    expect(Buffer.compare(res.Body as Buffer, body)).toBe(0);
    expect(res.headers?.['content-type']).toBe('video/mp4');
    expect(res.ETag).toBe(`"${md5}"`);
  });

  test('headObject reports size, type, ETag and Last-Modified without a body', async () => {
    const res = await cos.headObject({ ...B, Key: 'videos/a.bin' });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-length']).toBe(String(body.length));
    expect(res.headers?.['content-type']).toBe('video/mp4');
    expect(res.ETag).toBe(`"${md5}"`);
    expect(Date.parse(res.headers?.['last-modified'] as string)).not.toBeNaN();
  });

  test('Range requests answer 206 with exactly the requested bytes', async () => {
    const mid = await cos.getObject({ ...B, Key: 'videos/a.bin', Headers: { Range: 'bytes=1000-1999' } } as never);
    expect(mid.statusCode).toBe(206);
    expect(mid.headers?.['content-range']).toBe(`bytes 1000-1999/${body.length}`);
    expect(Buffer.compare(mid.Body as Buffer, body.subarray(1000, 2000))).toBe(0);
    const tail = await cos.getObject({ ...B, Key: 'videos/a.bin', Headers: { Range: 'bytes=-10' } } as never);
    expect(Buffer.compare(tail.Body as Buffer, body.subarray(body.length - 10))).toBe(0);
    const open = await cos.getObject({ ...B, Key: 'videos/a.bin', Headers: { Range: 'bytes=299990-' } } as never);
    expect((open.Body as Buffer).length).toBe(10);
  });

  test('an unsatisfiable range is 416 InvalidRange', async () => {
    const e = await failure(cos.getObject({ ...B, Key: 'videos/a.bin', Headers: { Range: 'bytes=999999-' } } as never));
    expect(e.statusCode).toBe(416);
    expect(e.code).toBe('InvalidRange');
  });

  test('x-cos-meta-* and Cache-Control are stored and returned', async () => {
    await cos.putObject({ ...B, Key: 'meta.txt', Body: 'hi', CacheControl: 'max-age=60', Headers: { 'x-cos-meta-origin': 'test' } } as never);
    const res = await cos.headObject({ ...B, Key: 'meta.txt' });
    expect(res.headers?.['x-cos-meta-origin']).toBe('test');
    expect(res.headers?.['cache-control']).toBe('max-age=60');
  });

  test('keys with spaces, plus signs, unicode and slashes round-trip', async () => {
    const key = 'dir one/sub+dir/视频 (1)*.mp4';
    await cos.putObject({ ...B, Key: key, Body: 'x' });
    const res = await cos.getObject({ ...B, Key: key });
    expect((res.Body as Buffer).toString()).toBe('x');
    const list = await cos.getBucket({ ...B, Prefix: 'dir one/' });
    expect(list.Contents.map((c) => c.Key)).toEqual([key]);
  });

  test('a wrong Content-MD5 is rejected with BadDigest and stores nothing', async () => {
    const e = await failure(
      cos.putObject({ ...B, Key: 'bad-md5.bin', Body: 'abc', Headers: { 'Content-MD5': createHash('md5').update('xyz').digest('base64') } } as never),
    );
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('BadDigest');
    expect((await failure(cos.headObject({ ...B, Key: 'bad-md5.bin' }))).statusCode).toBe(404);
  });

  test('missing objects: GET is 404 NoSuchKey as COS error XML with request ids, HEAD is a bare 404', async () => {
    const e = await failure(cos.getObject({ ...B, Key: 'nope.mp4' }));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('NoSuchKey');
    expect(e.message).toBe('The specified key does not exist.');
    expect(e.error?.RequestId).toMatch(/\S{10,}/);
    expect(e.error?.TraceId).toMatch(/\S{10,}/);
    expect(e.error?.Resource).toContain('/nope.mp4');
    const h = await failure(cos.headObject({ ...B, Key: 'nope.mp4' }));
    expect(h.statusCode).toBe(404);
  });

  test('deleteObject removes the object (204) and deleting again still succeeds', async () => {
    await cos.putObject({ ...B, Key: 'gone.txt', Body: 'x' });
    expect((await cos.deleteObject({ ...B, Key: 'gone.txt' })).statusCode).toBe(204);
    expect((await failure(cos.getObject({ ...B, Key: 'gone.txt' }))).code).toBe('NoSuchKey');
    expect((await cos.deleteObject({ ...B, Key: 'gone.txt' })).statusCode).toBe(204);
  });

  test('virtual-host addressing keeps buckets apart', async () => {
    await cos.putObject({ Bucket: OTHER, Region: REGION, Key: 'only-in-other.txt', Body: 'o' });
    expect((await cos.getObject({ Bucket: OTHER, Region: REGION, Key: 'only-in-other.txt' })).Body.toString()).toBe('o');
    expect((await failure(cos.getObject({ ...B, Key: 'only-in-other.txt' }))).code).toBe('NoSuchKey');
  });

  test('an unknown bucket is 404 NoSuchBucket', async () => {
    const e = await failure(cos.getObject({ Bucket: 'missing-1250000000', Region: REGION, Key: 'a' }));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('NoSuchBucket');
  });

  test('a bare 127.0.0.1:P host (SDK Domain option) reaches the first bucket', async () => {
    const viaDomain = domainClient(emu);
    await viaDomain.putObject({ ...B, Key: 'via-domain.txt', Body: 'd' });
    const read = await cos.getObject({ ...B, Key: 'via-domain.txt' });
    expect(read.Body.toString()).toBe('d');
    expect(emu.requests().some((r) => r.bucket === BUCKET && r.key === 'via-domain.txt' && r.method === 'PUT')).toBe(true);
  });

  test('concurrent PUTs to one key leave one complete version (body and ETag agree)', async () => {
    const versions = [0, 1, 2, 3, 4, 5].map((i) => randomBytes(200_000 + i));
    await Promise.all(versions.map((v) => cos.putObject({ ...B, Key: 'raced.bin', Body: v })));
    const got = await cos.getObject({ ...B, Key: 'raced.bin' });
    const bodyMd5 = createHash('md5').update(got.Body as Buffer).digest('hex');
    expect(got.ETag).toBe(`"${bodyMd5}"`);
    expect(versions.some((v) => Buffer.compare(v, got.Body as Buffer) === 0)).toBe(true);
  });

  test('objects persist under the data directory across restarts', async () => {
    await cos.putObject({ ...B, Key: 'persist/me.bin', Body: body });
    await emu.close();
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    const res = await cos.getObject({ ...B, Key: 'persist/me.bin' });
    expect(Buffer.compare(res.Body as Buffer, body)).toBe(0);
    expect(res.ETag).toBe(`"${md5}"`);
  });

  test('the request log records what the SDK called, and can be reset', async () => {
    emu.resetRequests();
    await cos.headObject({ ...B, Key: 'persist/me.bin' });
    await failure(cos.getObject({ ...B, Key: 'absent' }));
    const log = emu.requests();
    expect(log.map((r) => [r.method, r.bucket, r.key, r.status])).toEqual([
      ['HEAD', BUCKET, 'persist/me.bin', 200],
      ['GET', BUCKET, 'absent', 404],
    ]);
    emu.resetRequests();
    expect(emu.requests()).toEqual([]);
  });
});
