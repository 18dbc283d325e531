import configModule from '../../server/src/config';
import { CONFIG_DEFAULTS } from '../../server/src/config/defaults';
import { getPluginConfig } from '../../server/src/config/read';
import { validateConfig } from '../../server/src/config/validate';

const base = { secretId: 'AKIDTEST', secretKey: 'top-secret-key-value', bucket: 'media-1250000000', region: 'ap-guangzhou' };

/** What Strapi does at boot: defaultsDeep(default, user) then validator(). */
function boot(user: Record<string, unknown>): void {
  const merged = { ...structuredClone(CONFIG_DEFAULTS), ...user };
  configModule.validator(merged);
}

function errorOf(user: unknown): string {
  const r = validateConfig(user);
  if (r.ok) throw new Error('expected the config to be rejected');
  return r.errors.map((e) => e.message).join('\n');
}

describe('plugin config validator', () => {
  it('orphanUploadDays: whole days, 0 or false turn cleanup off, anything else is named with what is allowed', () => {
    const days = (v: unknown) => {
      const r = validateConfig({ ...base, orphanUploadDays: v });
      return r.ok ? r.value.orphanUploadDays : undefined;
    };
    expect(days(30)).toBe(30);
    expect(days(0)).toBe(0);
    expect(days(false)).toBe(0);
    for (const bad of [-1, 1.5, 3651, '7', true]) {
      const msg = errorOf({ ...base, orphanUploadDays: bad });
      expect(msg).toContain('orphanUploadDays');
      expect(msg).toContain('from 0 to 3650');
    }
  });

  it('accepts the minimal config and fills every default the README documents', () => {
    const r = validateConfig(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      ...base,
      buckets: [],
      protocol: 'https:',
      signUrls: false,
      signedUrlTtl: 900,
      thumbnailPrefix: 'thumbnails/',
      uploadPrefix: 'videos/',
      browsePrefixes: [],
      maxUploadSize: 5 * 1024 ** 3,
      snapshot: { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' },
      saveWaitMs: 5000,
      maxVideosPerSave: 100,
      saveConcurrency: 4,
      videoRecheckMs: 60000,
      requestTimeoutMs: 15000,
      orphanUploadDays: 7,
      worker: { enabled: true, concurrency: 2, pollIntervalMs: 1000, leaseMs: 60000, maxAttempts: 8, backoffBaseMs: 1000, backoffMaxMs: 300000, retryForMs: 21600000 },
      thumbnailFormats: { sizes: { small: 320, medium: 640, large: 1280 }, types: ['original', 'webp'], quality: 80 },
    });
  });

  it('passes a full custom config through, merging partial snapshot/worker objects over the defaults', () => {
    const provider = async () => ({ secretId: 'a', secretKey: 'b' });
    const r = validateConfig({
      ...base,
      securityToken: 'tok',
      credentials: provider,
      buckets: [{ bucket: 'other-1250000000', region: 'ap-shanghai' }],
      domain: '127.0.0.1:9000',
      protocol: 'http',
      publicBaseUrl: 'https://cdn.example.com/',
      signUrls: true,
      signedUrlTtl: 60,
      thumbnailPrefix: '',
      uploadPrefix: 'uploads/videos/',
      browsePrefixes: ['videos/', 'archive/'],
      maxUploadSize: 1024,
      snapshot: { time: '0:02.5', format: 'png' },
      saveWaitMs: 0,
      maxVideosPerSave: 500,
      saveConcurrency: 8,
      requestTimeoutMs: 2000,
      worker: { concurrency: 4, enabled: false },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.protocol).toBe('http:');
    expect([r.value.maxVideosPerSave, r.value.saveConcurrency]).toEqual([500, 8]);
    expect(r.value.publicBaseUrl).toBe('https://cdn.example.com');
    expect(r.value.credentials).toBe(provider);
    expect(r.value.snapshot).toEqual({ time: 2.5, width: 0, height: 0, format: 'png', rotate: 'auto', mode: 'exactframe' });
    expect(r.value.worker).toEqual({ ...CONFIG_DEFAULTS.worker, concurrency: 4, enabled: false });
    expect(r.value.domain).toBe('127.0.0.1:9000');
    expect(r.value.buckets).toEqual([{ bucket: 'other-1250000000', region: 'ap-shanghai' }]);
  });

  it('accepts a credentials provider instead of static keys', () => {
    const r = validateConfig({ bucket: base.bucket, region: base.region, credentials: async () => ({ secretId: 'x', secretKey: 'y' }) });
    expect(r.ok).toBe(true);
  });

  it.each([
    ['secretId', { secretId: undefined }, /secretId is required: got nothing; allowed: .*credentials/],
    ['bucket without APPID', { bucket: 'media' }, /bucket is not valid: got "media"; allowed: .*"media-1250000000"/],
    ['region', { region: 'Guangzhou' }, /region is not valid: got "Guangzhou"; allowed: .*"ap-guangzhou"/],
    ['protocol', { protocol: 'ftp:' }, /protocol is not supported: got "ftp:"; allowed: "http:" or "https:"/],
    ['domain with scheme', { domain: 'https://cdn.example.com' }, /domain is not valid: got "https:\/\/cdn.example.com"; allowed: .*without scheme/],
    ['publicBaseUrl', { publicBaseUrl: 'cdn.example.com' }, /publicBaseUrl is not a valid URL: got "cdn.example.com"/],
    ['signUrls', { signUrls: 'yes' }, /signUrls must be a boolean: got "yes"; allowed: true or false/],
    ['signedUrlTtl negative', { signedUrlTtl: -5 }, /signedUrlTtl is out of range: got -5; allowed: an integer number of seconds from 1 to 604800/],
    ['signedUrlTtl fraction', { signedUrlTtl: 1.5 }, /signedUrlTtl must be an integer: got 1.5/],
    ['maxUploadSize', { maxUploadSize: 0 }, /maxUploadSize is out of range: got 0; allowed: an integer number of bytes/],
    ['uploadPrefix', { uploadPrefix: '/videos/' }, /uploadPrefix is not a valid key prefix: got "\/videos\/"; allowed: .*no leading "\/"/],
    ['thumbnailPrefix dotdot', { thumbnailPrefix: 'a/../b/' }, /thumbnailPrefix is not a valid key prefix: got "a\/..\/b\/"/],
    ['browsePrefixes item', { browsePrefixes: ['ok/', 7] }, /browsePrefixes\.1 must be a string: got 7/],
    ['buckets item', { buckets: [{ bucket: 'x-1', region: 'nowhere' }] }, /buckets\.0\.region is not valid: got "nowhere"/],
    ['snapshot.format', { snapshot: { format: 'gif' } }, /snapshot\.format is not a supported value: got "gif"; allowed: "jpg" or "png"/],
    ['snapshot.width', { snapshot: { width: 5000 } }, /snapshot\.width is out of range: got 5000; allowed: an integer from 0 to 4096/],
    ['snapshot.time', { snapshot: { time: -1 } }, /snapshot\.time must not be negative: got -1/],
    ['saveWaitMs', { saveWaitMs: 'soon' }, /saveWaitMs must be a number: got "soon"/],
    ['maxVideosPerSave', { maxVideosPerSave: 0 }, /maxVideosPerSave is out of range: got 0; allowed: an integer number of COS video values from 1 to 10000/],
    ['saveConcurrency', { saveConcurrency: 100 }, /saveConcurrency is out of range: got 100; allowed: an integer number of COS calls from 1 to 64/],
    ['videoRecheckMs', { videoRecheckMs: -1 }, /videoRecheckMs is out of range: got -1; allowed: an integer number of milliseconds from 0 to 86400000/],
    ['videoRecheckMs not an integer', { videoRecheckMs: 1.5 }, /videoRecheckMs must be an integer: got 1.5; allowed: an integer number of milliseconds from 0 to 86400000/],
    ['requestTimeoutMs', { requestTimeoutMs: 5 }, /requestTimeoutMs is out of range: got 5; allowed: an integer number of milliseconds from 100 to 600000/],
    ['worker.concurrency', { worker: { concurrency: 0 } }, /worker\.concurrency is out of range: got 0; allowed: an integer number of jobs from 1 to 64/],
    ['worker.retryForMs negative', { worker: { retryForMs: -1 } }, /worker\.retryForMs is out of range: got -1; allowed: an integer number of milliseconds from 0 to 2592000000/],
    ['worker.backoffMaxMs below base', { worker: { backoffBaseMs: 5000, backoffMaxMs: 10 } }, /worker\.backoffMaxMs is smaller than worker\.backoffBaseMs: got 10; allowed: at least 5000/],
    ['worker unknown key', { worker: { threads: 3 } }, /worker\.threads is not a known option: got 3; allowed: enabled, concurrency/],
    ['typo in a top-level key', { signUrl: true }, /signUrl is not a known option: got true; allowed: secretId, secretKey/],
    ['credentials not a function', { credentials: 'env' }, /credentials must be a function: got "env"/],
  ])('rejects a bad %s, naming the key, the value and what is allowed', (_label, patch, expected) => {
    expect(errorOf({ ...base, ...patch })).toMatch(expected);
  });

  it('reports every problem at once', () => {
    const message = errorOf({ ...base, bucket: 'x', signedUrlTtl: 0, snapshot: { mode: 'fast' } });
    expect(message.split('\n')).toHaveLength(3);
  });

  it('never echoes the secret key or security token in an error', () => {
    const message = errorOf({ ...base, secretKey: 'has spaces in the secret', securityToken: 42 });
    expect(message).toMatch(/secretKey must not contain spaces: got "\(hidden string of 24 characters\)"/);
    expect(message).toMatch(/securityToken must be a string: got "\(hidden number\)"/);
    expect(message).not.toContain('has spaces in the secret');
    expect(message).not.toContain('42');
  });

  it('the Strapi validator throws a boot error listing the bad keys', () => {
    expect(() => boot({ ...base })).not.toThrow();
    expect(() => boot({ ...base, region: 'x', maxUploadSize: -1 })).toThrow(
      /invalid plugin config \(config\/plugins → 'cos-video'\.config\):\n {2}- region is not valid: got "x".*\n {2}- maxUploadSize is out of range: got -1/s,
    );
    expect(() => boot({ region: base.region })).toThrow(/bucket must be a non-empty string: got nothing/);
  });

  it('getPluginConfig reads the plugin config from Strapi, validated and defaulted, and rejects a broken one', () => {
    let raw: unknown = { ...base, signUrls: true };
    const strapi = { config: { get: (path: string) => (path === 'plugin::cos-video' ? raw : undefined) } };
    const cfg = getPluginConfig(strapi as never);
    expect(cfg.signUrls).toBe(true);
    expect(cfg.uploadPrefix).toBe('videos/');
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(getPluginConfig(strapi as never)).toBe(cfg);
    raw = { ...base, protocol: 'gopher:' };
    expect(() => getPluginConfig(strapi as never)).toThrow(/protocol is not supported: got "gopher:"/);
  });
});
