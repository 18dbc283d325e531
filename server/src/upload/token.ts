import crypto from 'node:crypto';
import { errors } from '@strapi/utils';
import { UPLOAD_ERROR_CODES } from '../../../common/contracts/error-codes';
import { fieldError, type FieldError } from '../../../common/field-error';
import { validationError } from '../utils/validation-error';

/** What an upload token carries, HMAC-signed: the grant of one object key to one admin. */
export interface GrantPayload {
  v: 2;
  /** admin user id the grant was issued to */
  u: string;
  b: string;
  r: string;
  k: string;
  /** the video Content-Type the object is stored with */
  ct: string;
  /** exact size, bytes */
  s: number;
  /** multipart part size, bytes */
  ps: number;
  /**
   * The UploadId of the multipart upload the grant started (files above `ps`): the only upload
   * /uploads/sign and /uploads/sign-parts sign parts, Complete, ListParts or Abort of. Absent for
   * a one-part file (a single PutObject).
   */
  up?: string;
  /** epoch seconds */
  exp: number;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * The HMAC key of upload tokens, derived from the admin JWT secret (`admin.auth.secret`) so every
 * instance behind a load balancer accepts the others' grants; random (this process only) without one.
 */
export function grantSigningKey(adminSecret: string | undefined): Buffer {
  return adminSecret ? crypto.createHmac('sha256', adminSecret).update('cos-video upload grant v2').digest() : crypto.randomBytes(32);
}

/** `<payload>.<mac>`, both base64url. */
export function issueGrantToken(key: Buffer, payload: GrantPayload): string {
  const body = b64url(JSON.stringify(payload));
  return `${body}.${b64url(crypto.createHmac('sha256', key).update(body).digest())}`;
}

/**
 * Why `token` cannot be an upload token (`<payload>.<signature>`, base64url), or null when it has
 * that shape. The error never echoes the value: a token is a credential.
 */
export function tokenShapeError(token: unknown): FieldError | null {
  if (typeof token === 'string' && /^[\w-]+\.[\w-]+$/.test(token)) return null;
  return fieldError('token', token ? '(token)' : token, 'is not an upload token', 'the token returned by POST /cos-video/uploads');
}

/**
 * The grant a token carries, for `userId`. Not a token: ValidationError naming `token`. Forged,
 * of another version, for another user, or expired (unless `allowExpired`): PolicyError
 * `UploadGrantInvalid` (403), so the uploader starts again.
 */
export function readGrantToken(key: Buffer, token: unknown, userId: string, opts: { nowMs: number; allowExpired?: boolean }): GrantPayload {
  const bad = (why: string) => new errors.PolicyError(`The upload authorisation is ${why}. Start the upload again.`, { code: UPLOAD_ERROR_CODES.grantInvalid });
  const shape = tokenShapeError(token);
  if (shape) throw validationError([shape]);
  const [body, sig] = (token as string).split('.');
  const expected = crypto.createHmac('sha256', key).update(body).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw bad('not valid');
  const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as GrantPayload;
  if (p.v !== 2) throw bad('not valid');
  if (p.u !== userId) throw bad('for another user');
  if (!opts.allowExpired && p.exp * 1000 <= opts.nowMs) throw bad('expired');
  return p;
}
