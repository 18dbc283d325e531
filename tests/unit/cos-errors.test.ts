/**
 * toCosError fed the error forms Tencent documents for COS and Cloud Infinite (数据万象)
 * data processing. Each case runs the real cos-nodejs-sdk-v5 against a tiny HTTP server that
 * answers with the documented status and error XML, so the SDK's own error object is mapped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import COS from 'cos-nodejs-sdk-v5';
import { CosError, snapshotTimeError, toCosError } from '../../server/src/cos/errors';
import { mediaEnd } from '../../server/src/cos/media-info';

let server: http.Server;
let answer: { status: number; code: string; message: string } = { status: 400, code: 'InvalidArgument', message: '' };
let cos: COS;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const body =
      `<?xml version='1.0' encoding='utf-8' ?><Error><Code>${answer.code}</Code><Message>${answer.message}</Message>` +
      '<RequestId>NjQ0ZDYxYjBfMjBhZjM3MGJfMTdhNF8x</RequestId><TraceId>OGVmYzZiMmQzYjA2OWNh</TraceId></Error>';
    res.writeHead(answer.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  cos = new COS({ SecretId: 'AKIDEXAMPLE', SecretKey: 'example-secret', Domain: `127.0.0.1:${port}`, Protocol: 'http:' });
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const loc = { bucket: 'media-1250000000', region: 'ap-guangzhou', key: 'videos/a.mp4' };

/** What the SDK throws for one ci-process request answered with `status` / `code` / `message`. */
async function sdkError(status: number, code: string, message: string, ciProcess: 'snapshot' | 'videoinfo' = 'snapshot'): Promise<unknown> {
  answer = { status, code, message };
  const query: Record<string, string> = ciProcess === 'snapshot' ? { 'ci-process': 'snapshot', time: '1' } : { 'ci-process': 'videoinfo' };
  try {
    await cos.request({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Method: 'GET', Query: query, RawBody: ciProcess === 'snapshot' });
  } catch (e) {
    return e;
  }
  throw new Error('the SDK did not reject');
}

const op = (ci: 'snapshot' | 'videoinfo') => (ci === 'snapshot' ? 'GetSnapshot' : 'GetMediaInfo');

describe('media processing not enabled ("media bucket unbinded"): every documented form', () => {
  // The SDK samples document it as HTTP 400; it is also seen as 403 AccessDenied. The text is the constant.
  const forms: Array<[number, string]> = [
    [400, 'InvalidArgument'],
    [400, 'InvalidRequest'],
    [403, 'AccessDenied'],
  ];
  for (const ci of ['snapshot', 'videoinfo'] as const) {
    for (const [status, code] of forms) {
      it(`${status} ${code} on ${ci}`, async () => {
        const e = toCosError(await sdkError(status, code, "media bucket unbinded, bucket's host is unavailable", ci), { op: op(ci), ...loc });
        expect(e).toMatchObject({ code: 'MediaProcessingDisabled', transient: false, statusCode: status, cosCode: code });
        expect(e.userMessage).toContain('Media processing is not enabled for bucket media-1250000000');
      });
    }
  }
});

describe('Cloud Infinite data-processing codes (all HTTP 400)', () => {
  for (const ci of ['snapshot', 'videoinfo'] as const) {
    it(`ResourceNotFound on ${ci}: the object is missing, not a bad argument`, async () => {
      const e = toCosError(await sdkError(400, 'ResourceNotFound', 'The specified resource does not exist.', ci), { op: op(ci), ...loc });
      expect(e).toMatchObject({ code: 'NoSuchKey', transient: false, statusCode: 400 });
      expect(e.userMessage).toContain('"videos/a.mp4" in bucket media-1250000000 does not exist');
    });

    it(`ResourceAccessDenied on ${ci}: access denied, not retried`, async () => {
      const e = toCosError(await sdkError(400, 'ResourceAccessDenied', 'Access to the resource is denied.', ci), { op: op(ci), ...loc });
      expect(e).toMatchObject({ code: 'AccessDenied', transient: false });
      expect(e.userMessage).toContain('"videos/a.mp4" in bucket media-1250000000');
    });

    it(`ResourceDownloadFailed on ${ci}: COS could not fetch its input, retried`, async () => {
      const e = toCosError(await sdkError(400, 'ResourceDownloadFailed', 'Download input failed.', ci), { op: op(ci), ...loc });
      expect(e).toMatchObject({ code: 'ServerError', transient: true });
    });
  }

  it('a plain InvalidArgument stays an invalid argument naming the object and COS\'s words', async () => {
    const e = toCosError(await sdkError(400, 'InvalidArgument', 'width is invalid'), { op: 'GetSnapshot', ...loc });
    expect(e).toMatchObject({ code: 'InvalidArgument', transient: false });
    expect(e.userMessage).toContain('width is invalid');
  });

  it('words about "duration" in an InvalidArgument are not taken as a time past the end', async () => {
    // The end is decided by comparing the time with the video (snapshotTimeError), never by COS's wording.
    const e = toCosError(await sdkError(400, 'InvalidArgument', 'the parameter exceeds the allowed duration format'), { op: 'GetSnapshot', ...loc });
    expect(e.code).toBe('InvalidArgument');
  });
});

describe('time beyond the end, decided by the request', () => {
  const refused = () => toCosError(Object.assign(new Error('Invalid parameter'), { statusCode: 400, code: 'InvalidArgument', error: { Code: 'InvalidArgument', Message: 'Invalid parameter' } }), { op: 'GetSnapshot', ...loc });

  it('a refused time past the video end becomes TimeBeyondDuration naming the time and the end', () => {
    const e = snapshotTimeError(refused(), 12.5, 10.0, { op: 'GetSnapshot', ...loc });
    expect(e).toMatchObject({ code: 'TimeBeyondDuration', transient: false, statusCode: 400 });
    expect(e.userMessage).toBe('The snapshot time 12.5 s is beyond the end of the video "videos/a.mp4" in bucket media-1250000000, which ends at 10 s. Choose a time between 0 and 10 s.');
  });

  it('a refused time inside the video stays what COS said (no guessing)', () => {
    const original = refused();
    expect(snapshotTimeError(original, 9.99, 10.0, { op: 'GetSnapshot', ...loc })).toBe(original);
    expect(snapshotTimeError(original, 10.0, 10.0, { op: 'GetSnapshot', ...loc })).toBe(original);
  });

  it('an unknown end changes nothing', () => {
    const original = refused();
    expect(snapshotTimeError(original, 99, null, { op: 'GetSnapshot', ...loc })).toBe(original);
  });

  it('only an InvalidArgument refusal is re-read (a missing object stays missing)', () => {
    const missing = new CosError({ code: 'NoSuchKey', statusCode: 404, transient: false, userMessage: 'gone', detail: 'gone' });
    expect(snapshotTimeError(missing, 99, 10, { op: 'GetSnapshot', ...loc })).toBe(missing);
  });

  it('the video end counts the start offset: StartTime + Duration from videoinfo', () => {
    expect(mediaEnd({ Format: { StartTime: '0.500000', Duration: '3.200000' }, Stream: { Video: { Duration: '3.1' } } })).toBeCloseTo(3.7, 9);
    expect(mediaEnd({ Format: { Duration: '10.000000' } })).toBe(10);
    expect(mediaEnd({ Format: {}, Stream: { Video: [{ Duration: '4.0', StartTime: '1.0' }] } })).toBe(5);
    expect(mediaEnd({ Format: {} })).toBeNull();
  });
});
