import { type FieldError, type Validated, fieldError } from '../../../common/field-error';
import { validateObjectKey } from '../../../common/object-key';
import { validateSnapshotParams } from '../../../common/snapshot-params';
import { CONFIG_DEFAULTS, CONFIG_KEYS, SECRET_KEYS } from './defaults';
import type { BucketRef, CosVideoConfig, WorkerConfig } from './types';
import { validateThumbnailFormats } from './thumbnail-formats';

type Raw = Record<string, unknown>;

const BUCKET_RE = /^[a-z0-9][a-z0-9-]*-\d+$/;
const REGION_RE = /^[a-z]+(-[a-z0-9]+)+$/;
// host[:port], optionally with the SDK's {Bucket} / {Region} / {AppId} placeholders; no scheme, no path.
const DOMAIN_RE = /^(?:[A-Za-z0-9-]+|\{[A-Za-z]+\})(?:\.(?:[A-Za-z0-9-]+|\{[A-Za-z]+\}))*(?::\d{1,5})?$/;

const ALLOWED = {
  secret: 'a non-empty string without spaces (read it from an environment variable), or a `credentials` provider',
  bucket: 'a COS bucket name including its APPID, e.g. "media-1250000000"',
  region: 'a COS region id, e.g. "ap-guangzhou"',
  domain: 'a host name with optional port and optional {Bucket}/{Region} placeholders, without scheme or path, e.g. "cdn.example.com" or "127.0.0.1:9000"',
  protocol: '"http:" or "https:"',
  publicBaseUrl: 'an absolute http(s) URL without query, e.g. "https://cdn.example.com"',
  prefix: 'a key prefix such as "videos/": no leading "/", no "." or ".." segments ("" = the whole bucket)',
};

/** Shows secrets as "(hidden)" so boot errors never leak them into logs. */
function shown(key: string, value: unknown): unknown {
  if (!SECRET_KEYS.includes(key) || value === undefined) return value;
  return typeof value === 'string' ? `(hidden string of ${value.length} characters)` : `(hidden ${typeof value})`;
}

function isPlainObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly errors: FieldError[] = [];

  fail(path: string, value: unknown, problem: string, allowed: string): undefined {
    this.errors.push(fieldError(path, shown(path.split('.').pop() ?? path, value), problem, allowed));
    return undefined;
  }

  int(path: string, v: unknown, min: number, max: number, unit: string): number | undefined {
    const allowed = `an integer ${unit} from ${min} to ${max}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(path, v, 'must be a number', allowed);
    if (!Number.isInteger(v)) return this.fail(path, v, 'must be an integer', allowed);
    if (v < min || v > max) return this.fail(path, v, 'is out of range', allowed);
    return v;
  }

  bool(path: string, v: unknown): boolean | undefined {
    return typeof v === 'boolean' ? v : this.fail(path, v, 'must be a boolean', 'true or false');
  }

  match(path: string, v: unknown, re: RegExp, allowed: string): string | undefined {
    if (typeof v !== 'string' || v === '') return this.fail(path, v, 'must be a non-empty string', allowed);
    return re.test(v) ? v : this.fail(path, v, 'is not valid', allowed);
  }

  secret(path: string, v: unknown, required: boolean): string | undefined {
    if (v === undefined || v === null || v === '') {
      return required ? this.fail(path, v, 'is required', ALLOWED.secret) : undefined;
    }
    if (typeof v !== 'string') return this.fail(path, v, 'must be a string', ALLOWED.secret);
    if (/\s/.test(v)) return this.fail(path, v, 'must not contain spaces', ALLOWED.secret);
    return v;
  }

  prefix(path: string, v: unknown): string | undefined {
    if (typeof v !== 'string') return this.fail(path, v, 'must be a string', ALLOWED.prefix);
    if (v === '') return v;
    const r = validateObjectKey(v, path);
    return r.ok ? v : this.fail(path, v, 'is not a valid key prefix', ALLOWED.prefix);
  }

  bucketRef(path: string, v: unknown): BucketRef | undefined {
    if (!isPlainObject(v)) return this.fail(path, v, 'must be an object', '{ bucket: "name-APPID", region: "ap-..." }');
    this.unknownKeys(path, v, ['bucket', 'region']);
    const bucket = this.match(`${path}.bucket`, v.bucket, BUCKET_RE, ALLOWED.bucket);
    const region = this.match(`${path}.region`, v.region, REGION_RE, ALLOWED.region);
    return bucket && region ? { bucket, region } : undefined;
  }

  unknownKeys(path: string, v: Raw, known: readonly string[]): void {
    for (const key of Object.keys(v)) {
      if (!known.includes(key)) {
        this.fail(path ? `${path}.${key}` : key, shown(key, v[key]), 'is not a known option', known.join(', '));
      }
    }
  }
}

/**
 * Validates the user's `config/plugins` → `'cos-video'.config` and fills every default.
 * Collects all problems at once so one boot shows everything that is wrong.
 */
export function validateConfig(input: unknown): Validated<CosVideoConfig> {
  const c = new Checker();
  if (!isPlainObject(input)) {
    c.fail('config', input, 'must be an object', '{ secretId, secretKey, bucket, region, ... } (see the README)');
    return { ok: false, errors: c.errors };
  }
  const raw: Raw = input;
  c.unknownKeys('', raw, CONFIG_KEYS);
  const get = <K extends keyof typeof CONFIG_DEFAULTS>(key: K): unknown => raw[key] ?? CONFIG_DEFAULTS[key];

  const credentials = raw.credentials;
  if (credentials !== undefined && typeof credentials !== 'function') {
    c.fail('credentials', credentials, 'must be a function', 'an async function returning { secretId, secretKey, securityToken?, expiresAt? }');
  }
  const hasProvider = typeof credentials === 'function';
  const secretId = c.secret('secretId', raw.secretId, !hasProvider);
  const secretKey = c.secret('secretKey', raw.secretKey, !hasProvider);
  const securityToken = c.secret('securityToken', raw.securityToken, false);

  const bucket = c.match('bucket', raw.bucket, BUCKET_RE, ALLOWED.bucket);
  const region = c.match('region', raw.region, REGION_RE, ALLOWED.region);
  const bucketsRaw = get('buckets');
  const buckets: BucketRef[] = [];
  if (!Array.isArray(bucketsRaw)) c.fail('buckets', bucketsRaw, 'must be an array', 'an array of { bucket, region }');
  else bucketsRaw.forEach((b, i) => { const r = c.bucketRef(`buckets.${i}`, b); if (r) buckets.push(r); });

  let domain: string | undefined;
  if (raw.domain !== undefined && raw.domain !== null && raw.domain !== '') {
    domain = c.match('domain', raw.domain, DOMAIN_RE, ALLOWED.domain);
  }
  let protocol = get('protocol');
  if (protocol === 'http' || protocol === 'https') protocol = `${protocol}:`;
  if (protocol !== 'http:' && protocol !== 'https:') c.fail('protocol', protocol, 'is not supported', ALLOWED.protocol);

  let publicBaseUrl: string | undefined;
  if (raw.publicBaseUrl !== undefined && raw.publicBaseUrl !== null && raw.publicBaseUrl !== '') {
    publicBaseUrl = parseBaseUrl(raw.publicBaseUrl) ?? c.fail('publicBaseUrl', raw.publicBaseUrl, 'is not a valid URL', ALLOWED.publicBaseUrl);
  }

  const browseRaw = get('browsePrefixes');
  const browsePrefixes: string[] = [];
  if (!Array.isArray(browseRaw)) c.fail('browsePrefixes', browseRaw, 'must be an array', `an array of prefixes (${ALLOWED.prefix}); [] = the whole bucket`);
  else browseRaw.forEach((p, i) => { const r = c.prefix(`browsePrefixes.${i}`, p); if (r !== undefined) browsePrefixes.push(r); });

  const snapshotRaw = get('snapshot');
  const snap = validateSnapshotParams(snapshotRaw, { path: 'snapshot', defaults: CONFIG_DEFAULTS.snapshot });
  if (!snap.ok) c.errors.push(...snap.errors);
  const formats = validateThumbnailFormats(raw.thumbnailFormats);
  c.errors.push(...formats.errors);

  const value = {
    secretId: secretId ?? '',
    secretKey: secretKey ?? '',
    ...(securityToken ? { securityToken } : {}),
    ...(hasProvider ? { credentials: credentials as CosVideoConfig['credentials'] } : {}),
    bucket: bucket ?? '',
    region: region ?? '',
    buckets,
    ...(domain ? { domain } : {}),
    protocol: protocol as CosVideoConfig['protocol'],
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    signUrls: c.bool('signUrls', get('signUrls')) ?? false,
    signedUrlTtl: c.int('signedUrlTtl', get('signedUrlTtl'), 1, 7 * 24 * 3600, 'number of seconds') ?? 0,
    thumbnailPrefix: c.prefix('thumbnailPrefix', get('thumbnailPrefix')) ?? '',
    uploadPrefix: c.prefix('uploadPrefix', get('uploadPrefix')) ?? '',
    browsePrefixes,
    maxUploadSize: c.int('maxUploadSize', get('maxUploadSize'), 1, Number.MAX_SAFE_INTEGER, 'number of bytes') ?? 0,
    snapshot: snap.ok ? snap.value : CONFIG_DEFAULTS.snapshot,
    saveWaitMs: c.int('saveWaitMs', get('saveWaitMs'), 0, 600_000, 'number of milliseconds') ?? 0,
    maxVideosPerSave: c.int('maxVideosPerSave', get('maxVideosPerSave'), 1, 10_000, 'number of COS video values') ?? 0,
    saveConcurrency: c.int('saveConcurrency', get('saveConcurrency'), 1, 64, 'number of COS calls') ?? 0,
    videoRecheckMs: c.int('videoRecheckMs', get('videoRecheckMs'), 0, 86_400_000, 'number of milliseconds') ?? 0,
    requestTimeoutMs: c.int('requestTimeoutMs', get('requestTimeoutMs'), 100, 600_000, 'number of milliseconds') ?? 0,
    orphanUploadDays: orphanDays(c, get('orphanUploadDays')),
    worker: validateWorker(c, get('worker')),
    thumbnailFormats: formats.value,
  } satisfies CosVideoConfig;

  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, value };
}

/** `false` is the spelled-out "off"; otherwise whole days, 0 also meaning off. */
function orphanDays(c: Checker, v: unknown): number {
  if (v === false) return 0;
  if (typeof v !== 'number') {
    c.fail('orphanUploadDays', v, 'must be a number or false', 'an integer number of days from 0 to 3650, or false (0 and false turn cleanup off)');
    return 0;
  }
  return c.int('orphanUploadDays', v, 0, 3650, 'number of days (0 turns cleanup off)') ?? 0;
}

function validateWorker(c: Checker, input: unknown): WorkerConfig {
  const d = CONFIG_DEFAULTS.worker;
  if (!isPlainObject(input)) {
    c.fail('worker', input, 'must be an object', `{ ${Object.keys(d).join(', ')} } (every key optional)`);
    return d;
  }
  c.unknownKeys('worker', input, Object.keys(d));
  const w = { ...d, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null)) };
  const ms = 'number of milliseconds';
  const result: WorkerConfig = {
    enabled: c.bool('worker.enabled', w.enabled) ?? d.enabled,
    concurrency: c.int('worker.concurrency', w.concurrency, 1, 64, 'number of jobs') ?? d.concurrency,
    pollIntervalMs: c.int('worker.pollIntervalMs', w.pollIntervalMs, 10, 3_600_000, ms) ?? d.pollIntervalMs,
    leaseMs: c.int('worker.leaseMs', w.leaseMs, 1000, 86_400_000, ms) ?? d.leaseMs,
    maxAttempts: c.int('worker.maxAttempts', w.maxAttempts, 1, 1000, 'number of attempts') ?? d.maxAttempts,
    backoffBaseMs: c.int('worker.backoffBaseMs', w.backoffBaseMs, 0, 86_400_000, ms) ?? d.backoffBaseMs,
    backoffMaxMs: c.int('worker.backoffMaxMs', w.backoffMaxMs, 0, 86_400_000, ms) ?? d.backoffMaxMs,
    retryForMs: c.int('worker.retryForMs', w.retryForMs, 0, 30 * 86_400_000, ms) ?? d.retryForMs,
  };
  if (result.backoffMaxMs < result.backoffBaseMs) {
    c.fail('worker.backoffMaxMs', result.backoffMaxMs, 'is smaller than worker.backoffBaseMs', `at least ${result.backoffBaseMs}`);
  }
  return result;
}

function parseBaseUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    const u = new URL(v);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username) return undefined;
    return v.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** One readable message for a boot error: every problem on its own line. */
export function formatConfigErrors(errors: FieldError[]): string {
  const lines = errors.map((e) => `  - ${e.message}`);
  return `invalid plugin config (config/plugins → 'cos-video'.config):\n${lines.join('\n')}`;
}
