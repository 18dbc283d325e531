/**
 * Every COS failure the plugin sees becomes a CosError: a stable `code` (the admin maps it to a
 * translated message), whether retrying can help (`transient`, used by the job worker) and a
 * `userMessage` in plain words for editors. `message` carries the technical detail for logs.
 */

import { COS_ERROR_CODES, type CosErrorCode } from '../../../common/contracts/error-codes';

export interface CosErrorInit {
  code: CosErrorCode | string;
  statusCode?: number;
  transient: boolean;
  userMessage: string;
  /** Technical detail for logs (never shown to editors as-is). */
  detail: string;
  /** The COS error Code as received (e.g. "AccessDenied"), for logs. */
  cosCode?: string;
  requestId?: string;
}

export class CosError extends Error {
  readonly code: string;
  readonly statusCode?: number;
  readonly transient: boolean;
  readonly userMessage: string;
  readonly cosCode?: string;
  readonly requestId?: string;

  constructor(init: CosErrorInit) {
    super(init.detail);
    this.name = 'CosError';
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.transient = init.transient;
    this.userMessage = init.userMessage;
    this.cosCode = init.cosCode;
    this.requestId = init.requestId;
  }

  /** What an API error body or a stored field error may show. */
  toJSON(): { code: string; message: string; transient: boolean; statusCode?: number } {
    return { code: this.code, message: this.userMessage, transient: this.transient, statusCode: this.statusCode };
  }
}

export function isCosError(e: unknown): e is CosError {
  return e instanceof CosError;
}

/** What was being done, so messages can name the bucket and object. */
export interface CosErrorContext {
  op: string;
  bucket?: string;
  region?: string;
  key?: string;
  timeoutMs?: number;
}

const THROTTLE_CODES = new Set(['SlowDown', 'RequestLimitExceeded', 'TooManyRequests', 'ServiceUnavailable', 'RequestRateTooHigh']);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH',
  'ENETUNREACH', 'ENETDOWN', 'EPROTO', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'UND_ERR_SOCKET',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'RequestTimeout']);
const CREDENTIAL_CODES = new Set(['SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidSecurityToken', 'ExpiredToken']);

interface SdkErrorShape {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  error?: unknown;
  headers?: Record<string, unknown>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function where(ctx: CosErrorContext): string {
  const obj = ctx.key ? `"${ctx.key}" in bucket ${ctx.bucket ?? '?'}` : `bucket ${ctx.bucket ?? '?'}`;
  return obj;
}

/** Turns whatever the SDK (or the network) threw into a CosError. Idempotent. */
export function toCosError(e: unknown, ctx: CosErrorContext): CosError {
  if (e instanceof CosError) return e;
  const raw = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as SdkErrorShape;
  const body = (typeof raw.error === 'object' && raw.error !== null ? raw.error : {}) as Record<string, unknown>;
  const statusCode = typeof raw.statusCode === 'number' ? raw.statusCode : undefined;
  const cosCode = str(body.Code) ?? str(raw.code);
  const sdkMessage = str(body.Message) ?? str(raw.message) ?? '';
  const requestId = str(raw.headers?.['x-cos-request-id']) ?? str(raw.headers?.['x-ci-request-id']) ?? str(body.RequestId);
  const detail = `COS ${ctx.op} on ${where(ctx)} failed: ${[statusCode, cosCode].filter(Boolean).join(' ')} ${sdkMessage}`.trim();
  const make = (code: string, transient: boolean, userMessage: string) =>
    new CosError({ code, statusCode, transient, userMessage, detail, cosCode, requestId });

  if (/media bucket unbind/i.test(sdkMessage)) {
    return make(
      COS_ERROR_CODES.mediaProcessingDisabled,
      false,
      `Media processing is not enabled for bucket ${ctx.bucket ?? ''}, so COS cannot read video frames or video info. ` +
        'Enable it in the Tencent Cloud COS console: open the bucket, go to Data Processing → Media Processing ' +
        '(数据处理 → 媒体处理) and turn it on (this binds the bucket to Cloud Infinite / 数据万象), then try again.',
    );
  }
  // Cloud Infinite (data processing, `ci-process=…`) answers its own codes, all with HTTP 400
  // (Tencent's CI error-code table): the object is missing, unreadable for CI, or CI could not fetch it.
  if (cosCode === 'ResourceNotFound') {
    return make(COS_ERROR_CODES.noSuchKey, false, `The object ${where(ctx)} does not exist. It may have been deleted or renamed.`);
  }
  if (cosCode === 'ResourceAccessDenied') {
    return make(
      COS_ERROR_CODES.accessDenied,
      false,
      `COS media processing was denied access to ${where(ctx)}. Check that Cloud Infinite (数据万象) is authorised to read this bucket and that the bucket policy does not block it.`,
    );
  }
  if (cosCode === 'ResourceDownloadFailed') {
    return make(COS_ERROR_CODES.serverError, true, `COS media processing could not read ${where(ctx)} this time. The plugin retries automatically; try again in a moment.`);
  }
  if (statusCode === 429 || (cosCode && THROTTLE_CODES.has(cosCode))) {
    return make(COS_ERROR_CODES.throttled, true, 'COS is limiting the request rate right now. The plugin retries automatically; try again in a moment.');
  }
  if (statusCode !== undefined && statusCode >= 500) {
    return make(COS_ERROR_CODES.serverError, true, `COS had a temporary problem (HTTP ${statusCode}). The plugin retries automatically; try again in a moment.`);
  }
  if ((cosCode && TIMEOUT_CODES.has(cosCode)) || (statusCode === undefined && /timed? ?out/i.test(sdkMessage))) {
    return make(
      COS_ERROR_CODES.timeout,
      true,
      `COS did not answer in time${ctx.timeoutMs ? ` (${ctx.timeoutMs} ms)` : ''}. The plugin retries automatically; try again in a moment.`,
    );
  }
  if (statusCode === undefined && ((cosCode && NETWORK_CODES.has(cosCode)) || /socket hang up|network/i.test(sdkMessage))) {
    return make(
      COS_ERROR_CODES.network,
      true,
      'The Strapi server could not reach COS (network error). The plugin retries automatically; check the server\'s network and the plugin\'s domain setting if it persists.',
    );
  }
  if (cosCode && CREDENTIAL_CODES.has(cosCode)) {
    return make(
      COS_ERROR_CODES.invalidCredentials,
      false,
      'COS rejected the plugin\'s credentials. Check secretId / secretKey (or the credentials provider) in the plugin configuration.',
    );
  }
  if (cosCode === 'AccessDenied' || statusCode === 403) {
    return make(
      COS_ERROR_CODES.accessDenied,
      false,
      `COS denied access to ${where(ctx)}. Check that the plugin's credentials are allowed to use this bucket (CAM policy) and that the bucket policy does not block them.`,
    );
  }
  if (cosCode === 'NoSuchBucket') {
    return make(COS_ERROR_CODES.noSuchBucket, false, `Bucket ${ctx.bucket ?? ''} does not exist in region ${ctx.region ?? ''}. Check the bucket name and region in the plugin configuration.`);
  }
  if (cosCode === 'NoSuchKey' || statusCode === 404) {
    return make(COS_ERROR_CODES.noSuchKey, false, `The object ${where(ctx)} does not exist. It may have been deleted or renamed.`);
  }
  if (statusCode !== undefined && statusCode >= 400) {
    // A time past the end is not recognised here: COS does not document its wording for it.
    // getSnapshot compares the time with the video's end instead (snapshotTimeError).
    return make(COS_ERROR_CODES.invalidArgument, false, `COS rejected the request for ${where(ctx)}: ${sdkMessage || `HTTP ${statusCode}`}.`);
  }
  // No HTTP status and not a known network/timeout failure: the SDK refused the call (bad parameters).
  return make(COS_ERROR_CODES.unknown, false, `The request to COS for ${where(ctx)} could not be made: ${sdkMessage || 'unknown error'}.`);
}

/**
 * Decides whether a refused GetSnapshot was refused because `time` (seconds) lies past the end
 * of the video. `end` is where the video ends on the timeline `time` counts on (videoinfo's
 * `Format.StartTime + Format.Duration`, seconds), or null when unknown. Only an `InvalidArgument`
 * refusal is re-read; anything else, an unknown end or a time inside the video returns `e` as is.
 */
export function snapshotTimeError(e: CosError, time: number, end: number | null, ctx: CosErrorContext): CosError {
  if (e.code !== COS_ERROR_CODES.invalidArgument || end === null || !Number.isFinite(end) || !(time > end)) return e;
  return new CosError({
    code: COS_ERROR_CODES.timeBeyondDuration,
    statusCode: e.statusCode,
    transient: false,
    userMessage: `The snapshot time ${time} s is beyond the end of the video ${where(ctx)}, which ends at ${round3(end)} s. Choose a time between 0 and ${round3(end)} s.`,
    detail: `${e.message} (time ${time} s > video end ${end} s)`,
    cosCode: e.cosCode,
    requestId: e.requestId,
  });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
