import type { Core } from '@strapi/strapi';
import type { HealthCheck, HealthReport } from '../../../common/contracts/admin-api';
import { allowedBuckets, getPluginConfig } from '../config/read';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { CosError, toCosError } from '../cos/errors';
import { corsProblems, preflight, UPLOAD_METHODS } from '../health/cors';
import { cspBlocked, cspFix } from '../health/csp';
import { readAsAnonymous, readersFix, readersVerdict, type ReaderProbe } from '../health/readers';
import { encodeKeyPath } from '../cos/urls';
import { frameTimingCheck } from '../calibration/frame-timing';
import { getService } from '../utils/get-service';

/** A key that never exists: a media-processing probe on it answers NoSuchKey when processing is on. */
const PROBE_KEY = '.cos-video-health-probe/does-not-exist.mp4';

/**
 * Written under thumbnailPrefix when the bucket has no thumbnail yet, so the readers check always
 * has a real object with the thumbnails' access rules to open. Same key every time (overwritten).
 */
const READER_PROBE = '.cos-video-health-probe/reader-probe.txt';

const CORS_FIX =
  'In the COS console open the bucket → Security Management → CORS (跨域访问 CORS 设置) and add a rule: ' +
  'Origin = the admin URL (e.g. {origin}), Methods = PUT, POST, GET, HEAD, DELETE, Allow-Headers = *, ' +
  'Expose-Headers = ETag, Content-Length, x-cos-request-id, Max Age = 600.';

function describeFailure(e: unknown): CosError {
  return e instanceof CosError ? e : toCosError(e, { op: 'HealthCheck' });
}

/**
 * The settings page's health check: credentials valid, bucket(s) reachable, media processing
 * enabled, CORS ready for direct upload, readers can open the thumbnail and video URLs API
 * responses carry, how COS maps snapshot times to frames (calibration/frame-timing.ts), CSP
 * lets the admin load COS media. Each failed check
 * says what to change.
 */
export function createHealthService(strapi: Core.Strapi) {
  const cos = () => getService(strapi, 'cos');

  async function bucketChecks(b: { bucket: string; region: string }, primary: boolean): Promise<HealthCheck[]> {
    const checks: HealthCheck[] = [];
    const suffix = primary ? '' : `:${b.bucket}`;
    try {
      // A GET (not HEAD): only a body tells a wrong secret (SignatureDoesNotMatch) from a missing permission.
      await cos().listObjects({ bucket: b.bucket, limit: 1 });
      if (primary) checks.push({ id: 'credentials', ok: true, message: 'COS accepted the plugin\'s credentials.' });
      checks.push({ id: `bucket${suffix}`, ok: true, message: `Bucket ${b.bucket} (${b.region}) is reachable.` });
    } catch (e) {
      const err = describeFailure(e);
      const badCreds = err.code === COS_ERROR_CODES.invalidCredentials || err.code === COS_ERROR_CODES.credentialsUnavailable;
      if (primary) {
        checks.push(
          badCreds
            ? { id: 'credentials', ok: false, message: err.userMessage, fix: 'Set secretId / secretKey (from environment variables) in config/plugins → \'cos-video\'.config, or fix the credentials provider, then restart Strapi.' }
            : err.transient
              ? { id: 'credentials', ok: false, message: `Could not check the credentials: ${err.userMessage}` }
              : { id: 'credentials', ok: true, message: 'COS accepted the plugin\'s credentials.' },
        );
      }
      checks.push({
        id: `bucket${suffix}`,
        ok: false,
        message: `Bucket ${b.bucket} (${b.region}) is not usable: ${err.userMessage}`,
        fix: err.transient
          ? 'Check that the server can reach COS (network, domain and protocol settings).'
          : 'Check the bucket name and region in the plugin configuration and that the credentials may access this bucket (CAM policy).',
      });
    }
    return checks;
  }

  async function mediaCheck(b: { bucket: string; region: string }): Promise<HealthCheck> {
    try {
      await cos().getMediaInfo({ ...b, key: PROBE_KEY });
      return { id: 'media', ok: true, message: `Media processing is enabled for bucket ${b.bucket}.` };
    } catch (e) {
      const err = describeFailure(e);
      if (err.code === COS_ERROR_CODES.noSuchKey) {
        return { id: 'media', ok: true, message: `Media processing is enabled for bucket ${b.bucket}.` };
      }
      if (err.code === COS_ERROR_CODES.mediaProcessingDisabled) {
        return {
          id: 'media',
          ok: false,
          message: `Media processing is not enabled for bucket ${b.bucket}: thumbnails, previews and video info cannot work.`,
          fix: 'In the Tencent Cloud COS console open the bucket → Data Processing → Media Processing (数据处理 → 媒体处理) and turn it on, which binds the bucket to Cloud Infinite (数据万象).',
        };
      }
      return { id: 'media', ok: false, message: `Could not check media processing: ${err.userMessage}` };
    }
  }

  async function corsCheck(loc: { bucket: string; region: string; key: string }, origin: string, timeoutMs: number): Promise<HealthCheck> {
    const url = `${getPluginConfig(strapi).protocol}//${cos().bucketHost(loc)}/${encodeKeyPath(loc.key)}`;
    const fix = CORS_FIX.replace('{origin}', origin);
    try {
      const results = await Promise.all(
        UPLOAD_METHODS.map(async (method) => {
          const [withHeaders, bare] = await Promise.all([
            preflight(url, origin, method, timeoutMs),
            preflight(url, origin, method, timeoutMs, []),
          ]);
          return { method, withHeaders, bare };
        }),
      );
      const problems = corsProblems(results, origin);
      if (problems.length === 0) {
        return { id: 'cors', ok: true, message: `Browsers at ${origin} may upload directly to bucket ${loc.bucket}.` };
      }
      return {
        id: 'cors',
        ok: false,
        message: `Direct upload from ${origin} is blocked by the bucket's CORS rules: ${problems.map((p) => p.problem).join('; ')}.`,
        fix: `${problems.map((p) => p.fix).join(' ')} ${fix}`,
      };
    } catch (e) {
      return { id: 'cors', ok: false, message: `Could not check CORS: ${(e as Error).message}.`, fix };
    }
  }

  /** A real object under `prefix` to open as a reader (not one of the health probes), if any. */
  async function firstObject(bucket: { bucket: string; region: string }, prefix: string): Promise<string | undefined> {
    const { items } = await cos().listObjects({ bucket: bucket.bucket, prefix, limit: 20 });
    return items.find((o) => !o.key.endsWith('/') && !o.key.includes('.cos-video-health-probe/'))?.key;
  }

  async function readersCheck(b: { bucket: string; region: string }): Promise<HealthCheck> {
    const config = getPluginConfig(strapi);
    const id = 'readers';
    try {
      let thumbnailKey = await firstObject(b, config.thumbnailPrefix);
      if (!thumbnailKey) {
        thumbnailKey = `${config.thumbnailPrefix}${READER_PROBE}`;
        await cos().putObject({ ...b, key: thumbnailKey }, Buffer.from('cos-video health check: readers can open thumbnails\n'), 'text/plain');
      }
      const videoKey = await firstObject(b, config.uploadPrefix);
      // readUrl is what API responses put into thumbnail.url and url (public, CDN or signed).
      const targets: Array<Omit<ReaderProbe, 'status' | 'error'>> = [
        { kind: 'thumbnail', key: thumbnailKey, url: cos().readUrl({ ...b, key: thumbnailKey }) },
        ...(videoKey ? [{ kind: 'video' as const, key: videoKey, url: cos().readUrl({ ...b, key: videoKey }) }] : []),
      ];
      const probes = await Promise.all(targets.map((t) => readAsAnonymous(t, config.requestTimeoutMs)));
      const prefixes = [config.thumbnailPrefix, ...(videoKey ? [config.uploadPrefix] : [])];
      const fix = readersFix({ signUrls: config.signUrls, publicBaseUrl: config.publicBaseUrl, prefixes, bucket: b.bucket });
      return { id, ...readersVerdict(probes, fix) };
    } catch (e) {
      return { id, ok: false, message: `Could not check that readers can open thumbnails and videos: ${describeFailure(e).userMessage}` };
    }
  }

  function cspCheck(id: string, cosOrigin: string, selfOrigin: string): HealthCheck {
    const blocked = cspBlocked(strapi.config.get('middlewares'), cosOrigin, selfOrigin);
    if (blocked.length === 0) {
      return { id, ok: true, message: `The admin's Content Security Policy allows ${cosOrigin}.` };
    }
    return {
      id,
      ok: false,
      message: `The admin's Content Security Policy blocks ${cosOrigin} in ${blocked.join(', ')}: previews, playback or uploads will fail in the browser.`,
      fix: cspFix(getPluginConfig(strapi), cosOrigin, selfOrigin),
    };
  }

  return {
    /** `origin` = the admin's origin as the browser sees it (for the CORS and CSP checks). */
    async check(origin: string): Promise<HealthReport> {
      const config = getPluginConfig(strapi);
      const [primary, ...extra] = allowedBuckets(config);
      const probe = { ...primary, key: `${config.uploadPrefix}${PROBE_KEY}` };
      const cosOrigin = new URL(cos().publicUrl(probe)).origin;
      const endpoint = `${config.protocol}//${cos().bucketHost(primary)}`;
      const configCheck: HealthCheck = {
        id: 'config',
        ok: true,
        message: `Bucket ${primary.bucket} in ${primary.region} via ${endpoint}${config.publicBaseUrl ? `, public URLs from ${config.publicBaseUrl}` : ''}${config.signUrls ? ', signed URLs' : ''}.`,
      };
      const results = await Promise.all([
        bucketChecks(primary, true),
        mediaCheck(primary),
        corsCheck(probe, origin, config.requestTimeoutMs),
        readersCheck(primary),
        frameTimingCheck(strapi, cos(), primary, config.thumbnailPrefix, (e) => describeFailure(e).userMessage),
        ...extra.map((b) => bucketChecks(b, false)),
      ]);
      const [own, media, cors, readers, timing, ...others] = results as [HealthCheck[], HealthCheck, HealthCheck, HealthCheck, HealthCheck, ...HealthCheck[][]];
      const signedOrigin = `${config.protocol}//${cos().bucketHost(primary)}`;
      const csp = [cspCheck('csp', signedOrigin, origin), ...(cosOrigin !== signedOrigin ? [cspCheck('csp:public', cosOrigin, origin)] : [])];
      return { checks: [configCheck, ...own, media, cors, readers, timing, ...csp, ...others.flat()] };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createHealthService(strapi);
