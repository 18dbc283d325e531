import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { fieldError, type FieldError } from '../../../common/field-error';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { getPluginConfig } from '../config/read';
import { GENERIC_CONTENT_TYPES, isVideoContentType, isVideoKey } from '../../../common/video-types';
import type { CosService, ObjectLocation } from './cos';
import { validationError } from './cos-validation';

/**
 * Direct browser → COS uploads without the secret leaving the server:
 * `create` grants ONE new object key under uploadPrefix for one video file (type + size checked)
 * as an HMAC token; `sign` then signs only the requests cos-js-sdk-v5 makes to upload that key
 * (simple PUT, or multipart init/part/complete/list/abort and ListMultipartUploads for that
 * prefix), each signature valid for minutes.
 * Refusals are PolicyErrors (403): Strapi replaces a plain ForbiddenError's message with "Forbidden".
 */

interface GrantPayload {
  v: 1;
  /** admin user id the grant was issued to */
  u: string;
  b: string;
  r: string;
  k: string;
  ct: string;
  s: number;
  /** epoch seconds */
  exp: number;
}

export interface UploadGrant {
  token: string;
  bucket: string;
  region: string;
  key: string;
  expiresAt: string;
  sdk: { Domain?: string; Protocol: string };
}

export interface SignRequest {
  token: string;
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

const EXT_BY_TYPE: Record<string, string> = {
  'video/mp4': '.mp4', 'video/quicktime': '.mov', 'video/webm': '.webm', 'video/x-matroska': '.mkv',
  'video/x-msvideo': '.avi', 'video/x-flv': '.flv', 'video/mpeg': '.mpg', 'video/3gpp': '.3gp',
  'video/x-m4v': '.m4v', 'video/ogg': '.ogv', 'video/mp2t': '.ts', 'video/x-ms-wmv': '.wmv',
};
/** A signature is valid this long (or less, when the grant ends sooner). */
export const SIGNATURE_TTL_S = 600;
/** Grant lifetime grows with the file (~256 KiB/s), between 15 min and 6 h. */
export const grantTtlSeconds = (size: number): number => Math.min(6 * 3600, Math.max(900, Math.ceil(size / 262_144)));
const MAX_PART_SIZE = 5 * 1024 ** 3;

// Signed request headers an upload may carry; every other x-cos-*/x-ci-* (acl, grants, copy source…) is refused.
const ALLOWED_COS_HEADERS = new Set(['x-cos-traffic-limit', 'x-cos-forbid-overwrite', 'x-cos-sdk-retry', 'x-cos-security-token']);
const ALLOWED_PLAIN_HEADERS = new Set([
  'host', 'content-type', 'content-length', 'content-md5', 'cache-control', 'content-disposition', 'content-encoding',
  'expires', 'expect', 'origin', 'range', 'transfer-encoding', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since',
]);
// Headers the SDKs never sign (cos-js-sdk-v5 / cos-nodejs-sdk-v5 getSignHeaderObj): ignored here too.
const isSignedHeader = (h: string) => h.startsWith('x-cos-') || h.startsWith('x-ci-') || ALLOWED_PLAIN_HEADERS.has(h) || h === 'pic-operations';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function safeFileName(fileName: string, contentType: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  let ext = dot > 0 ? base.slice(dot).toLowerCase() : '';
  if (!isVideoKey(`x${ext}`)) ext = EXT_BY_TYPE[contentType.toLowerCase()] ?? ext;
  const cleanStem = stem
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  const cleanExt = ext.replace(/[^a-z0-9.]/g, '').slice(0, 10);
  return `${cleanStem || 'video'}${cleanExt}`;
}

function lowerKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

export function createUploadAuthService(strapi: Core.Strapi) {
  const cos = () => strapi.plugin(PLUGIN_ID).service('cos') as unknown as CosService;
  const config = () => getPluginConfig(strapi);
  let hmacKey: Buffer | undefined;
  // Derived from the admin JWT secret so every instance behind a load balancer accepts the grant.
  const key = (): Buffer => {
    if (!hmacKey) {
      const secret = strapi.config.get('admin.auth.secret') as string | undefined;
      hmacKey = secret
        ? crypto.createHmac('sha256', secret).update('cos-video upload grant v1').digest()
        : crypto.randomBytes(32);
    }
    return hmacKey;
  };
  const mac = (payload: string) => crypto.createHmac('sha256', key()).update(payload).digest();

  function issueToken(p: GrantPayload): string {
    const body = b64url(JSON.stringify(p));
    return `${body}.${b64url(mac(body))}`;
  }

  function readToken(token: unknown, userId: string): GrantPayload {
    const bad = (why: string) =>
      new errors.PolicyError(`The upload authorisation is ${why}. Start the upload again.`, { code: 'UploadGrantInvalid' });
    if (typeof token !== 'string' || !/^[\w-]+\.[\w-]+$/.test(token)) throw validationError([fieldError('token', token ? '(token)' : token, 'is not an upload token', 'the token returned by POST /cos-video/uploads')]);
    const [body, sig] = token.split('.');
    const expected = mac(body);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw bad('not valid');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as GrantPayload;
    if (p.v !== 1) throw bad('not valid');
    if (p.u !== userId) throw bad('for another user');
    if (p.exp * 1000 <= Date.now()) throw bad('expired');
    return p;
  }

  return {
    /** POST /uploads: validates the file and grants one fresh key under uploadPrefix. */
    async create(body: unknown, userId: string): Promise<UploadGrant> {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const c = config();
      const problems: FieldError[] = [];
      const { fileName, size, contentType } = b;
      if (typeof fileName !== 'string' || fileName.trim() === '' || fileName.length > 255) {
        problems.push(fieldError('fileName', fileName, 'must be a file name', 'a non-empty file name of at most 255 characters, e.g. "intro.mp4"'));
      }
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
        problems.push(fieldError('size', size, 'must be a positive integer', `the file size in bytes, at most ${c.maxUploadSize} (maxUploadSize)`));
      } else if (size > c.maxUploadSize) {
        problems.push(fieldError('size', size, 'is larger than the upload limit', `at most ${c.maxUploadSize} bytes (maxUploadSize)`));
      }
      // Browsers give some videos no type (e.g. .mkv): then the file name's extension decides.
      const untypedVideo = typeof contentType === 'string' && GENERIC_CONTENT_TYPES.includes(contentType.toLowerCase()) && typeof fileName === 'string' && isVideoKey(fileName);
      if (typeof contentType !== 'string' || (!isVideoContentType(contentType) && !untypedVideo)) {
        problems.push(fieldError('contentType', contentType, 'is not a video type', 'a video content type such as "video/mp4", "video/quicktime" or "video/webm" (or an untyped file named *.mp4, *.mov, …)'));
      }
      if (problems.length) throw validationError(problems);

      await cos().ready();
      const now = new Date();
      const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
      const objectKey = `${c.uploadPrefix}${day}/${crypto.randomBytes(6).toString('hex')}-${safeFileName(fileName as string, contentType as string)}`;
      const exp = Math.floor(now.getTime() / 1000) + grantTtlSeconds(size as number);
      const token = issueToken({ v: 1, u: userId, b: c.bucket, r: c.region, k: objectKey, ct: (contentType as string).toLowerCase(), s: size as number, exp });
      return {
        token,
        bucket: c.bucket,
        region: c.region,
        key: objectKey,
        expiresAt: new Date(exp * 1000).toISOString(),
        sdk: { ...(c.domain ? { Domain: c.domain } : {}), Protocol: c.protocol },
      };
    },

    /** POST /uploads/sign: the Authorization for one request of that upload, or 403. */
    async sign(body: unknown, userId: string): Promise<{ authorization: string; securityToken?: string }> {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const grant = readToken(b.token, userId);
      const req = parseSignRequest(b);
      const loc: ObjectLocation = { bucket: grant.b, region: grant.r, key: grant.k };
      const refuse = (why: string) =>
        new errors.PolicyError(`Refused to sign ${req.method} ${req.pathname}: ${why}. This upload may only write "${grant.k}".`, { code: 'UploadRequestRefused' });

      const headers = lowerKeys(req.headers);
      for (const h of Object.keys(headers)) {
        if (!isSignedHeader(h)) continue;
        const ok = ALLOWED_PLAIN_HEADERS.has(h) || ALLOWED_COS_HEADERS.has(h) || h.startsWith('x-cos-meta-');
        if (!ok) throw refuse(`header "${h}" is not allowed in an upload`);
      }
      // Without a signed Host the signature would be valid for the same path in any bucket.
      if (headers.host !== cos().bucketHost(loc)) throw refuse(`the Host header must be "${cos().bucketHost(loc)}"`);

      const q = lowerKeys(req.query);
      const keys = Object.keys(q).sort();
      const only = (...allowed: string[]) => keys.every((k) => allowed.includes(k));
      const has = (...required: string[]) => required.every((k) => keys.includes(k));
      // The SDK sends the file's own type, or none when the browser does not know it.
      const sentType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const typeOk = () => sentType === '' || sentType === grant.ct || isVideoContentType(sentType);
      const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      const method = req.method;

      if (req.pathname === '/') {
        const listsUploads = method === 'GET' && has('uploads') && q.prefix === grant.k &&
          only('uploads', 'prefix', 'delimiter', 'encoding-type', 'max-uploads', 'key-marker', 'upload-id-marker');
        if (!listsUploads) throw refuse('only listing the multipart uploads of this key is allowed on the bucket');
      } else if (req.pathname !== `/${grant.k}`) {
        throw refuse('another object key');
      } else if (method === 'PUT' && keys.length === 0) {
        if (!typeOk()) throw refuse(`Content-Type must be a video type such as "${grant.ct}"`);
        if (length === undefined || !Number.isInteger(length) || length > grant.s) throw refuse(`Content-Length must be at most ${grant.s}`);
      } else if (method === 'POST' && has('uploads') && only('uploads')) {
        if (!typeOk()) throw refuse(`Content-Type must be a video type such as "${grant.ct}"`);
      } else if (method === 'PUT' && has('partnumber', 'uploadid') && only('partnumber', 'uploadid')) {
        const part = Number(q.partnumber);
        if (!Number.isInteger(part) || part < 1 || part > 10000) throw refuse('partNumber must be 1 to 10000');
        if (length !== undefined && (!Number.isInteger(length) || length > Math.min(grant.s, MAX_PART_SIZE))) {
          throw refuse(`a part may be at most ${Math.min(grant.s, MAX_PART_SIZE)} bytes`);
        }
      } else if (method === 'POST' && has('uploadid') && only('uploadid')) {
        // Completing is the last chance to enforce the size: COS knows what was really uploaded.
        const uploaded = await cos().uploadedPartsSize(loc, q.uploadid);
        if (uploaded.size > grant.s) throw refuse(`${uploaded.size} bytes were uploaded but ${grant.s} were authorised`);
      } else if (method === 'GET' && has('uploadid') && only('uploadid', 'encoding-type', 'max-parts', 'part-number-marker')) {
        // ListParts (resume)
      } else if (method === 'DELETE' && has('uploadid') && only('uploadid')) {
        // AbortMultipartUpload (cancel)
      } else if (method === 'HEAD' && keys.length === 0) {
        // HeadObject of the upload's own key
      } else {
        throw refuse('not an upload request');
      }

      const left = grant.exp - Math.floor(Date.now() / 1000);
      return cos().authorize({ ...loc, method: method.toLowerCase(), pathname: req.pathname, query: req.query, headers: req.headers, expiresIn: Math.min(SIGNATURE_TTL_S, left) });
    },
  };
}

/** Shape check of the SDK's getAuthorization options as the admin forwards them. */
function parseSignRequest(b: Record<string, unknown>): Omit<SignRequest, 'token'> {
  const problems: FieldError[] = [];
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
  if (problems.length) throw validationError(problems);
  return { method, pathname: b.pathname as string, query, headers };
}

export type UploadAuthService = ReturnType<typeof createUploadAuthService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createUploadAuthService(strapi);
