/**
 * The upload policy: which files may be uploaded, for how long a grant and a signature last,
 * which COS requests one upload grant may have signed (and with exactly which signed headers),
 * and when a stored object breaks its grant. Pure (no Strapi, no COS calls), so every rule is
 * covered by a table-driven unit test.
 *
 * The plugin does not trust the browser to send the right request: it decides the values that
 * bound the upload and signs them, so COS itself refuses a request that differs —
 * `Content-Length` (the granted size for a simple PUT, the exact size of part N for a part),
 * `Content-Type` (the granted video type, on PUT and Initiate), `x-cos-forbid-overwrite: true`
 * (PUT and Initiate), `Content-MD5` (Complete: the MD5 of the body listing exactly the uploaded
 * parts) and `Host`. The query of every signed request is signed whole.
 */

import { createHash } from 'node:crypto';
import { completeMultipartBody } from '../../../common/complete-multipart';
import { fieldError, type FieldError, type Validated } from '../../../common/field-error';
import { GENERIC_CONTENT_TYPES, isVideoContentType, isVideoKey } from '../../../common/video-types';

/** A signature is valid this long, in seconds (or less, when the grant ends sooner). */
export const SIGNATURE_TTL_S = 600;

/** Grant lifetime in seconds: grows with the file (~256 KiB/s), between 15 min and 6 h. */
export const grantTtlSeconds = (size: number): number => Math.min(6 * 3600, Math.max(900, Math.ceil(size / 262_144)));

/** The file an editor asks to upload (POST /uploads body). */
export interface UploadFile {
  fileName: string;
  /** bytes */
  size: number;
  contentType: string;
}

/**
 * Which files may be uploaded: a file name (1–255 characters), a size of 1 byte up to
 * `maxUploadSize` bytes, and a video Content-Type — or a generic one (browsers give some videos,
 * e.g. .mkv, none) on a file whose name has a video extension. Every problem names its field.
 */
export function checkUploadFile(body: Record<string, unknown>, maxUploadSize: number): Validated<UploadFile> {
  const problems: FieldError[] = [];
  const { fileName, size, contentType } = body;
  if (typeof fileName !== 'string' || fileName.trim() === '' || fileName.length > 255) {
    problems.push(fieldError('fileName', fileName, 'must be a file name', 'a non-empty file name of at most 255 characters, e.g. "intro.mp4"'));
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    problems.push(fieldError('size', size, 'must be a positive integer', `the file size in bytes, at most ${maxUploadSize} (maxUploadSize)`));
  } else if (size > maxUploadSize) {
    problems.push(fieldError('size', size, 'is larger than the upload limit', `at most ${maxUploadSize} bytes (maxUploadSize)`));
  }
  const untypedVideo = typeof contentType === 'string' && GENERIC_CONTENT_TYPES.includes(contentType.toLowerCase()) && typeof fileName === 'string' && isVideoKey(fileName);
  if (typeof contentType !== 'string' || (!isVideoContentType(contentType) && !untypedVideo)) {
    problems.push(fieldError('contentType', contentType, 'is not a video type', 'a video content type such as "video/mp4", "video/quicktime" or "video/webm" (or an untyped file named *.mp4, *.mov, …)'));
  }
  if (problems.length) return { ok: false, errors: problems };
  return { ok: true, value: { fileName: fileName as string, size: size as number, contentType: contentType as string } };
}

/** How a stored object breaks its grant (size, Content-Type without parameters); empty when it matches. */
export function grantBreaches(terms: Pick<UploadTerms, 'size' | 'contentType'>, stored: { size: number; contentType: string }): string[] {
  const type = (stored.contentType ?? '').split(';')[0].trim().toLowerCase();
  return [
    ...(stored.size !== terms.size ? [`it has ${stored.size} bytes but ${terms.size} were granted`] : []),
    ...(type !== terms.contentType ? [`its Content-Type is "${stored.contentType}" but "${terms.contentType}" was granted`] : []),
  ];
}

/** COS limits for multipart uploads: part numbers 1..10000, parts at most 5 GB. */
export const MAX_PART_NUMBER = 10_000;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
const MIB = 1024 * 1024;
// The part sizes cos-js-sdk-v5 picks from (MiB): the smallest one that keeps a file within 10000 parts.
const PART_SIZE_STEPS_MIB = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 5120];

/** Header or query names lower-cased, as COS compares them. */
export function lowerKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

/** The part size (bytes) for a file of `size` bytes: what the uploader must use as ChunkSize. */
export function partSizeFor(size: number): number {
  for (const step of PART_SIZE_STEPS_MIB) if (size / (step * MIB) <= MAX_PART_NUMBER) return step * MIB;
  return MAX_PART_SIZE;
}

/** Parts of a multipart upload of `size` bytes in parts of `partSize`: count and each part's exact length. */
export function partPlan(size: number, partSize: number): { count: number; length(partNumber: number): number } {
  const count = Math.max(1, Math.ceil(size / partSize));
  return { count, length: (n) => (n < count ? partSize : size - (count - 1) * partSize) };
}

/** What a grant authorises (decoded from its token). */
export interface UploadTerms {
  /** the one object key */
  key: string;
  /** the video Content-Type the object must be stored with */
  contentType: string;
  /** exact size in bytes */
  size: number;
  /** multipart part size in bytes */
  partSize: number;
  /** the bucket's Host header, e.g. "media-1250000000.cos.ap-guangzhou.myqcloud.com" */
  host: string;
}

/** A request as cos-js-sdk-v5 describes it to getAuthorization; header and query names lower-cased. */
export interface UploadRequest {
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export type UploadOperation =
  | 'PutObject' | 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload'
  | 'ListParts' | 'AbortMultipartUpload' | 'ListMultipartUploads' | 'HeadObject';

/** Operations that write the key: refused once the object exists (the grant is used up). */
export const WRITE_OPERATIONS: ReadonlySet<UploadOperation> = new Set(['PutObject', 'InitiateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload']);

export type UploadDecision =
  | { allowed: true; operation: UploadOperation; headers: Record<string, string>; uploadId?: string }
  | { allowed: false; reason: string };

// Headers a client may add to an upload request; they are signed as sent.
const OPTIONAL_HEADERS = new Set(['content-md5', 'expect', 'x-cos-traffic-limit']);
// Headers the plugin decides; a client value must agree (or be absent).
const DECIDED_HEADERS = new Set(['host', 'content-length', 'content-type', 'x-cos-forbid-overwrite']);
// Headers the SDKs would sign (their getSignHeaderObj list). Others (Cache-Control, User-Agent…) are never signed by
// anyone, so they are neither signed nor refused here.
const isSignable = (h: string) =>
  h.startsWith('x-cos-') || h.startsWith('x-ci-') || DECIDED_HEADERS.has(h) || OPTIONAL_HEADERS.has(h) ||
  ['content-disposition', 'content-encoding', 'expires', 'if-match', 'if-modified-since', 'if-none-match',
    'if-unmodified-since', 'origin', 'range', 'transfer-encoding', 'pic-operations'].includes(h);

const mediaType = (v: string) => v.split(';')[0].trim().toLowerCase();

/**
 * Decides one request of an upload. Allowed: the headers to sign (exactly these, lower-cased
 * names). Refused: the reason, phrased to follow "Refused to sign METHOD PATH: ".
 */
export function decideUploadRequest(terms: UploadTerms, req: UploadRequest): UploadDecision {
  const refuse = (reason: string): UploadDecision => ({ allowed: false, reason });
  const method = req.method.toUpperCase();
  const q = req.query;
  const names = Object.keys(q).sort();
  const only = (...allowed: string[]) => names.every((k) => allowed.includes(k));
  const has = (...required: string[]) => required.every((k) => names.includes(k));

  const sent = req.headers;
  for (const h of Object.keys(sent)) {
    if (sent[h] === '' || !isSignable(h) || DECIDED_HEADERS.has(h) || OPTIONAL_HEADERS.has(h) || h === 'x-cos-security-token') continue;
    return refuse(`header "${h}" is not allowed in an upload`);
  }
  if (sent.host !== terms.host) return refuse(`the Host header must be "${terms.host}"`);

  const signed: Record<string, string> = { host: terms.host };
  for (const h of OPTIONAL_HEADERS) if (sent[h]) signed[h] = sent[h];
  const decide = (name: string, value: string, rule: string): string | null => {
    const given = sent[name];
    const same = name === 'content-type' ? given !== undefined && mediaType(given) === value : given === value;
    if (given !== undefined && given !== '' && !same) return `${rule} (got "${given}")`;
    signed[name] = value;
    return null;
  };
  const allow = (operation: UploadOperation, uploadId?: string): UploadDecision => {
    // The SDK may pass the upload's headers to its other requests too (list, HEAD): a sent x-cos-* header must be signed.
    if (sent['x-cos-forbid-overwrite'] && !signed['x-cos-forbid-overwrite']) {
      if (sent['x-cos-forbid-overwrite'] !== 'true') return refuse(`x-cos-forbid-overwrite must be "true" (got "${sent['x-cos-forbid-overwrite']}")`);
      signed['x-cos-forbid-overwrite'] = 'true';
    }
    return { allowed: true, operation, headers: signed, ...(uploadId ? { uploadId } : {}) };
  };
  const videoType = () => decide('content-type', terms.contentType, `Content-Type must be "${terms.contentType}", the type this upload was granted for`);
  const once = () => decide('x-cos-forbid-overwrite', 'true', 'x-cos-forbid-overwrite must be "true": an upload never replaces an object');

  if (req.pathname === '/') {
    const listsUploads = method === 'GET' && has('uploads') && q.uploads === '' && q.prefix === terms.key &&
      only('uploads', 'prefix', 'delimiter', 'encoding-type', 'max-uploads', 'key-marker', 'upload-id-marker');
    return listsUploads ? allow('ListMultipartUploads') : refuse('only listing the multipart uploads of this key is allowed on the bucket');
  }
  if (req.pathname !== `/${terms.key}`) return refuse('another object key');

  if (method === 'PUT' && names.length === 0) {
    const why = decide('content-length', String(terms.size), `Content-Length must be exactly ${terms.size}, the granted size`) ?? videoType() ?? once();
    return why ? refuse(why) : allow('PutObject');
  }
  if (method === 'POST' && names.length === 1 && q.uploads === '') {
    const why = videoType() ?? once();
    return why ? refuse(why) : allow('InitiateMultipartUpload');
  }
  if (method === 'PUT' && has('partnumber', 'uploadid') && only('partnumber', 'uploadid')) {
    const plan = partPlan(terms.size, terms.partSize);
    const n = /^\d+$/.test(q.partnumber) ? Number(q.partnumber) : NaN;
    if (!(n >= 1 && n <= plan.count)) {
      return refuse(`partNumber must be 1 to ${plan.count} (${terms.size} bytes in parts of ${terms.partSize}), got "${q.partnumber}"`);
    }
    const why = decide('content-length', String(plan.length(n)), `Content-Length of part ${n} must be exactly ${plan.length(n)}`);
    return why ? refuse(why) : allow('UploadPart', q.uploadid);
  }
  if (method === 'POST' && names.length === 1 && has('uploadid')) {
    // Both SDKs send Complete without the upload's headers: x-cos-forbid-overwrite comes from the
    // Initiate request (signed there), and is signed here only when the client sends it.
    // Content-MD5 is what binds the part list (the body) to the signature: required here, and
    // checked against the uploaded parts by checkCompleteRequest before signing.
    if (!sent['content-md5']) {
      return refuse('Content-MD5 is required on CompleteMultipartUpload (got none): it is signed so that COS accepts only the body that lists the uploaded parts');
    }
    return allow('CompleteMultipartUpload', q.uploadid);
  }
  if (method === 'GET' && has('uploadid') && only('uploadid', 'encoding-type', 'max-parts', 'part-number-marker')) return allow('ListParts', q.uploadid);
  if (method === 'DELETE' && names.length === 1 && has('uploadid')) return allow('AbortMultipartUpload', q.uploadid);
  if (method === 'HEAD' && names.length === 0) return allow('HeadObject');
  return refuse('not an upload request');
}

export { completeMultipartBody } from '../../../common/complete-multipart';

/** Content-MD5 of a body: base64 of its MD5 digest (RFC 1864). */
export const contentMd5 = (body: string): string => createHash('md5').update(body, 'utf8').digest('base64');

/**
 * The Complete rule, checked before Complete is signed: the parts ListParts reported are exactly
 * the planned ones (checkUploadedParts), and the request's Content-MD5 is the MD5 of the body that
 * lists exactly those parts with their ETags. Content-MD5 is then signed and COS verifies it
 * against the body, so the signature completes that part list and no other (not a subset, not a
 * part uploaded again after the listing). Returns a reason, or null.
 */
export function checkCompleteRequest(
  terms: Pick<UploadTerms, 'size' | 'partSize'>,
  parts: Array<{ partNumber: number; size: number; etag: string }>,
  sentContentMd5: string | undefined,
): string | null {
  const why = checkUploadedParts(terms, parts);
  if (why) return why;
  const expected = contentMd5(completeMultipartBody(parts));
  if (sentContentMd5 === expected) return null;
  return `Content-MD5 is "${sentContentMd5 ?? ''}" but the CompleteMultipartUpload body that lists the uploaded parts 1…${parts.length} with their ETags has Content-MD5 "${expected}"`;
}

/**
 * The parts an uploader declares for a Complete signed ahead (POST /uploads/sign-complete): exactly
 * parts 1 … N of the plan, in order, once each. Their lengths are not checked (nothing is listed
 * yet): they rest on the exact Content-Length every UploadPart of the grant's upload was signed
 * with, and COS refuses a Complete that lists an ETag its part does not have (`InvalidPart`); the
 * README's "Complete signed ahead" says what ListParts checked besides. Returns a reason, or null.
 */
export function checkDeclaredParts(terms: Pick<UploadTerms, 'size' | 'partSize'>, parts: Array<{ partNumber: number }>): string | null {
  const plan = partPlan(terms.size, terms.partSize);
  if (parts.length !== plan.count) return `parts lists ${parts.length} parts but the upload has ${plan.count} (${terms.size} bytes in parts of ${terms.partSize})`;
  const wrong = parts.findIndex((p, i) => p.partNumber !== i + 1);
  return wrong < 0 ? null : `parts[${wrong}].partNumber is ${parts[wrong].partNumber} but must be ${wrong + 1}: parts 1 … ${plan.count} in order, once each`;
}

/**
 * The parts ListParts reported, checked before Complete is signed: exactly parts 1..N of the
 * plan, each of its exact length. Returns a reason, or null when they add up to the grant.
 */
export function checkUploadedParts(terms: Pick<UploadTerms, 'size' | 'partSize'>, parts: Array<{ partNumber: number; size: number }>): string | null {
  const plan = partPlan(terms.size, terms.partSize);
  const total = parts.reduce((n, p) => n + p.size, 0);
  if (total !== terms.size) return `${total} bytes were uploaded but ${terms.size} were authorised`;
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  if (sorted.length !== plan.count) return `${sorted.length} parts were uploaded but the upload has ${plan.count}`;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    if (p.partNumber !== i + 1 || p.size !== plan.length(i + 1)) return `part ${p.partNumber} (${p.size} bytes) is not part ${i + 1} of ${plan.length(i + 1)} bytes`;
  }
  return null;
}
