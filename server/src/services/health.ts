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
import { cosError, healthCheck, list, text } from '../health/texts';

/** A key that never exists: a media-processing probe on it answers NoSuchKey when processing is on. */
const PROBE_KEY = '.cos-video-health-probe/does-not-exist.mp4';

/**
 * Written under thumbnailPrefix when the bucket has no thumbnail yet, so the readers check always
 * has a real object with the thumbnails' access rules to open. Same key every time (overwritten).
 */
const READER_PROBE = '.cos-video-health-probe/reader-probe.txt';

function describeFailure(e: unknown): CosError {
  return e instanceof CosError ? e : toCosError(e, { op: 'HealthCheck' });
}

/**
 * The settings page's health check: credentials valid, bucket(s) reachable, media processing
 * enabled, CORS ready for direct upload, readers can open the thumbnail and video URLs API
 * responses carry, how COS maps snapshot times to frames (calibration/frame-timing.ts), CSP
 * lets the admin load COS media. Each failed check
 * says what to change. Texts come from health/texts.ts (English `message` / `fix` plus ids for the admin).
 */
export function createHealthService(strapi: Core.Strapi) {
  const cos = () => getService(strapi, 'cos');

  async function bucketChecks(b: { bucket: string; region: string }, primary: boolean): Promise<HealthCheck[]> {
    const checks: HealthCheck[] = [];
    const suffix = primary ? '' : `:${b.bucket}`;
    try {
      // A GET (not HEAD): only a body tells a wrong secret (SignatureDoesNotMatch) from a missing permission.
      await cos().listObjects({ bucket: b.bucket, limit: 1 });
      if (primary) checks.push(healthCheck('credentials', true, text('credentials.ok')));
      checks.push(healthCheck(`bucket${suffix}`, true, text('bucket.ok', { bucket: b.bucket, region: b.region })));
    } catch (e) {
      const err = describeFailure(e);
      const badCreds = err.code === COS_ERROR_CODES.invalidCredentials || err.code === COS_ERROR_CODES.credentialsUnavailable;
      if (primary) {
        checks.push(
          badCreds
            ? healthCheck('credentials', false, text('credentials.rejected', { error: cosError(err) }), text('credentials.fix'))
            : err.transient
              ? healthCheck('credentials', false, text('credentials.unchecked', { error: cosError(err) }))
              : healthCheck('credentials', true, text('credentials.ok')),
        );
      }
      checks.push(
        healthCheck(
          `bucket${suffix}`,
          false,
          text('bucket.failed', { bucket: b.bucket, region: b.region, error: cosError(err) }),
          text(err.transient ? 'bucket.fixNetwork' : 'bucket.fixAccess'),
        ),
      );
    }
    return checks;
  }

  async function mediaCheck(b: { bucket: string; region: string }): Promise<HealthCheck> {
    try {
      await cos().getMediaInfo({ ...b, key: PROBE_KEY });
      return healthCheck('media', true, text('media.ok', { bucket: b.bucket }));
    } catch (e) {
      const err = describeFailure(e);
      if (err.code === COS_ERROR_CODES.noSuchKey) {
        return healthCheck('media', true, text('media.ok', { bucket: b.bucket }));
      }
      if (err.code === COS_ERROR_CODES.mediaProcessingDisabled) {
        return healthCheck('media', false, text('media.disabled', { bucket: b.bucket }), text('media.fix'));
      }
      return healthCheck('media', false, text('media.unchecked', { error: cosError(err) }));
    }
  }

  async function corsCheck(loc: { bucket: string; region: string; key: string }, origin: string, timeoutMs: number): Promise<HealthCheck> {
    const url = `${getPluginConfig(strapi).protocol}//${cos().bucketHost(loc)}/${encodeKeyPath(loc.key)}`;
    const rule = text('cors.rule', { origin });
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
        return healthCheck('cors', true, text('cors.ok', { origin, bucket: loc.bucket }));
      }
      return healthCheck(
        'cors',
        false,
        text('cors.blocked', { origin, problems: list('semicolon', problems.map((p) => p.problem)) }),
        text('cors.fix', { fixes: list('space', problems.map((p) => p.fix)), rule }),
      );
    } catch (e) {
      return healthCheck('cors', false, text('cors.unchecked', { error: text('detail', { message: (e as Error).message }) }), rule);
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
      const verdict = readersVerdict(probes, fix);
      return healthCheck(id, verdict.ok, verdict.message, verdict.fix);
    } catch (e) {
      return healthCheck(id, false, text('readers.unchecked', { error: cosError(describeFailure(e)) }));
    }
  }

  function cspCheck(id: string, cosOrigin: string, selfOrigin: string): HealthCheck {
    const blocked = cspBlocked(strapi.config.get('middlewares'), cosOrigin, selfOrigin);
    if (blocked.length === 0) {
      return healthCheck(id, true, text('csp.ok', { origin: cosOrigin }));
    }
    return healthCheck(
      id,
      false,
      text('csp.blocked', { origin: cosOrigin, directives: blocked.join(', ') }),
      cspFix(getPluginConfig(strapi), cosOrigin, selfOrigin),
    );
  }

  return {
    /** `origin` = the admin's origin as the browser sees it (for the CORS and CSP checks). */
    async check(origin: string): Promise<HealthReport> {
      const config = getPluginConfig(strapi);
      const [primary, ...extra] = allowedBuckets(config);
      const probe = { ...primary, key: `${config.uploadPrefix}${PROBE_KEY}` };
      const cosOrigin = new URL(cos().publicUrl(probe)).origin;
      const endpoint = `${config.protocol}//${cos().bucketHost(primary)}`;
      const configText = config.publicBaseUrl ? (config.signUrls ? 'config.cdnSigned' : 'config.cdn') : config.signUrls ? 'config.signed' : 'config';
      const configCheck = healthCheck(
        'config',
        true,
        text(configText, { bucket: primary.bucket, region: primary.region, endpoint, ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}) }),
      );
      const results = await Promise.all([
        bucketChecks(primary, true),
        mediaCheck(primary),
        corsCheck(probe, origin, config.requestTimeoutMs),
        readersCheck(primary),
        frameTimingCheck(strapi, cos(), primary, config.thumbnailPrefix, (e) => cosError(describeFailure(e))),
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
