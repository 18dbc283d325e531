import { isFetchError } from '@strapi/strapi/admin';

import { COS_ERROR_CODES, type ErrorCode, UPLOAD_ERROR_CODES } from '../../../common/contracts/error-codes';

/**
 * Every failure the editor can meet, reduced to a few kinds that each have a plain-words
 * explanation (and, where there is one, a fix) in the translations. `detail` keeps the
 * server's own message (already plain words, names the bucket/key) to show underneath.
 */
export type ErrorKind =
  | 'aborted'
  | 'network'
  | 'forbidden'
  | 'unboundMedia'
  | 'accessDenied'
  | 'missing'
  | 'beyondEnd'
  | 'invalid'
  | 'tooLarge'
  | 'uploadRefused'
  | 'corsEtag'
  | 'unknown';

export interface DescribedError {
  kind: ErrorKind;
  detail?: string;
  status?: number;
  /** Strapi error class name, when the API answered */
  name?: string;
}

// Keys are the contract's codes (common/contracts/error-codes.ts), so a renamed code fails the type check.
const BY_CODE: Partial<Record<ErrorCode, ErrorKind>> = {
  [COS_ERROR_CODES.mediaProcessingDisabled]: 'unboundMedia',
  [COS_ERROR_CODES.accessDenied]: 'accessDenied',
  [COS_ERROR_CODES.invalidCredentials]: 'accessDenied',
  [COS_ERROR_CODES.credentialsUnavailable]: 'accessDenied',
  [COS_ERROR_CODES.noSuchKey]: 'missing',
  [COS_ERROR_CODES.noSuchBucket]: 'missing',
  [COS_ERROR_CODES.timeBeyondDuration]: 'beyondEnd',
  [COS_ERROR_CODES.notAVideo]: 'invalid',
  [COS_ERROR_CODES.invalidArgument]: 'invalid',
  [COS_ERROR_CODES.network]: 'network',
  [COS_ERROR_CODES.timeout]: 'network',
  [UPLOAD_ERROR_CODES.grantInvalid]: 'uploadRefused',
  [UPLOAD_ERROR_CODES.requestRefused]: 'uploadRefused',
  [UPLOAD_ERROR_CODES.brokeGrant]: 'uploadRefused',
};

/** Classifies an error code/message pair (from the API or a stored field `error`). */
export function classify(code: string | undefined, message: string | undefined, status?: number): ErrorKind {
  // The unbound-bucket message wins over its code (COS answers it as AccessDenied).
  if (/unbind|unbound|media ?processing/i.test(message ?? '')) return 'unboundMedia';
  const known = code ? BY_CODE[code as ErrorCode] : undefined;
  if (known) return known;
  const text = `${code ?? ''} ${message ?? ''}`;
  if (/unbind|unbound|media ?processing|MediaBucket/i.test(text)) return 'unboundMedia';
  if (/beyond|duration|past the end|end of the video/i.test(text)) return 'beyondEnd';
  if (/NoSuchKey|NoSuchBucket|not found|does not exist|missing/i.test(text) || status === 404) return 'missing';
  if (/AccessDenied|SignatureDoesNotMatch|InvalidAccessKeyId|access denied/i.test(text)) return 'accessDenied';
  if (/too large|EntityTooLarge|maxUploadSize|size limit/i.test(text) || status === 413) return 'tooLarge';
  if (/timeout|timed out|ECONNREFUSED|ECONNRESET|ENOTFOUND|network|socket/i.test(text)) return 'network';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 400 || /ValidationError|InvalidArgument|invalid/i.test(text)) return 'invalid';
  return 'unknown';
}

/** Turns whatever a fetch / SDK call threw into a DescribedError. */
export function describeError(err: unknown): DescribedError {
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'AbortError') return { kind: 'aborted' };
  if (isFetchError(err)) {
    const body = err.response?.data?.error as { message?: string; name?: string; details?: { code?: string } } | undefined;
    const detail = body?.message ?? err.message;
    const code = body?.details?.code;
    // hasPermissions answers PolicyError; a bare ForbiddenError is treated the same unless a code says otherwise.
    if (!code && (body?.name === 'PolicyError' || body?.name === 'ForbiddenError' || err.status === 403)) {
      return { kind: 'forbidden', detail, status: err.status, name: body?.name };
    }
    return { kind: classify(code, detail, err.status), detail, status: err.status };
  }
  if (err instanceof TypeError) return { kind: 'network', detail: err.message };
  const e = err as { code?: string; message?: string; error?: { Code?: string; Message?: string }; statusCode?: number };
  // cos-js-sdk-v5 errors: { code, message, statusCode } or { error: { Code, Message } }
  const code = e?.code ?? e?.error?.Code;
  const message = e?.message ?? e?.error?.Message;
  if (e?.statusCode === 0 || /Network|CORS|XMLHttpRequest/i.test(message ?? '')) return { kind: 'network', detail: message };
  return { kind: classify(code, message, e?.statusCode), detail: message };
}
