/**
 * Health check "Readers can open thumbnails and videos" against a real Strapi and the real COS
 * emulator: the URLs API responses carry are fetched as an anonymous reader would, so a private
 * bucket without signUrls or a CDN fails the check with its fix instead of showing a green page
 * above broken images.
 */
import fs from 'node:fs';
import path from 'node:path';
import COS from 'cos-nodejs-sdk-v5';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator, type RunningEmulator } from '../../dev/emulator';
import { BUCKET, CLIP_UID, REGION, VIDEO, setupAdminApi, type AdminApiEnv } from './admin-api-setup';

interface Check {
  id: string;
  ok: boolean;
  message: string;
  fix?: string;
}

const PROBE_KEY = 'thumbnails/.cos-video-health-probe/reader-probe.txt';

let env: AdminApiEnv;

beforeAll(async () => {
  env = await setupAdminApi('health-readers');
});

afterAll(async () => {
  await env?.close();
});

async function readersCheck(): Promise<Check> {
  const r = await env.api('GET', '/health');
  expect(r.status).toBe(200);
  const check = (r.json.checks as Check[]).find((c) => c.id === 'readers');
  expect(check).toBeDefined();
  return check!;
}

function withConfig<T>(patch: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const raw = env.strapi.config.get('plugin::cos-video') as Record<string, unknown>;
  env.strapi.config.set('plugin::cos-video', { ...raw, ...patch });
  return fn().finally(() => env.strapi.config.set('plugin::cos-video', raw));
}

describe('readers check', () => {
  it('private bucket, unsigned URLs: fails, names what answered 403 and gives the three fixes', async () => {
    const check = await readersCheck();
    expect(check.ok).toBe(false);
    // No thumbnail exists yet: the check wrote its own probe under thumbnailPrefix and opened it.
    expect(check.message).toContain(`thumbnail ${PROBE_KEY} at http://127.0.0.1:${env.emulator.port}/${PROBE_KEY} answered HTTP 403`);
    expect(check.message).toContain(`video ${VIDEO.key} at http://127.0.0.1:${env.emulator.port}/${VIDEO.key} answered HTTP 403`);
    expect(check.fix).toContain(`Bucket ${BUCKET} is private`);
    expect(check.fix).toContain('make "thumbnails/" and "videos/" public-read');
    expect(check.fix).toContain('--public-read <bucket>');
    expect(check.fix).toContain('set publicBaseUrl');
    expect(check.fix).toContain('signUrls: true');
    const head = await env.sdk.headObject({ Bucket: BUCKET, Region: REGION, Key: PROBE_KEY });
    expect(head.statusCode).toBe(200);
  });

  it('signUrls: true: passes, because responses carry signed URLs that open', async () => {
    const check = await withConfig({ signUrls: true }, readersCheck);
    expect(check).toMatchObject({ ok: true, message: `Anonymous readers can open the thumbnail ${PROBE_KEY} and the video ${VIDEO.key}.` });
    expect(check.fix).toBeUndefined();
  });

  it("opens an entry's real thumbnail rather than its own probe once one exists", async () => {
    const res = await fetch(`${env.url}/content-manager/collection-types/${CLIP_UID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.superToken}` },
      body: JSON.stringify({ title: 'reader', video: { key: VIDEO.key, snapshot: { time: 1 } } }),
    });
    const created = (await res.json()) as { data: { video: { status: string; thumbnail: { key: string } } } };
    expect(created.data.video.status).toBe('ready');
    const thumbnailKey = created.data.video.thumbnail.key;
    expect(thumbnailKey.startsWith('thumbnails/')).toBe(true);

    const failing = await readersCheck();
    expect(failing.ok).toBe(false);
    expect(failing.message).toContain(`thumbnail ${thumbnailKey} at`);
    expect(failing.message).not.toContain(PROBE_KEY);

    const passing = await withConfig({ signUrls: true }, readersCheck);
    expect(passing).toMatchObject({ ok: true, message: `Anonymous readers can open the thumbnail ${thumbnailKey} and the video ${VIDEO.key}.` });
  });

  describe('a public-read bucket (emulator --public-read)', () => {
    let pub: RunningEmulator;
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(path.dirname(env.videoFile), 'public-'));
      pub = await startEmulator({ dataDir: path.join(dir, 'cos'), buckets: [BUCKET], publicRead: [BUCKET] });
      const sdk = new COS({ SecretId: EMULATOR_SECRET_ID, SecretKey: EMULATOR_SECRET_KEY, Domain: `127.0.0.1:${pub.port}`, Protocol: 'http:' });
      await sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: VIDEO.key, Body: env.videoBytes, ContentType: 'video/mp4' });
    });

    afterAll(async () => {
      await pub?.close();
    });

    it('passes with unsigned URLs', async () => {
      const check = await withConfig({ domain: `127.0.0.1:${pub.port}`, buckets: [] }, readersCheck);
      expect(check).toMatchObject({ ok: true, message: `Anonymous readers can open the thumbnail ${PROBE_KEY} and the video ${VIDEO.key}.` });
    });

    it('a CDN publicBaseUrl that refuses readers fails with the CDN fix', async () => {
      // The CDN address is the private emulator: what a CDN without origin-pull access would answer.
      const cdn = `http://127.0.0.1:${env.emulator.port}`;
      const check = await withConfig({ domain: `127.0.0.1:${pub.port}`, buckets: [], publicBaseUrl: cdn }, readersCheck);
      expect(check.ok).toBe(false);
      expect(check.message).toContain(`at ${cdn}/`);
      expect(check.fix).toContain(`URLs come from publicBaseUrl (${cdn})`);
      expect(check.fix).toContain('signUrls: true');
    });
  });
});
