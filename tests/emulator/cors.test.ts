/** What browser code (cos-js-sdk-v5 in the admin, <video>/<img> with signed URLs) needs. */
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { B, domainClient, emulator, ipClient, tempDir } from './helpers';

const ORIGIN = 'http://127.0.0.1:1337';

describe('CORS', () => {
  const tmp = tempDir('cors');
  let emu: RunningEmulator;
  let cos: COS;

  beforeAll(async () => {
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    await cos.putObject({ ...B, Key: 'v.mp4', Body: Buffer.alloc(1000, 7), ContentType: 'video/mp4' });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('preflight for a multipart part upload allows the method and the requested headers', async () => {
    const res = await fetch(`${emu.url}/videos/new.mp4?partNumber=1&uploadId=x`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization,content-type,x-cos-security-token',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-cos-security-token');
    expect(emu.requests().some((r) => r.method === 'OPTIONS')).toBe(false);
  });

  test('preflight answers the private-network question Chromium may ask', async () => {
    const res = await fetch(`${emu.url}/x`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(res.headers.get('access-control-allow-private-network')).toBe('true');
  });

  test('responses expose ETag (read by the browser SDK after each part) and range headers', async () => {
    const url = domainClient(emu).getObjectUrl({ ...B, Key: 'v.mp4', Sign: true }, () => undefined);
    const res = await fetch(url, { headers: { Origin: ORIGIN, Range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'Content-Range', 'Content-Length', 'x-cos-request-id']));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('video/mp4');
  });

  test('error answers carry CORS headers too, so the browser can read the COS error', async () => {
    const res = await fetch(`${emu.url}/v.mp4`, { headers: { Origin: ORIGIN } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  test('requests without Origin get no CORS headers', async () => {
    const res = await fetch(`${emu.url}/v.mp4`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('GET Bucket CORS describes the allow-all rule the emulator applies (for health checks)', async () => {
    const res = await cos.getBucketCors({ ...B });
    expect(res.CORSRules).toHaveLength(1);
    expect(res.CORSRules[0]).toMatchObject({ AllowedOrigins: ['*'], AllowedHeaders: ['*'] });
    expect(res.CORSRules[0].AllowedMethods).toEqual(expect.arrayContaining(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']));
    expect(res.CORSRules[0].ExposeHeaders).toContain('ETag');
  });

  test('GET Bucket location answers the region; unsupported bucket sub-resources are 501, not a listing', async () => {
    const loc = await cos.getBucketLocation({ ...B });
    expect(loc.LocationConstraint).toBe('ap-guangzhou');
    const e = await cos.getBucketAcl({ ...B }).catch((err) => err);
    expect(e.statusCode).toBe(501);
    expect(e.code).toBe('NotImplemented');
    expect((await cos.headBucket({ ...B })).statusCode).toBe(200);
  });
});
