import COS from 'cos-nodejs-sdk-v5';
import BrowserCOS from 'cos-js-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import {
  B,
  BUCKET,
  domainClient,
  EMULATOR_SECRET_ID,
  EMULATOR_SECRET_KEY,
  emulator,
  failure,
  ipClient,
  REGION,
  tempDir,
} from './helpers';

const now = () => Math.floor(Date.now() / 1000);

async function xmlError(res: Response): Promise<{ code: string; message: string; requestId: string }> {
  const text = await res.text();
  const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1] ?? '';
  expect(res.headers.get('content-type')).toBe('application/xml');
  return { code: pick('Code'), message: pick('Message'), requestId: pick('RequestId') };
}

describe('signature verification', () => {
  const tmp = tempDir('auth');
  let emu: RunningEmulator;
  let cos: COS;

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    await cos.putObject({ ...B, Key: 'doc.txt', Body: 'secret text' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('a wrong SecretKey is 403 SignatureDoesNotMatch', async () => {
    const bad = ipClient(emu, { SecretKey: 'not-the-secret' });
    const e = await failure(bad.getObject({ ...B, Key: 'doc.txt' }));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(e.error?.RequestId).toBeTruthy();
  });

  test('an unknown SecretId is 403 InvalidAccessKeyId', async () => {
    const bad = ipClient(emu, { SecretId: 'AKIDSOMEONEELSE' });
    const e = await failure(bad.getObject({ ...B, Key: 'doc.txt' }));
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('InvalidAccessKeyId');
  });

  test('an expired sign time is 403 AccessDenied "Request has expired"', async () => {
    const auth = COS.getAuthorization({
      SecretId: EMULATOR_SECRET_ID,
      SecretKey: EMULATOR_SECRET_KEY,
      Method: 'GET',
      Key: 'doc.txt',
      KeyTime: `${now() - 3600};${now() - 60}`,
      Headers: { Host: `127.0.0.1:${emu.port}` },
    } as never);
    const res = await fetch(`${emu.url}/doc.txt?${auth}`);
    expect(res.status).toBe(403);
    expect(await xmlError(res)).toMatchObject({ code: 'AccessDenied', message: 'Request has expired' });
  });

  test('a sign time that has not started yet is refused too', async () => {
    const auth = COS.getAuthorization({
      SecretId: EMULATOR_SECRET_ID,
      SecretKey: EMULATOR_SECRET_KEY,
      Method: 'GET',
      Key: 'doc.txt',
      KeyTime: `${now() + 600};${now() + 1200}`,
      Headers: { Host: `127.0.0.1:${emu.port}` },
    } as never);
    const res = await fetch(`${emu.url}/doc.txt?${auth}`);
    expect(res.status).toBe(403);
    expect((await xmlError(res)).code).toBe('AccessDenied');
  });

  test('"Request has expired" plus the Date header let the SDK correct a skewed clock (CorrectClockSkew)', async () => {
    const skewed = ipClient(emu, { SystemClockOffset: -7200 * 1000, CorrectClockSkew: true } as never);
    emu.resetRequests();
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined); // "Local time is too skewed."
    const res = await skewed.getObject({ ...B, Key: 'doc.txt' }).finally(() => quiet.mockRestore());
    expect(res.statusCode).toBe(200);
    expect(emu.requests().map((r) => r.status)).toEqual([403, 200]);
  });

  test('unsigned requests to a private bucket are 403 AccessDenied', async () => {
    const res = await fetch(`${emu.url}/doc.txt`);
    expect(res.status).toBe(403);
    expect(await xmlError(res)).toMatchObject({ code: 'AccessDenied' });
  });

  test('presigned GET URLs (Domain = bare 127.0.0.1:P) work and expose the body', async () => {
    const url = domainClient(emu).getObjectUrl({ ...B, Key: 'doc.txt', Sign: true, Expires: 60 }, () => undefined);
    expect(url.startsWith(`http://127.0.0.1:${emu.port}/doc.txt?q-sign-algorithm=sha1`)).toBe(true);
    emu.resetRequests();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('secret text');
    // the log shows the operation, not the signature fields
    expect(emu.requests().map((r) => [r.method, r.key, r.query])).toEqual([['GET', 'doc.txt', {}]]);
  });

  test('the asynchronous getObjectUrl form (q-url-param-list encoded again) is accepted', async () => {
    const url = await new Promise<string>((resolve, reject) =>
      domainClient(emu).getObjectUrl({ ...B, Key: 'doc.txt', Sign: true, Query: { 'response-content-type': 'text/plain' } }, (err, data) =>
        err ? reject(err) : resolve(data.Url),
      ),
    );
    expect(url).toContain('q-url-param-list=response-content-type');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
  });

  test('changing a signed query parameter of a presigned URL breaks the signature', async () => {
    const url = domainClient(emu).getObjectUrl(
      { ...B, Key: 'doc.txt', Sign: true, Query: { 'response-content-type': 'text/plain' } },
      () => undefined,
    );
    const tampered = url.replace('response-content-type=text%2Fplain', 'response-content-type=text%2Fhtml');
    expect(tampered).not.toBe(url);
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect((await xmlError(res)).code).toBe('SignatureDoesNotMatch');
  });

  test('a URL signed for one key does not open another', async () => {
    await cos.putObject({ ...B, Key: 'other.txt', Body: 'other' });
    const url = domainClient(emu).getObjectUrl({ ...B, Key: 'doc.txt', Sign: true }, () => undefined);
    const res = await fetch(url.replace('/doc.txt?', '/other.txt?'));
    expect(res.status).toBe(403);
    expect((await xmlError(res)).code).toBe('SignatureDoesNotMatch');
  });

  test('a URL signed for the virtual host does not work on the bare host (Host is signed)', async () => {
    // getObjectUrl without Domain signs {bucket}.cos.{region}.myqcloud.com
    const url = ipClient(emu).getObjectUrl({ ...B, Key: 'doc.txt', Sign: true }, () => undefined);
    const res = await fetch(url.replace(/^https?:\/\/[^/]+/, emu.url));
    expect(res.status).toBe(403);
    expect((await xmlError(res)).code).toBe('SignatureDoesNotMatch');
  });

  test('the browser SDK (cos-js-sdk-v5) signatures are accepted: static getAuthorization and getObjectUrl', async () => {
    const auth = BrowserCOS.getAuthorization({
      SecretId: EMULATOR_SECRET_ID,
      SecretKey: EMULATOR_SECRET_KEY,
      Method: 'GET',
      Key: 'doc.txt',
      Query: { 'response-cache-control': 'no-cache' },
      Headers: { Host: `127.0.0.1:${emu.port}`, Range: 'bytes=0-5' },
    } as never);
    const res = await fetch(`${emu.url}/doc.txt?response-cache-control=no-cache`, {
      headers: { Authorization: auth, Range: 'bytes=0-5' },
    });
    expect(res.status).toBe(206);
    expect(await res.text()).toBe('secret');

    // the browser SDK warns about Node on construction; signing itself is environment-free
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const browser = new BrowserCOS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${emu.port}`, Protocol: 'http:' });
    warn.mockRestore();
    log.mockRestore();
    const url = browser.getObjectUrl({ Bucket: BUCKET, Region: REGION, Key: 'doc.txt', Sign: true }, () => undefined);
    const viaUrl = await fetch(url);
    expect(viaUrl.status).toBe(200);
    expect(await viaUrl.text()).toBe('secret text');
  });

  test('a getAuthorization callback (server-side signing, as the admin uploader does) is accepted', async () => {
    const signer = new COS({
      Domain: `127.0.0.1:${emu.port}`,
      Protocol: 'http:',
      getAuthorization: (opts, callback) => {
        callback({
          Authorization: COS.getAuthorization({
            SecretId: EMULATOR_SECRET_ID,
            SecretKey: EMULATOR_SECRET_KEY,
            Method: opts.Method,
            Pathname: opts.Pathname,
            Query: opts.Query,
            Headers: opts.Headers,
          } as never),
        } as never);
      },
    });
    const res = await signer.putObject({ ...B, Key: 'signed-by-callback.txt', Body: 'cb' });
    expect(res.statusCode).toBe(200);
    expect((await cos.getObject({ ...B, Key: 'signed-by-callback.txt' })).Body.toString()).toBe('cb');
  });
});

describe('STS-style security token', () => {
  const tmp = tempDir('auth-token');
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await emulator(tmp.dir, { securityToken: 'session-token-123' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('requests carrying the configured x-cos-security-token succeed', async () => {
    const cos = ipClient(emu, { SecurityToken: 'session-token-123' });
    expect((await cos.putObject({ ...B, Key: 't.txt', Body: 'ok' })).statusCode).toBe(200);
    const url = domainClient(emu, { SecurityToken: 'session-token-123' }).getObjectUrl({ ...B, Key: 't.txt', Sign: true }, () => undefined);
    expect(url).toContain('x-cos-security-token=session-token-123');
    expect((await fetch(url)).status).toBe(200);
  });

  test('a missing or wrong token is 403 InvalidAccessKeyId', async () => {
    const none = await failure(ipClient(emu).headObject({ ...B, Key: 't.txt' }));
    expect(none.statusCode).toBe(403);
    const wrong = await failure(ipClient(emu, { SecurityToken: 'stale' }).getObject({ ...B, Key: 't.txt' }));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.code).toBe('InvalidAccessKeyId');
  });
});

describe('public-read buckets', () => {
  const tmp = tempDir('auth-public');
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await emulator(tmp.dir, { publicRead: [BUCKET] });
    await ipClient(emu).putObject({ ...B, Key: 'pub.txt', Body: 'public' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('allow unsigned GET but not unsigned writes', async () => {
    const get = await fetch(`${emu.url}/pub.txt`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('public');
    const put = await fetch(`${emu.url}/pub.txt`, { method: 'PUT', body: 'overwritten' });
    expect(put.status).toBe(403);
    expect((await fetch(`${emu.url}/pub.txt`).then((r) => r.text()))).toBe('public');
  });

  test('still check signatures that are present', async () => {
    const e = await failure(ipClient(emu, { SecretKey: 'wrong' }).getObject({ ...B, Key: 'pub.txt' }));
    expect(e.code).toBe('SignatureDoesNotMatch');
  });
});
