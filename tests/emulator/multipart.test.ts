import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { B, emulator, failure, ipClient, tempDir } from './helpers';

const MB = 1024 * 1024;

describe('multipart upload', () => {
  const tmp = tempDir('multipart');
  const dataDir = path.join(tmp.dir, 'data');
  const file = path.join(tmp.dir, 'big.bin');
  const content = randomBytes(4 * MB + 12345); // 5 parts of 1 MiB (the last one short)
  let emu: RunningEmulator;
  let cos: COS;

  beforeAll(async () => {
    writeFileSync(file, content);
    emu = await emulator(dataDir);
    cos = ipClient(emu);
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const sliceUpload = async (params: Record<string, unknown>) =>
    (await (cos.sliceUploadFile as (p: unknown) => Promise<unknown>)({ ...B, ...params })) as COS.SliceUploadFileResult;
  const uploadsUnder = async (prefix: string) =>
    ((await cos.multipartList({ ...B, Prefix: prefix } as COS.MultipartListParams)) as COS.MultipartListResult).Upload;

  const partPuts = () =>
    emu
      .requests()
      .filter((r) => r.method === 'PUT' && r.query.partNumber)
      .map((r) => Number(r.query.partNumber))
      .sort((a, b) => a - b);

  test('sliceUploadFile uploads several chunks and the object matches byte for byte', async () => {
    emu.resetRequests();
    const res = await sliceUpload({ Key: 'big/slice.bin', FilePath: file, ChunkSize: MB, ChunkParallelLimit: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.ETag).toMatch(/^"[0-9a-f]{32}-5"$/);
    expect(partPuts()).toEqual([1, 2, 3, 4, 5]);
    const got = await cos.getObject({ ...B, Key: 'big/slice.bin' });
    expect(Buffer.compare(got.Body as Buffer, content)).toBe(0);
    const head = await cos.headObject({ ...B, Key: 'big/slice.bin' });
    expect(head.headers?.['content-length']).toBe(String(content.length));
    // nothing left behind
    expect(await uploadsUnder('big/slice.bin')).toEqual([]);
  });

  test('uploadFile picks a simple PUT for small files and multipart for large ones', async () => {
    const small = path.join(tmp.dir, 'small.bin');
    writeFileSync(small, 'tiny');
    emu.resetRequests();
    await cos.uploadFile({ ...B, Key: 'small.bin', FilePath: small, SliceSize: MB });
    expect(emu.requests().map((r) => [r.method, r.key, Object.keys(r.query)])).toEqual([['PUT', 'small.bin', []]]);

    emu.resetRequests();
    await cos.uploadFile({ ...B, Key: 'big/upload-file.bin', FilePath: file, SliceSize: MB, ChunkSize: MB });
    expect(partPuts()).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.compare((await cos.getObject({ ...B, Key: 'big/upload-file.bin' })).Body as Buffer, content)).toBe(0);
  });

  test('an interrupted upload resumes after an emulator restart, uploading only the missing parts', async () => {
    const key = 'big/resumed.bin';
    const init = await cos.multipartInit({ ...B, Key: key });
    for (const n of [1, 2]) {
      await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: n, Body: content.subarray((n - 1) * MB, n * MB) });
    }
    // the "crash": parts must survive on disk
    await emu.close();
    emu = await emulator(dataDir);
    cos = ipClient(emu);

    emu.resetRequests();
    const res = await sliceUpload({ Key: key, FilePath: file, ChunkSize: MB });
    expect(res.statusCode).toBe(200);
    expect(partPuts()).toEqual([3, 4, 5]);
    const completes = emu.requests().filter((r) => r.method === 'POST' && r.query.uploadId);
    expect(completes.map((r) => r.query.uploadId)).toEqual([init.UploadId]);
    expect(Buffer.compare((await cos.getObject({ ...B, Key: key })).Body as Buffer, content)).toBe(0);
  });

  test('a stale upload whose parts do not match the file is not reused', async () => {
    const key = 'big/changed.bin';
    const init = await cos.multipartInit({ ...B, Key: key });
    await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 1, Body: randomBytes(MB) });
    emu.resetRequests();
    await sliceUpload({ Key: key, FilePath: file, ChunkSize: MB });
    expect(partPuts()).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.compare((await cos.getObject({ ...B, Key: key })).Body as Buffer, content)).toBe(0);
  });

  test('list uploads, list parts and abort', async () => {
    const key = 'listed/one.bin';
    const init = await cos.multipartInit({ ...B, Key: key, ContentType: 'video/mp4' });
    const part = await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 1, Body: content.subarray(0, MB) });
    await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 2, Body: Buffer.from('tail') });

    const uploads = await uploadsUnder('listed/');
    expect(uploads.map((u) => [u.Key, u.UploadId])).toEqual([[key, init.UploadId]]);

    const parts = await cos.multipartListPart({ ...B, Key: key, UploadId: init.UploadId });
    expect(parts.Part.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      ['1', String(MB), part.ETag],
      ['2', '4', expect.stringMatching(/^"[0-9a-f]{32}"$/)],
    ]);
    const paged = await cos.multipartListPart({ ...B, Key: key, UploadId: init.UploadId, MaxParts: 1 });
    expect(paged.IsTruncated).toBe('true');
    expect(paged.Part.map((p) => p.PartNumber)).toEqual(['1']);

    await cos.multipartAbort({ ...B, Key: key, UploadId: init.UploadId });
    expect(await uploadsUnder('listed/')).toEqual([]);
    const e = await failure(cos.multipartListPart({ ...B, Key: key, UploadId: init.UploadId }));
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('NoSuchUpload');
  });

  test('complete checks part ETags, order and minimum size; the content type is kept', async () => {
    const key = 'checked.bin';
    const init = await cos.multipartInit({ ...B, Key: key, ContentType: 'video/mp4' });
    const p1 = await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 1, Body: Buffer.from('small') });
    const p2 = await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 2, Body: Buffer.from('parts') });

    const wrong = await failure(cos.multipartComplete({ ...B, Key: key, UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] }));
    expect([wrong.statusCode, wrong.code]).toEqual([400, 'InvalidPart']);

    const order = await failure(cos.multipartComplete({ ...B, Key: key, UploadId: init.UploadId, Parts: [{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }] }));
    expect(order.code).toBe('InvalidPartOrder');

    const small = await failure(cos.multipartComplete({ ...B, Key: key, UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] }));
    expect(small.code).toBe('EntityTooSmall');

    const ok = await cos.multipartComplete({ ...B, Key: key, UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }] });
    expect(ok.ETag).toMatch(/-1"$/);
    const got = await cos.getObject({ ...B, Key: key });
    expect(got.Body.toString()).toBe('small');
    expect(got.headers?.['content-type']).toBe('video/mp4');
  });

  test('complete verifies Content-MD5 against the body it received, as COS does: BadDigest for another digest, InvalidDigest for a malformed one', async () => {
    const key = 'digest.bin';
    const init = await cos.multipartInit({ ...B, Key: key, ContentType: 'video/mp4' });
    const p1 = await cos.multipartUpload({ ...B, Key: key, UploadId: init.UploadId, PartNumber: 1, Body: Buffer.from('only part') });
    // The body cos-js-sdk-v5 and cos-nodejs-sdk-v5 build (util.json2xml, whitespace removed): quotes escaped as &quot;.
    const xml = (etag: string) => `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag.replace(/"/g, '&quot;')}</ETag></Part></CompleteMultipartUpload>`;
    const md5 = (body: string) => createHash('md5').update(body).digest('base64');
    const send = (body: string, headers: Record<string, string>) =>
      cos.request({ ...B, Key: key, Method: 'POST', Query: { uploadId: init.UploadId }, Body: body, Headers: { 'Content-Type': 'application/xml', ...headers } } as COS.RequestParams);

    const other = await failure(send(xml(p1.ETag), { 'Content-MD5': md5(xml('"00000000000000000000000000000000"')) }));
    expect([other.statusCode, other.code]).toEqual([400, 'BadDigest']);
    const malformed = await failure(send(xml(p1.ETag), { 'Content-MD5': 'not-a-digest' }));
    expect([malformed.statusCode, malformed.code]).toEqual([400, 'InvalidDigest']);
    // Refused without a trace: no object, the upload still open with its part.
    expect(await failure(cos.headObject({ ...B, Key: key }))).toMatchObject({ statusCode: 404 });
    expect((await cos.multipartListPart({ ...B, Key: key, UploadId: init.UploadId })).Part.map((p) => p.ETag)).toEqual([p1.ETag]);

    // The SDK's own Complete sends the digest of exactly that body, and it matches.
    emu.resetRequests();
    await cos.multipartComplete({ ...B, Key: key, UploadId: init.UploadId, Parts: [{ PartNumber: 1, ETag: p1.ETag }] });
    const [sent] = emu.requests().filter((r) => r.method === 'POST' && r.query.uploadId);
    expect(sent.status).toBe(200);
    expect((await cos.getObject({ ...B, Key: key })).Body.toString()).toBe('only part');
  });

  test('an unknown uploadId is 404 NoSuchUpload', async () => {
    const e = await failure(cos.multipartUpload({ ...B, Key: 'x', UploadId: 'ffffffffffffffffffffffffffffffff', PartNumber: 1, Body: Buffer.from('x') }));
    expect([e.statusCode, e.code]).toEqual([404, 'NoSuchUpload']);
  });

});
