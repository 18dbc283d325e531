import crypto from 'node:crypto';
import type { PresignedUploadRequest, SignUploadCompleteRequest } from '../../common/contracts/admin-api';
import { completeMultipartBody } from '../../common/complete-multipart';
import { createCompleteAhead, isCompleteOf, partMd5 } from '../../admin/src/utils/complete-ahead';

const HOST = 'media-1250000000.cos.ap-guangzhou.myqcloud.com';
const KEY = 'videos/2026/11/30/abc-intro.mp4';
const UPLOAD_ID = '1764470000a1b2c3';
const NOW = Date.parse('2026-11-30T04:00:00Z');
const PART = 64 * 1024;
// Ten parts, the last one shorter.
const bytes = crypto.randomBytes(9 * PART + 1000);
const file = new Blob([bytes]);
const md5Hex = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');
const parts = Array.from({ length: 10 }, (_, i) => bytes.subarray(i * PART, (i + 1) * PART));
/** The ETags COS answers for the parts: the quoted MD5 of their bytes. */
const cosEtags = parts.map((p) => `"${md5Hex(p)}"`);
const listed = (etags: string[]) => etags.map((etag, i) => ({ partNumber: i + 1, etag }));

type Asked = Pick<SignUploadCompleteRequest, 'key' | 'uploadId' | 'parts'>;
/** What /uploads/sign-complete answers for the declared parts (the Content-MD5 of their body). */
const answerFor = (req: Pick<SignUploadCompleteRequest, 'parts'>, expiresAt = new Date(NOW + 600_000).toISOString()): PresignedUploadRequest => ({
  method: 'POST',
  pathname: `/${KEY}`,
  query: { uploadid: UPLOAD_ID },
  headers: { host: HOST, 'content-md5': crypto.createHash('md5').update(completeMultipartBody(req.parts)).digest('base64') },
  authorization: `auth-${req.parts.map((p) => p.etag).join()}`,
  expiresAt,
});
/** The SDK's Complete as cos-js-sdk-v5 describes it to getAuthorization, for the parts COS answered. */
const sdkComplete = (etags: string[]) => ({
  Method: 'post',
  Pathname: `/${KEY}`,
  Query: { uploadId: UPLOAD_ID },
  Headers: { Host: HOST, 'Content-Type': 'application/xml', 'Content-MD5': crypto.createHash('md5').update(completeMultipartBody(listed(etags))).digest('base64') },
});

function ahead(sign: (req: Asked) => Promise<PresignedUploadRequest> = async (req) => answerFor(req), tail?: number) {
  const asked: Asked[] = [];
  const a = createCompleteAhead({ file, partSize: PART, key: KEY, uploadId: UPLOAD_ID, now: () => NOW, ...(tail ? { tail } : {}), sign: (req) => (asked.push(req), sign(req)) });
  return { a, asked };
}
/** Lets the page hash what it hashes (a few parts of 64 KiB). */
const settle = () => new Promise((r) => setTimeout(r, 100));
const answerParts = (a: ReturnType<typeof createCompleteAhead>, numbers: number[], etags = cosEtags) => numbers.forEach((n) => a.answered(n, etags[n - 1]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('partMd5: the MD5 of one part of the file, as COS computes the part\'s ETag', () => {
  it('parts of partSize, the last one the rest', async () => {
    expect(await partMd5(file, PART, 1)).toBe(md5Hex(parts[0]));
    expect(await partMd5(file, PART, 10)).toBe(md5Hex(parts[9]));
  });
});

describe('isCompleteOf', () => {
  it('POST /<key>?uploadId=<the upload> only', () => {
    expect(isCompleteOf(sdkComplete(cosEtags), KEY, UPLOAD_ID)).toBe(true);
    expect(isCompleteOf({ ...sdkComplete(cosEtags), Query: { uploadId: 'other' } }, KEY, UPLOAD_ID)).toBe(false);
    expect(isCompleteOf({ ...sdkComplete(cosEtags), Query: { uploadId: UPLOAD_ID, partNumber: '1' } }, KEY, UPLOAD_ID)).toBe(false);
    expect(isCompleteOf({ ...sdkComplete(cosEtags), Method: 'GET' }, KEY, UPLOAD_ID)).toBe(false);
    expect(isCompleteOf({ ...sdkComplete(cosEtags), Pathname: '/other.mp4' }, KEY, UPLOAD_ID)).toBe(false);
  });
});

describe('createCompleteAhead: the SDK\'s Complete signed while the last parts upload', () => {
  it('hashes the last 2 parts, takes the first ones\' ETags from COS\'s answers, and asks once every part has one: before the last parts are answered', async () => {
    const { a, asked } = ahead();
    await settle();
    expect(asked).toEqual([]);
    answerParts(a, range(1, 7));
    expect(asked).toEqual([]);
    answerParts(a, [8]);
    // Parts 1–8 answered, 9–10 hashed here: all known while 9 and 10 are still on their way.
    expect(asked).toEqual([{ key: KEY, uploadId: UPLOAD_ID, parts: listed(cosEtags) }]);
    answerParts(a, range(9, 10));
    expect(await a.take(sdkComplete(cosEtags))).toEqual({ authorization: answerFor({ parts: listed(cosEtags) }).authorization });
    // A retried Complete is not handed the same signature again.
    expect(await a.take(sdkComplete(cosEtags))).toBeNull();
    expect(asked).toHaveLength(1);
  });

  it('hashes as many parts as its tail: with tail 5, parts 1–5 come from COS', async () => {
    const { a, asked } = ahead(undefined, 5);
    await settle();
    answerParts(a, range(1, 4));
    expect(asked).toEqual([]);
    answerParts(a, [5]);
    expect(asked.map((r) => r.parts)).toEqual([listed(cosEtags)]);
  });

  it('hashing slower than the upload: COS\'s answer to the last part completes the list, it asks then with COS\'s ETags, and take waits for the answer', async () => {
    let answer!: () => void;
    const { a, asked } = ahead((req) => new Promise((r) => (answer = () => r(answerFor(req)))), 1);
    answerParts(a, range(1, 10));
    const taken = a.take(sdkComplete(cosEtags));
    expect(asked.map((r) => r.parts)).toEqual([listed(cosEtags)]);
    answer();
    expect(await taken).toEqual({ authorization: answerFor({ parts: listed(cosEtags) }).authorization });
  });

  it('a part COS answers with another ETag than its MD5 (e.g. encrypted with a KMS key) is asked again with COS\'s ETag', async () => {
    const kms = cosEtags.map((e, i) => (i === 9 ? `"${md5Hex(crypto.randomBytes(8))}"` : e));
    const { a, asked } = ahead();
    await settle();
    answerParts(a, range(1, 8), kms);
    expect(asked.map((r) => r.parts)).toEqual([listed(cosEtags)]);
    answerParts(a, range(9, 10), kms);
    expect(asked.map((r) => r.parts)).toEqual([listed(cosEtags), listed(kms)]);
    expect(await a.take(sdkComplete(kms))).toEqual({ authorization: answerFor({ parts: listed(kms) }).authorization });
  });

  it('null (the caller asks /uploads/sign) for a Complete other than the one signed: no Content-MD5, x-cos-forbid-overwrite sent, another query or another key', async () => {
    for (const req of [
      { ...sdkComplete(cosEtags), Headers: { Host: HOST } },
      { ...sdkComplete(cosEtags), Headers: { ...sdkComplete(cosEtags).Headers, 'x-cos-forbid-overwrite': 'true' } },
      { ...sdkComplete(cosEtags), Query: { uploadId: UPLOAD_ID, extra: '1' } },
      { ...sdkComplete(cosEtags), Pathname: '/videos/other.mp4' },
    ]) {
      const { a } = ahead();
      answerParts(a, range(1, 10));
      expect(await a.take(req)).toBeNull();
    }
  });

  it('null when the signature is within a minute of expiring, or the request failed', async () => {
    const late = ahead(async (req) => answerFor(req, new Date(NOW + 59_000).toISOString()));
    const failed = ahead(async () => Promise.reject(new Error('403')));
    answerParts(late.a, range(1, 10));
    answerParts(failed.a, range(1, 10));
    expect(await late.a.take(sdkComplete(cosEtags))).toBeNull();
    expect(await failed.a.take(sdkComplete(cosEtags))).toBeNull();
  });

  it('stop(): nothing is asked, and take answers null', async () => {
    const { a, asked } = ahead();
    a.stop();
    answerParts(a, range(1, 10));
    await settle();
    expect(asked).toEqual([]);
    expect(await a.take(sdkComplete(cosEtags))).toBeNull();
  });
});
