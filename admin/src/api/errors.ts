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
  | 'cosUnavailable'
  | 'blockedCsp'
  | 'blockedCors'
  | 'forbidden'
  | 'unboundMedia'
  | 'accessDenied'
  | 'missing'
  | 'beyondEnd'
  | 'invalid'
  | 'tooLarge'
  | 'uploadRefused'
  | 'uploadBrokeGrant'
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
  // The Strapi server talked to COS and got no (good) answer: COS is down or failing, not the browser.
  [COS_ERROR_CODES.network]: 'cosUnavailable',
  [COS_ERROR_CODES.timeout]: 'cosUnavailable',
  [COS_ERROR_CODES.serverError]: 'cosUnavailable',
  [COS_ERROR_CODES.throttled]: 'cosUnavailable',
  [UPLOAD_ERROR_CODES.grantInvalid]: 'uploadRefused',
  [UPLOAD_ERROR_CODES.requestRefused]: 'uploadRefused',
  // COS accepted the upload; the object stored at the key was not the granted one, and the plugin deleted it.
  [UPLOAD_ERROR_CODES.brokeGrant]: 'uploadBrokeGrant',
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
    // No HTTP status: the request never reached the Strapi server.
    if (!err.status) return { kind: 'network', detail: err.message };
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
  // The browser got no readable answer from COS: a CSP or CORS block or COS down; explainCosFailure tells which.
  if (e?.statusCode === 0 || /Network|CORS|XMLHttpRequest/i.test(message ?? '')) return { kind: 'cosUnavailable', detail: message };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 500) return { kind: 'cosUnavailable', detail: message, status: e.statusCode };
  return { kind: classify(code, message, e?.statusCode), detail: message };
}

/**
 * COS origins the admin's Content Security Policy refused in this page, with the directives
 * that refused them. The browser reports a blocked load only through this event (the failed
 * load itself looks like a network error), so it is recorded from the moment the field loads.
 */
const cspBlocked = new Map<string, Set<string>>();
if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (e) => {
    try {
      const origin = new URL(e.blockedURI).origin;
      const directives = cspBlocked.get(origin) ?? new Set<string>();
      directives.add(e.effectiveDirective || e.violatedDirective);
      cspBlocked.set(origin, directives);
    } catch {
      /* "inline", "eval" and other non-URL reports are not about COS */
    }
  });
}

/**
 * Explains why the browser could not load `url` (a signed COS URL: preview image, video,
 * upload) in terms an editor can act on:
 * - COS answered with an error: its `<Error><Code/><Message/>` (5xx → `cosUnavailable`);
 * - the admin's CSP refused the COS origin → `blockedCsp`, naming the origin and directives;
 * - COS answered but CORS hid the answer (a `no-cors` request gets through) → `blockedCors`;
 * - no answer at all → `cosUnavailable` (COS down or unreachable from this browser).
 */
export async function explainCosFailure(url: string): Promise<DescribedError> {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return { kind: 'unknown', detail: url };
  }
  try {
    const res = await fetch(url, { cache: 'no-store' });
    const text = await res.text();
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    const detail = `${origin}: ${[res.status, code].filter(Boolean).join(' ')}${message ? ` ${message}` : ''}`;
    if (res.status >= 500 || res.status === 429) return { kind: 'cosUnavailable', detail, status: res.status };
    if (res.ok) return { kind: 'unknown', detail };
    return { kind: classify(code, message, res.status), detail: message ?? `HTTP ${res.status}`, status: res.status };
  } catch {
    /* no readable answer: find out why below */
  }
  let answered = false;
  try {
    // An opaque request needs no CORS rule: it succeeds whenever COS answers at all.
    await fetch(`${origin}/`, { method: 'HEAD', mode: 'no-cors', cache: 'no-store' });
    answered = true;
  } catch {
    answered = false;
  }
  // Violation events are queued as tasks: let the ones for these requests arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const directives = cspBlocked.get(origin);
  if (directives?.size) {
    return { kind: 'blockedCsp', detail: `The admin's Content Security Policy (${[...directives].join(', ')}) does not allow ${origin}.` };
  }
  if (answered) {
    return { kind: 'blockedCors', detail: `${origin} answered, but its CORS rules do not allow ${window.location.origin} to read the answer.` };
  }
  return { kind: 'cosUnavailable', detail: `The browser got no answer from ${origin}.` };
}
