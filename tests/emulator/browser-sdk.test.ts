/**
 * The admin uploader's path: cos-js-sdk-v5 (the browser SDK) doing a multipart upload with a
 * getAuthorization callback. The SDK's transport is replaced (its documented `Request`
 * option) by one that behaves like a browser's XMLHttpRequest under CORS: forbidden headers
 * are not sent, a preflight must allow the request, and only safelisted or exposed response
 * headers are visible — so a missing `Access-Control-Expose-Headers: ETag` would fail here.
 */
import { randomBytes } from 'node:crypto';
import BrowserCOS from 'cos-js-sdk-v5';
import { adminCorsRule } from '../../dev/app-kit/cors-rule';
import type { RunningEmulator } from '../../dev/emulator';
import { B, BUCKET, EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, emulator, ipClient, REGION, tempDir } from './helpers';

const ORIGIN = 'http://127.0.0.1:1337';
const FORBIDDEN = new Set(['content-length', 'user-agent', 'origin', 'host']);
const SAFELISTED = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);

interface XhrResult {
  error: unknown;
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string>;
  body: unknown;
}
interface SdkRequestOptions {
  method?: string;
  url: string;
  qs?: Record<string, string>;
  headers?: Record<string, string>;
  body?: BodyInit;
  dataType?: string;
}

function browserLikeRequest(opt: SdkRequestOptions, callback: (r: XhrResult) => void) {
  const method = (opt.method ?? 'GET').toUpperCase();
  const qs = Object.entries(opt.qs ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v ?? '')}`)
    .join('&');
  const url = qs ? opt.url + (opt.url.includes('?') ? '&' : '?') + qs : opt.url;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opt.headers ?? {})) if (!FORBIDDEN.has(k.toLowerCase())) headers[k] = String(v);
  const fail = (error: string) => callback({ error: new Error(error), statusCode: 0, statusMessage: '', headers: {}, body: undefined });

  (async () => {
    const pre = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': Object.keys(headers).join(',').toLowerCase() },
    });
    const allowedHeaders = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    if (
      pre.headers.get('access-control-allow-origin') !== ORIGIN ||
      !(pre.headers.get('access-control-allow-methods') ?? '').includes(method) ||
      Object.keys(headers).some((h) => !allowedHeaders.includes(h.toLowerCase()) && !allowedHeaders.includes('*'))
    ) {
      return fail('CORS blocked (preflight)');
    }
    const res = await fetch(url, { method, headers: { ...headers, Origin: ORIGIN }, body: opt.body });
    if (res.headers.get('access-control-allow-origin') !== ORIGIN) return fail('CORS blocked');
    const exposed = new Set((res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/));
    const visible: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (SAFELISTED.has(k) || exposed.has(k)) visible[k] = v;
    });
    const body = opt.dataType === 'blob' ? await res.blob() : opt.dataType === 'arraybuffer' ? await res.arrayBuffer() : await res.text();
    callback({ error: null, statusCode: res.status, statusMessage: res.statusText, headers: visible, body });
  })().catch((e) => fail(String(e)));
  return { abort() {} };
}

describe('cos-js-sdk-v5 (browser SDK) against the emulator', () => {
  const tmp = tempDir('browser-sdk');
  let emu: RunningEmulator;
  let signed: Array<{ Method: string; Pathname: string }>;
  let restore: Array<() => void>;

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    // the rule the README asks administrators to add (a new bucket has none)
    await ipClient(emu).putBucketCors({ ...B, CORSRules: [adminCorsRule(ORIGIN)] } as never);
    // the browser SDK warns that it runs in Node; its behaviour is the same
    restore = [jest.spyOn(console, 'warn').mockImplementation(() => undefined), jest.spyOn(console, 'log').mockImplementation(() => undefined)].map(
      (s) => () => s.mockRestore(),
    );
  });
  afterAll(async () => {
    restore.forEach((r) => r());
    await emu.close();
    tmp.cleanup();
  });

  function browserClient(): BrowserCOS {
    signed = [];
    return new BrowserCOS({
      Domain: `127.0.0.1:${emu.port}`,
      Protocol: 'http:',
      Request: browserLikeRequest,
      // what the plugin's /cos-video/uploads/sign endpoint does on the server
      getAuthorization: (o: { Method: string; Pathname: string; Query: object; Headers: object }, cb: (a: { Authorization: string }) => void) => {
        signed.push({ Method: o.Method, Pathname: o.Pathname });
        cb({
          Authorization: BrowserCOS.getAuthorization({
            SecretId: EMULATOR_SECRET_ID,
            SecretKey: EMULATOR_SECRET_KEY,
            Method: o.Method,
            Pathname: o.Pathname,
            Query: o.Query,
            Headers: o.Headers,
          } as never),
        });
      },
    } as never);
  }

  test('sliceUploadFile of a several-chunk File completes and the object matches byte for byte', async () => {
    const cos = browserClient();
    const content = randomBytes(3 * 1024 * 1024 + 777);
    const file = new File([content], 'clip.mp4', { type: 'video/mp4' });
    const data = await new Promise<{ ETag: string }>((resolve, reject) =>
      cos.sliceUploadFile({ Bucket: BUCKET, Region: REGION, Key: 'videos/clip.mp4', Body: file, ChunkSize: 1024 * 1024 } as never, (err, d) =>
        err ? reject(err) : resolve(d as never),
      ),
    );
    expect(data.ETag).toMatch(/-4"$/);
    const got = await ipClient(emu).getObject({ ...B, Key: 'videos/clip.mp4' });
    expect(Buffer.compare(got.Body as Buffer, content)).toBe(0);
    expect(got.headers?.['content-type']).toBe('video/mp4');
    const parts = emu.requests().filter((r) => r.method === 'PUT' && r.query.partNumber);
    expect(parts).toHaveLength(4);
    expect(signed.every((s) => s.Pathname === '/videos/clip.mp4' || s.Pathname === '/')).toBe(true);
  });

  test('a simple putObject from the browser SDK works too', async () => {
    const cos = browserClient();
    await new Promise((resolve, reject) =>
      cos.putObject({ Bucket: BUCKET, Region: REGION, Key: 'small.txt', Body: new Blob(['hello']) } as never, (err, d) => (err ? reject(err) : resolve(d))),
    );
    expect((await ipClient(emu).getObject({ ...B, Key: 'small.txt' })).Body.toString()).toBe('hello');
  });

  describe('a CORS rule that does not expose ETag (a common console mistake)', () => {
    beforeAll(async () => {
      const { ExposeHeaders, ...rule } = adminCorsRule(ORIGIN);
      await ipClient(emu).putBucketCors({ ...B, CORSRules: [{ ...rule, ExposeHeaders: ExposeHeaders.filter((h) => h !== 'ETag') }] } as never);
    });
    afterAll(async () => {
      await ipClient(emu).putBucketCors({ ...B, CORSRules: [adminCorsRule(ORIGIN)] } as never);
    });

    test('sliceUploadFile fails with the SDK\'s "get ETag error" (a plain string), the object is not completed', async () => {
      const cos = browserClient();
      const file = new File([randomBytes(2 * 1024 * 1024 + 5)], 'hidden.mp4', { type: 'video/mp4' });
      const err = await new Promise<unknown>((resolve) =>
        cos.sliceUploadFile({ Bucket: BUCKET, Region: REGION, Key: 'videos/hidden.mp4', Body: file, ChunkSize: 1024 * 1024 } as never, (e) => resolve(e)),
      );
      expect(typeof err).toBe('string');
      expect(err).toMatch(/^get ETag error, please add "ETag" to CORS ExposeHeader setting/);
      const head = await ipClient(emu).headObject({ ...B, Key: 'videos/hidden.mp4' }).catch((e) => e);
      expect(head.statusCode).toBe(404);
    });

    test('a simple putObject succeeds but answers an empty ETag', async () => {
      const cos = browserClient();
      const data = await new Promise<{ ETag: string }>((resolve, reject) =>
        cos.putObject({ Bucket: BUCKET, Region: REGION, Key: 'hidden.txt', Body: new Blob(['hello']) } as never, (err, d) => (err ? reject(err) : resolve(d as never))),
      );
      expect(data.ETag).toBe('');
    });
  });
});
