/**
 * Bucket CORS rules kept and applied as COS does: a new bucket refuses every browser until
 * PutBucketCors sets a rule; preflights and responses follow the first matching rule.
 */
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { B, BUCKET, domainClient, emulator, failure, ipClient, OTHER, REGION, tempDir } from './helpers';

const ADMIN = 'https://cms.example.com';
const UPLOAD_HEADERS = 'authorization,content-type,x-cos-security-token';

function preflight(emu: RunningEmulator, origin: string | undefined, method: string, headers?: string, path = '/videos/new.mp4?partNumber=1&uploadId=x') {
  return fetch(`${emu.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      ...(origin ? { Origin: origin } : {}),
      'Access-Control-Request-Method': method,
      ...(headers ? { 'Access-Control-Request-Headers': headers } : {}),
    },
  });
}

/** A rule the way an administrator types it into the console, with ETag forgotten. */
const CONSOLE_RULE = {
  ID: 'cms',
  AllowedOrigins: ['https://*.example.com'],
  AllowedMethods: ['PUT', 'POST', 'GET'],
  AllowedHeaders: ['authorization', 'content-type', 'x-cos-*'],
  ExposeHeaders: ['x-cos-request-id'],
  MaxAgeSeconds: '60',
};

describe('bucket CORS rules', () => {
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

  test('a new bucket has no CORS configuration and refuses every preflight with 403', async () => {
    const conf = await cos.getBucketCors({ ...B });
    expect(conf.CORSRules).toEqual([]);
    expect(conf.statusCode).toBe(404);
    const res = await preflight(emu, ADMIN, 'PUT', UPLOAD_HEADERS);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessForbidden</Code>');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    // and an actual request gets no CORS headers either, so the browser hides the answer
    const get = await fetch(`${emu.url}/v.mp4`, { headers: { Origin: ADMIN } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('PutBucketCors stores the rules; GetBucketCors returns them as written', async () => {
    await cos.putBucketCors({ ...B, CORSRules: [CONSOLE_RULE] } as never);
    const conf = await cos.getBucketCors({ ...B });
    expect(conf.CORSRules).toEqual([CONSOLE_RULE]);
    // the other bucket is untouched
    expect((await cos.getBucketCors({ Bucket: OTHER, Region: REGION })).CORSRules).toEqual([]);
  });

  test('preflight: origin wildcard, method and requested headers all have to match the rule', async () => {
    const ok = await preflight(emu, ADMIN, 'PUT', UPLOAD_HEADERS + ',x-cos-meta-title');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(ok.headers.get('access-control-allow-methods')).toBe('PUT,POST,GET');
    expect(ok.headers.get('access-control-allow-headers')).toBe(UPLOAD_HEADERS + ',x-cos-meta-title');
    expect(ok.headers.get('access-control-expose-headers')).toBe('x-cos-request-id');
    expect(ok.headers.get('access-control-max-age')).toBe('60');

    expect((await preflight(emu, 'https://example.com', 'PUT', UPLOAD_HEADERS)).status).toBe(403); // `*.` needs a subdomain
    expect((await preflight(emu, 'http://cms.example.com', 'PUT', UPLOAD_HEADERS)).status).toBe(403); // scheme differs
    expect((await preflight(emu, ADMIN, 'DELETE')).status).toBe(403); // method not listed
    expect((await preflight(emu, ADMIN, 'PUT', 'authorization,range')).status).toBe(403); // header not listed
    expect((await preflight(emu, undefined, 'PUT')).status).toBe(400);
  });

  test('responses carry Allow-Origin and the matching rule\'s Expose-Headers only (ETag hidden here)', async () => {
    const url = domainClient(emu).getObjectUrl({ ...B, Key: 'v.mp4', Sign: true }, () => undefined);
    const res = await fetch(url, { headers: { Origin: ADMIN, Range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-cos-request-id');
    const other = await fetch(url, { headers: { Origin: 'https://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // HEAD is not in the rule's methods: no CORS headers for it
    const head = await fetch(url, { method: 'HEAD', headers: { Origin: ADMIN } });
    expect(head.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('error answers carry the rule\'s CORS headers too, so the browser can read the COS error', async () => {
    const res = await fetch(`${emu.url}/v.mp4`, { headers: { Origin: ADMIN } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ADMIN);
  });

  test('the rules survive a restart (kept with the bucket)', async () => {
    await emu.close();
    emu = await emulator(tmp.dir);
    cos = ipClient(emu);
    expect((await cos.getBucketCors({ ...B })).CORSRules).toEqual([CONSOLE_RULE]);
    expect((await preflight(emu, ADMIN, 'PUT', UPLOAD_HEADERS)).status).toBe(200);
  });

  test('PutBucketCors rejects a rule COS would reject, naming the value, and keeps the old rules', async () => {
    const e = await failure(cos.putBucketCors({ ...B, CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] } as never));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('InvalidArgument');
    expect(e.message).toBe('CORSRule 1: AllowedMethod "PATCH" is not allowed; allowed: GET, PUT, POST, DELETE, HEAD.');
    const noOrigin = await failure(cos.putBucketCors({ ...B, CORSRules: [{ AllowedMethods: ['GET'] }] } as never));
    expect(noOrigin.message).toBe('CORSRule 1: AllowedOrigin is required.');
    expect((await cos.getBucketCors({ ...B })).CORSRules).toEqual([CONSOLE_RULE]);
  });

  test('the first matching rule wins', async () => {
    await cos.putBucketCors({
      ...B,
      CORSRules: [
        { AllowedOrigins: [ADMIN], AllowedMethods: ['GET'], AllowedHeaders: ['*'], ExposeHeaders: ['Content-Range'] },
        { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'] },
      ],
    } as never);
    const get = await preflight(emu, ADMIN, 'GET');
    expect(get.headers.get('access-control-expose-headers')).toBe('Content-Range');
    const put = await preflight(emu, ADMIN, 'PUT', UPLOAD_HEADERS);
    expect(put.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  test('DeleteBucketCors removes every rule: browsers are refused again, also after a restart', async () => {
    const del = await cos.deleteBucketCors({ ...B });
    expect(del.statusCode).toBe(204);
    expect((await cos.getBucketCors({ ...B })).CORSRules).toEqual([]);
    expect((await preflight(emu, ADMIN, 'GET')).status).toBe(403);
    await emu.close();
    emu = await emulator(tmp.dir, { corsAllowAll: [BUCKET] });
    cos = ipClient(emu);
    // a deleted configuration stays deleted: the allow-all seed only fills a bucket that never had one
    expect((await preflight(emu, ADMIN, 'GET')).status).toBe(403);
  });
});

describe('the allow-all seed (for tests and tools that are not about CORS)', () => {
  const tmp = tempDir('cors-seed');
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await emulator(tmp.dir, { corsAllowAll: [BUCKET] });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  test('a seeded bucket allows every method and header and exposes ETag; an unseeded one has no rule', async () => {
    const res = await preflight(emu, 'http://127.0.0.1:1', 'PUT', UPLOAD_HEADERS);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,PUT,POST,DELETE,HEAD');
    expect((res.headers.get('access-control-expose-headers') ?? '').split(',')).toEqual(
      expect.arrayContaining(['ETag', 'Content-Range', 'Content-Length', 'x-cos-request-id']),
    );
    const cos = ipClient(emu);
    expect((await cos.getBucketCors({ ...B })).CORSRules[0]).toMatchObject({ AllowedOrigins: ['*'], AllowedHeaders: ['*'] });
    expect((await cos.getBucketCors({ Bucket: OTHER, Region: REGION })).CORSRules).toEqual([]);
  });

  test('preflight answers the private-network question Chromium may ask', async () => {
    const res = await fetch(`${emu.url}/x`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Private-Network': 'true' },
    });
    expect(res.headers.get('access-control-allow-private-network')).toBe('true');
  });

  test('requests without Origin get no CORS headers', async () => {
    const res = await fetch(`${emu.url}/v.mp4`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('GET Bucket location answers the region; unsupported bucket sub-resources are 501, not a listing', async () => {
    const cos = ipClient(emu);
    const loc = await cos.getBucketLocation({ ...B });
    expect(loc.LocationConstraint).toBe('ap-guangzhou');
    const e = await cos.getBucketAcl({ ...B }).catch((err) => err);
    expect(e.statusCode).toBe(501);
    expect(e.code).toBe('NotImplemented');
    expect((await cos.headBucket({ ...B })).statusCode).toBe(200);
  });
});
