import { UPLOAD_PARTS_PER_BATCH, type CompleteUploadRequest, type CreateUploadRequest, type SignUploadCompleteRequest, type SignUploadPartsRequest, type SignUploadRequest } from '../../../../common/contracts/admin-api';
import { PART_ETAG_PATTERN } from '../../../../common/complete-multipart';
import { fieldError, type FieldError } from '../../../../common/field-error';
import { checkUploadFile, MAX_PART_NUMBER } from '../../upload/policy';
import { tokenShapeError } from '../../upload/token';
import { validationError } from '../../utils/validation-error';
import { jsonObject, throwIfAny } from './body';

/** A checked POST /uploads/sign body: method upper-cased, query and header values flattened to strings (names as sent). */
export interface CheckedSignRequest extends SignUploadRequest {
  query: Record<string, string>;
  headers: Record<string, string>;
}

/**
 * POST /uploads body: `fileName` (1–255 characters), `size` (bytes, 1..maxUploadSize) and a video
 * `contentType`; the rule itself is upload/policy.ts checkUploadFile (pure, table-tested).
 */
export function validateCreateUploadBody(body: unknown, maxUploadSize: number): CreateUploadRequest {
  const file = checkUploadFile(jsonObject(body), maxUploadSize);
  if (!file.ok) throw validationError(file.errors);
  return file.value;
}

/**
 * POST /uploads/sign body: `token` (shape only: whether it grants this request is the service's
 * decision), `method` (GET, HEAD, PUT, POST or DELETE, any case), `pathname` (starts with "/"),
 * `query` / `headers` (objects of string, number or boolean values; null values are dropped).
 */
export function validateSignUploadBody(body: unknown): CheckedSignRequest {
  const b = jsonObject(body);
  const problems: FieldError[] = [];
  const token = tokenShapeError(b.token);
  if (token) problems.push(token);
  const method = typeof b.method === 'string' ? b.method.toUpperCase() : '';
  if (!['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method)) {
    problems.push(fieldError('method', b.method, 'is not an HTTP method of an upload', 'GET, HEAD, PUT, POST or DELETE'));
  }
  if (typeof b.pathname !== 'string' || !b.pathname.startsWith('/')) {
    problems.push(fieldError('pathname', b.pathname, 'must be a path', 'the request path starting with "/", e.g. "/videos/intro.mp4"'));
  }
  const flat = (name: 'query' | 'headers'): Record<string, string> => {
    const v = b[name] ?? {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problems.push(fieldError(name, v, 'must be an object', 'an object of string values'));
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null) continue;
      if (typeof x === 'object') {
        problems.push(fieldError(`${name}.${k}`, x, 'must be a string', 'a string, number or boolean'));
        continue;
      }
      out[k] = String(x);
    }
    return out;
  };
  const query = flat('query');
  const headers = flat('headers');
  throwIfAny(problems);
  return { token: b.token as string, method, pathname: b.pathname as string, query, headers };
}

/**
 * What the bodies naming the grant's multipart upload share (/uploads/sign-parts and
 * /uploads/sign-complete): `token` (shape), `key` and `uploadId` (non-empty strings; whether they
 * are this grant's is the service's decision). The problems found, each naming its field.
 */
function grantUploadProblems(b: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  const token = tokenShapeError(b.token);
  if (token) problems.push(token);
  if (typeof b.key !== 'string' || b.key === '') {
    problems.push(fieldError('key', b.key, 'must be an object key', 'the key POST /cos-video/uploads granted, e.g. "videos/2026/11/30/…-intro.mp4"'));
  }
  // COS upload ids are URL-safe; anything else cannot be one and would only confuse the signed query.
  if (typeof b.uploadId !== 'string' || !/^[\w.~-]{1,256}$/.test(b.uploadId)) {
    problems.push(fieldError('uploadId', b.uploadId, 'is not a multipart upload id', 'the UploadId COS answered to InitiateMultipartUpload'));
  }
  return problems;
}

/**
 * POST /uploads/sign-parts body: `token` (shape), `key` and `uploadId` (non-empty strings; whether
 * they are this grant's is the service's decision), `firstPart` (integer 1–10000) and `count`
 * (integer 1–UPLOAD_PARTS_PER_BATCH).
 */
export function validateSignUploadPartsBody(body: unknown): SignUploadPartsRequest {
  const b = jsonObject(body);
  const problems = grantUploadProblems(b);
  const int = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
  if (!int(b.firstPart, MAX_PART_NUMBER)) {
    problems.push(fieldError('firstPart', b.firstPart, 'must be a part number', `an integer from 1 to ${MAX_PART_NUMBER}`));
  }
  if (!int(b.count, UPLOAD_PARTS_PER_BATCH)) {
    problems.push(fieldError('count', b.count, 'must be a number of parts', `an integer from 1 to ${UPLOAD_PARTS_PER_BATCH} (parts signed per request)`));
  }
  throwIfAny(problems);
  return { token: b.token as string, key: b.key as string, uploadId: b.uploadId as string, firstPart: b.firstPart as number, count: b.count as number };
}

/**
 * POST /uploads/sign-complete body: `token` (shape), `key` and `uploadId` (as /uploads/sign-parts;
 * whether they are this grant's is the service's decision) and `parts`: an array of 1 to
 * MAX_PART_NUMBER `{ partNumber, etag }`, each partNumber an integer 1–MAX_PART_NUMBER and each
 * etag an MD5 in lower-case hex, quoted or not (whether they are the grant's parts 1 … N is the
 * service's decision too). Each problem is named by its path, e.g. `parts[2].etag`.
 */
export function validateSignUploadCompleteBody(body: unknown): SignUploadCompleteRequest {
  const b = jsonObject(body);
  const problems = grantUploadProblems(b);
  const parts: Array<{ partNumber: number; etag: string }> = [];
  if (!Array.isArray(b.parts) || b.parts.length === 0 || b.parts.length > MAX_PART_NUMBER) {
    problems.push(fieldError('parts', Array.isArray(b.parts) ? `${b.parts.length} parts` : b.parts, 'must list the parts', `an array of 1 to ${MAX_PART_NUMBER} { partNumber, etag }`));
  } else {
    b.parts.forEach((p: unknown, i: number) => {
      const part = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      const n = part.partNumber;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
        problems.push(fieldError(`parts[${i}].partNumber`, n, 'must be a part number', `an integer from 1 to ${MAX_PART_NUMBER}`));
      }
      if (typeof part.etag !== 'string' || !PART_ETAG_PATTERN.test(part.etag)) {
        problems.push(fieldError(`parts[${i}].etag`, part.etag, 'is not a part ETag', 'the MD5 of the part in lower-case hex, quoted or not, e.g. "\"9e107d9d372bb6826bd81d3542a419d6\""'));
      }
      parts.push({ partNumber: n as number, etag: part.etag as string });
    });
  }
  throwIfAny(problems);
  return { token: b.token as string, key: b.key as string, uploadId: b.uploadId as string, parts };
}

/** POST /uploads/complete body: `token`, the one POST /uploads returned. */
export function validateCompleteUploadBody(body: unknown): CompleteUploadRequest {
  const b = jsonObject(body);
  const token = tokenShapeError(b.token);
  throwIfAny(token ? [token] : []);
  return { token: b.token as string };
}
