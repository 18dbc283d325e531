import { createHash } from 'node:crypto';
import { checkCompleteRequest, checkUploadedParts, checkUploadFile, completeMultipartBody, decideUploadRequest, grantBreaches, grantTtlSeconds, partPlan, partSizeFor, type UploadRequest } from '../../server/src/upload/policy';

const MIB = 1024 * 1024;
const HOST = 'media-1250000000.cos.ap-guangzhou.myqcloud.com';
const KEY = 'videos/2026/11/29/abc-clip.mp4';
// 2.5 MiB in parts of 1 MiB: parts 1 and 2 of 1 MiB, part 3 of 0.5 MiB.
const TERMS = { key: KEY, contentType: 'video/mp4', size: 2.5 * MIB, partSize: MIB, host: HOST };

const req = (method: string, query: Record<string, string> = {}, headers: Record<string, string> = {}, pathname = `/${KEY}`): UploadRequest => ({
  method,
  pathname,
  query,
  headers: { host: HOST, ...headers },
});

describe('partSizeFor / partPlan', () => {
  it.each([
    [1, MIB],
    [10_000 * MIB, MIB],
    [10_000 * MIB + 1, 2 * MIB],
    [5 * 1024 ** 3, MIB],
    [48.8 * 1024 ** 3, 8 * MIB],
  ])('a file of %d bytes uses parts of %d bytes', (size, part) => {
    expect(partSizeFor(size)).toBe(part);
  });

  it('the last part is the rest, and the parts add up to the size', () => {
    const plan = partPlan(TERMS.size, TERMS.partSize);
    expect(plan.count).toBe(3);
    expect([1, 2, 3].map(plan.length)).toEqual([MIB, MIB, 0.5 * MIB]);
    expect(partPlan(MIB, MIB)).toMatchObject({ count: 1 });
  });
});

describe('decideUploadRequest', () => {
  it.each<[string, UploadRequest, string, Record<string, string>]>([
    ['simple PUT', req('PUT', {}, { 'content-length': String(2.5 * MIB) }), 'PutObject',
      { host: HOST, 'content-length': String(2.5 * MIB), 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' }],
    ['simple PUT described without its headers (cos-js-sdk-v5 drops Content-Type)', req('PUT'), 'PutObject',
      { host: HOST, 'content-length': String(2.5 * MIB), 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' }],
    ['Initiate', req('POST', { uploads: '' }, { 'content-type': 'video/mp4; codecs=avc1' }), 'InitiateMultipartUpload',
      { host: HOST, 'content-type': 'video/mp4', 'x-cos-forbid-overwrite': 'true' }],
    ['part 1', req('PUT', { partnumber: '1', uploadid: 'u1' }), 'UploadPart', { host: HOST, 'content-length': String(MIB) }],
    ['last part', req('PUT', { partnumber: '3', uploadid: 'u1' }, { 'content-length': String(0.5 * MIB) }), 'UploadPart',
      { host: HOST, 'content-length': String(0.5 * MIB) }],
    ['Complete with its Content-MD5', req('POST', { uploadid: 'u1' }, { 'content-type': 'application/xml', 'content-md5': 'abc=' }), 'CompleteMultipartUpload',
      { host: HOST, 'content-md5': 'abc=' }],
    ['Complete sending x-cos-forbid-overwrite', req('POST', { uploadid: 'u1' }, { 'content-md5': 'abc=', 'x-cos-forbid-overwrite': 'true' }), 'CompleteMultipartUpload',
      { host: HOST, 'content-md5': 'abc=', 'x-cos-forbid-overwrite': 'true' }],
    ['ListParts', req('GET', { uploadid: 'u1', 'max-parts': '1000' }), 'ListParts', { host: HOST }],
    ['Abort', req('DELETE', { uploadid: 'u1' }), 'AbortMultipartUpload', { host: HOST }],
    ['ListMultipartUploads of the key', req('GET', { uploads: '', prefix: KEY }, {}, '/'), 'ListMultipartUploads', { host: HOST }],
    ['HEAD of the key', req('HEAD'), 'HeadObject', { host: HOST }],
    ['a part that also sends x-cos-forbid-overwrite (signed as sent)', req('PUT', { partnumber: '2', uploadid: 'u1' }, { 'x-cos-forbid-overwrite': 'true' }), 'UploadPart',
      { host: HOST, 'content-length': String(MIB), 'x-cos-forbid-overwrite': 'true' }],
  ])('allows %s and signs exactly the headers that bound it', (_label, request, operation, headers) => {
    expect(decideUploadRequest(TERMS, request)).toEqual(expect.objectContaining({ allowed: true, operation, headers }));
  });

  it.each<[string, UploadRequest, RegExp]>([
    ['a PUT of more bytes', req('PUT', {}, { 'content-length': String(2.5 * MIB + 1) }), /Content-Length must be exactly 2621440/],
    ['a PUT of fewer bytes', req('PUT', {}, { 'content-length': '10' }), /Content-Length must be exactly 2621440/],
    ['a PUT typed text/html', req('PUT', {}, { 'content-type': 'text/html' }), /Content-Type must be "video\/mp4"/],
    ['an Initiate typed text/html', req('POST', { uploads: '' }, { 'content-type': 'text/html' }), /Content-Type must be "video\/mp4"/],
    ['a PUT that may overwrite', req('PUT', {}, { 'x-cos-forbid-overwrite': 'false' }), /x-cos-forbid-overwrite must be "true"/],
    ['part 1 larger than a part', req('PUT', { partnumber: '1', uploadid: 'u1' }, { 'content-length': String(5 * MIB) }), /part 1 must be exactly 1048576/],
    ['a part beyond the plan', req('PUT', { partnumber: '4', uploadid: 'u1' }), /partNumber must be 1 to 3/],
    ['part 0', req('PUT', { partnumber: '0', uploadid: 'u1' }), /partNumber must be 1 to 3/],
    ['x-cos-acl', req('PUT', {}, { 'x-cos-acl': 'public-read' }), /header "x-cos-acl" is not allowed/],
    ['x-cos-copy-source', req('PUT', {}, { 'x-cos-copy-source': 'b.cos.ap-guangzhou.myqcloud.com/k' }), /header "x-cos-copy-source" is not allowed/],
    ['x-cos-meta-*', req('PUT', {}, { 'x-cos-meta-x': '1' }), /header "x-cos-meta-x" is not allowed/],
    ['Content-Encoding', req('PUT', {}, { 'content-encoding': 'gzip' }), /header "content-encoding" is not allowed/],
    ['PUT ?acl', req('PUT', { acl: '' }), /not an upload request/],
    ['PUT ?tagging', req('PUT', { tagging: '' }), /not an upload request/],
    ['a part with ?acl', req('PUT', { partnumber: '1', uploadid: 'u1', acl: '' }), /not an upload request/],
    ['GET of the object', req('GET'), /not an upload request/],
    ['DELETE of the object', req('DELETE'), /not an upload request/],
    ['GET /?cors', req('GET', { cors: '' }, {}, '/'), /only listing the multipart uploads of this key/],
    ['GET /?uploads&prefix&acl', req('GET', { uploads: '', prefix: KEY, acl: '' }, {}, '/'), /only listing the multipart uploads of this key/],
    ['listing other uploads', req('GET', { uploads: '', prefix: 'videos/' }, {}, '/'), /only listing the multipart uploads of this key/],
    ['another key', req('PUT', {}, {}, '/videos/other.mp4'), /another object key/],
    ['another Host', req('PUT', {}, { host: 'other-1250000000.cos.ap-guangzhou.myqcloud.com' }), /the Host header must be/],
    ['a Complete without Content-MD5', req('POST', { uploadid: 'u1' }, { 'content-type': 'application/xml' }), /^Content-MD5 is required on CompleteMultipartUpload \(got none\)/],
  ])('refuses %s', (_label, request, reason) => {
    const d = decideUploadRequest(TERMS, request);
    expect(d.allowed).toBe(false);
    expect(d.allowed ? '' : d.reason).toMatch(reason);
  });
});

describe('checkUploadedParts', () => {
  const parts = (...sizes: number[]) => sizes.map((size, i) => ({ partNumber: i + 1, size }));
  it('accepts exactly the planned parts', () => {
    expect(checkUploadedParts(TERMS, parts(MIB, MIB, 0.5 * MIB))).toBeNull();
  });
  it.each<[string, Array<{ partNumber: number; size: number }>, RegExp]>([
    ['more bytes than granted', parts(5 * MIB, MIB, 0.5 * MIB), /6815744 bytes were uploaded but 2621440 were authorised/],
    ['a missing part', parts(MIB, MIB), /2097152 bytes were uploaded/],
    ['the same total in other parts', [{ partNumber: 1, size: 2 * MIB }, { partNumber: 3, size: 0.5 * MIB }], /2 parts were uploaded but the upload has 3/],
    ['parts of the wrong sizes', parts(0.5 * MIB, MIB, MIB), /part 1 \(524288 bytes\) is not part 1 of 1048576 bytes/],
  ])('refuses %s', (_label, list, reason) => {
    expect(checkUploadedParts(TERMS, list)).toMatch(reason);
  });
});

describe('the CompleteMultipartUpload body and its Content-MD5', () => {
  const E = ['"0cc175b9c0f1b6a831c399e269772661"', '"92eb5ffee6ae2fec3ad71c777531578f"', '"4a8a08f09d37b73795649038408b5f33"'];
  const listed = (sizes: number[], etags = E) => sizes.map((size, i) => ({ partNumber: i + 1, size, etag: etags[i] }));
  const md5 = (body: string) => createHash('md5').update(body).digest('base64');

  it('is byte for byte what cos-js-sdk-v5 sends (util.json2xml, whitespace removed) and cos-nodejs-sdk-v5 too', () => {
    const parts = [{ PartNumber: 1, ETag: E[0] }, { PartNumber: 2, ETag: E[1] }, { PartNumber: 3, ETag: E[2] }];
    const bySdk = (util: { json2xml(o: unknown): string }) => util.json2xml({ CompleteMultipartUpload: { Part: parts } }).replace(/\n\s*/g, '');
    const body = completeMultipartBody(listed([MIB, MIB, 0.5 * MIB]));
    expect(body).toBe(bySdk(require('cos-js-sdk-v5').util));
    expect(body).toBe(bySdk(require('cos-nodejs-sdk-v5/sdk/util.js')));
    expect(body).toBe(
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;92eb5ffee6ae2fec3ad71c777531578f&quot;</ETag></Part>' +
        '<Part><PartNumber>3</PartNumber><ETag>&quot;4a8a08f09d37b73795649038408b5f33&quot;</ETag></Part></CompleteMultipartUpload>',
    );
  });

  it('quotes an ETag reported without quotes and escapes XML characters, as the SDKs do', () => {
    const odd = [{ partNumber: 2, size: 1, etag: 'a&b' }, { partNumber: 1, size: 1, etag: '"<x>\'"' }];
    expect(completeMultipartBody(odd)).toBe(
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;&lt;x&gt;&apos;&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;a&amp;b&quot;</ETag></Part></CompleteMultipartUpload>',
    );
  });

  it('accepts the Content-MD5 of the body that lists exactly the uploaded parts', () => {
    const parts = listed([MIB, MIB, 0.5 * MIB]);
    expect(checkCompleteRequest(TERMS, parts, md5(completeMultipartBody(parts)))).toBeNull();
  });

  it.each<[string, () => string, RegExp]>([
    ['a subset of the parts', () => md5(completeMultipartBody(listed([MIB, MIB]))), /^Content-MD5 is "[^"]+" but the CompleteMultipartUpload body that lists the uploaded parts 1…3 with their ETags has Content-MD5 "[^"]+"/],
    ['another ETag for a part (re-uploaded after listing)', () => md5(completeMultipartBody(listed([MIB, MIB, 0.5 * MIB], [E[0], E[2], E[2]]))), /^Content-MD5 is "[^"]+" but/],
    ['a malformed digest', () => 'not-a-digest', /^Content-MD5 is "not-a-digest" but/],
  ])('refuses %s, naming Content-MD5, the value sent and the one expected', (_label, sent, reason) => {
    const parts = listed([MIB, MIB, 0.5 * MIB]);
    const why = checkCompleteRequest(TERMS, parts, sent());
    expect(why).toMatch(reason);
    expect(why).toContain(`"${md5(completeMultipartBody(parts))}"`);
  });

  it('refuses parts that do not add up to the grant before looking at the digest', () => {
    const parts = listed([MIB, MIB]);
    expect(checkCompleteRequest(TERMS, parts, md5(completeMultipartBody(parts)))).toMatch(/2097152 bytes were uploaded but 2621440 were authorised/);
  });
});

describe('checkUploadFile', () => {
  const MAX = 100 * MIB;
  it.each([
    ['a typed video', { fileName: 'intro.mp4', size: 10, contentType: 'video/mp4' }],
    ['a typed video with parameters', { fileName: 'intro', size: 10, contentType: 'video/quicktime; charset=binary' }],
    ['an untyped file named as a video', { fileName: 'clip.mkv', size: 10, contentType: 'application/octet-stream' }],
    ['an empty type on a video name', { fileName: 'clip.webm', size: MAX, contentType: '' }],
  ])('accepts %s', (_name, body) => {
    expect(checkUploadFile(body, MAX)).toEqual({ ok: true, value: body });
  });

  it.each([
    ['no file name', { size: 10, contentType: 'video/mp4' }, ['fileName']],
    ['a blank file name', { fileName: '  ', size: 10, contentType: 'video/mp4' }, ['fileName']],
    ['a file name of 256 characters', { fileName: `${'a'.repeat(252)}.mp4`, size: 10, contentType: 'video/mp4' }, ['fileName']],
    ['size 0', { fileName: 'a.mp4', size: 0, contentType: 'video/mp4' }, ['size']],
    ['a fractional size', { fileName: 'a.mp4', size: 1.5, contentType: 'video/mp4' }, ['size']],
    ['a size given as text', { fileName: 'a.mp4', size: '10', contentType: 'video/mp4' }, ['size']],
    ['a size over maxUploadSize', { fileName: 'a.mp4', size: MAX + 1, contentType: 'video/mp4' }, ['size']],
    ['an image', { fileName: 'a.jpg', size: 10, contentType: 'image/jpeg' }, ['contentType']],
    ['an untyped file not named as a video', { fileName: 'a.txt', size: 10, contentType: 'application/octet-stream' }, ['contentType']],
    ['no type', { fileName: 'a.mp4', size: 10 }, ['contentType']],
    ['everything wrong at once', {}, ['fileName', 'size', 'contentType']],
  ])('refuses %s, naming %j', (_name, body, fields) => {
    const r = checkUploadFile(body, MAX);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(fields);
  });

  it('names the limit when a file is too large', () => {
    const r = checkUploadFile({ fileName: 'a.mp4', size: MAX + 1, contentType: 'video/mp4' }, MAX);
    expect(!r.ok && r.errors[0].message).toContain(`at most ${MAX} bytes (maxUploadSize)`);
  });
});

describe('grantBreaches', () => {
  const terms = { size: 1000, contentType: 'video/mp4' };
  it.each([
    ['the granted object', { size: 1000, contentType: 'video/mp4' }, []],
    ['the granted type with parameters, in other case', { size: 1000, contentType: 'Video/MP4; codecs=avc1' }, []],
    ['another size', { size: 999, contentType: 'video/mp4' }, ['it has 999 bytes but 1000 were granted']],
    ['another type', { size: 1000, contentType: 'text/html' }, ['its Content-Type is "text/html" but "video/mp4" was granted']],
    ['both', { size: 1, contentType: '' }, ['it has 1 bytes but 1000 were granted', 'its Content-Type is "" but "video/mp4" was granted']],
  ])('%s → %j', (_name, stored, expected) => {
    expect(grantBreaches(terms, stored)).toEqual(expected);
  });
});

describe('grantTtlSeconds', () => {
  it.each([
    [1, 900],
    [900 * 262_144, 900],
    [900 * 262_144 + 1, 901],
    [3600 * 262_144, 3600],
    [50 * 1024 ** 3, 6 * 3600],
  ])('a file of %d bytes gets a grant of %d s', (size, ttl) => {
    expect(grantTtlSeconds(size)).toBe(ttl);
  });
});
