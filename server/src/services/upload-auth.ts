import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { UploadedObject, UploadGrant, UploadSignature } from '../../../common/contracts/admin-api';
import { UPLOAD_ERROR_CODES } from '../../../common/contracts/error-codes';
import { fieldError, type FieldError } from '../../../common/field-error';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { getPluginConfig } from '../config/read';
import { GENERIC_CONTENT_TYPES, isVideoContentType, isVideoKey } from '../../../common/video-types';
import type { CosService, ObjectLocation } from './cos';
import { validationError } from './cos-validation';
import { checkUploadedParts, decideUploadRequest, partSizeFor, WRITE_OPERATIONS } from './upload-policy';

/**
 * Direct browser → COS uploads without the secret leaving the server:
 * `create` grants ONE new object key under uploadPrefix for one video file (type + exact size)
 * as an HMAC token; `sign` then signs only the requests cos-js-sdk-v5 makes to upload that key,
 * with the headers that bound the upload decided here and signed (see upload-policy.ts), so COS
 * refuses a request that differs; `complete` checks the finished object against the grant and
 * deletes it when it breaks it. A grant writes its key once: `x-cos-forbid-overwrite: true` is
 * signed into every write, and no write is signed once the object exists.
 * Refusals are PolicyErrors (403): Strapi replaces a plain ForbiddenError's message with "Forbidden".
 */

interface GrantPayload {
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
  /** epoch seconds */
  exp: number;
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
// For files the browser gives no type: the type the object is stored with, from the extension.
const TYPE_BY_EXT: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EXT_BY_TYPE).map(([t, e]) => [e, t])),
  '.qt': 'video/quicktime', '.mpeg': 'video/mpeg', '.f4v': 'video/x-f4v', '.3g2': 'video/3gpp2',
  '.m2ts': 'video/mp2t', '.mts': 'video/mp2t', '.m3u8': 'application/x-mpegurl',
};
/** A signature is valid this long (or less, when the grant ends sooner). */
export const SIGNATURE_TTL_S = 600;
/** Grant lifetime grows with the file (~256 KiB/s), between 15 min and 6 h. */
export const grantTtlSeconds = (size: number): number => Math.min(6 * 3600, Math.max(900, Math.ceil(size / 262_144)));

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
        ? crypto.createHmac('sha256', secret).update('cos-video upload grant v2').digest()
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
      new errors.PolicyError(`The upload authorisation is ${why}. Start the upload again.`, { code: UPLOAD_ERROR_CODES.grantInvalid });
    if (typeof token !== 'string' || !/^[\w-]+\.[\w-]+$/.test(token)) throw validationError([fieldError('token', token ? '(token)' : token, 'is not an upload token', 'the token returned by POST /cos-video/uploads')]);
    const [body, sig] = token.split('.');
    const expected = mac(body);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw bad('not valid');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as GrantPayload;
    if (p.v !== 2) throw bad('not valid');
    if (p.u !== userId) throw bad('for another user');
    if (p.exp * 1000 <= Date.now()) throw bad('expired');
    return p;
  }

  const locationOf = (g: GrantPayload): ObjectLocation => ({ bucket: g.b, region: g.r, key: g.k });

  /**
   * The object at the grant's key against the grant: null when there is none yet; the object when
   * it matches; otherwise it is deleted and a PolicyError names what broke the grant.
   */
  async function audit(g: GrantPayload): Promise<UploadedObject | null> {
    const loc = locationOf(g);
    const head = await cos().headObject(loc);
    if (!head) return null;
    const type = (head.contentType ?? '').split(';')[0].trim().toLowerCase();
    const broken = [
      ...(head.size !== g.s ? [`it has ${head.size} bytes but ${g.s} were granted`] : []),
      ...(type !== g.ct ? [`its Content-Type is "${head.contentType}" but "${g.ct}" was granted`] : []),
    ];
    if (broken.length) {
      await cos().deleteObject(loc);
      strapi.log.warn(`[cos-video] deleted ${g.b}/${g.k}: the upload broke its grant (${broken.join('; ')})`);
      throw new errors.PolicyError(`The uploaded object "${g.k}" broke its upload grant: ${broken.join('; ')}. It was deleted.`, { code: UPLOAD_ERROR_CODES.brokeGrant });
    }
    return { ...loc, size: head.size, contentType: head.contentType, etag: head.etag };
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
      const storedType = isVideoContentType(contentType as string)
        ? (contentType as string).split(';')[0].trim().toLowerCase()
        : TYPE_BY_EXT[objectKey.slice(objectKey.lastIndexOf('.')).toLowerCase()] ?? 'video/mp4';
      const exp = Math.floor(now.getTime() / 1000) + grantTtlSeconds(size as number);
      const partSize = partSizeFor(size as number);
      const token = issueToken({ v: 2, u: userId, b: c.bucket, r: c.region, k: objectKey, ct: storedType, s: size as number, ps: partSize, exp });
      return {
        token,
        bucket: c.bucket,
        region: c.region,
        key: objectKey,
        contentType: storedType,
        size: size as number,
        partSize,
        expiresAt: new Date(exp * 1000).toISOString(),
        sdk: { ...(c.domain ? { Domain: c.domain } : {}), Protocol: c.protocol },
      };
    },

    /** POST /uploads/sign: the Authorization for one request of that upload, or 403. */
    async sign(body: unknown, userId: string): Promise<UploadSignature> {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const grant = readToken(b.token, userId);
      const req = parseSignRequest(b);
      const loc = locationOf(grant);
      const refuse = (why: string) =>
        new errors.PolicyError(`Refused to sign ${req.method} ${req.pathname}: ${why}. This upload may only write "${grant.k}".`, { code: UPLOAD_ERROR_CODES.requestRefused });

      const terms = { key: grant.k, contentType: grant.ct, size: grant.s, partSize: grant.ps, host: cos().bucketHost(loc) };
      const decision = decideUploadRequest(terms, { method: req.method, pathname: req.pathname, query: lowerKeys(req.query), headers: lowerKeys(req.headers) });
      if (!decision.allowed) throw refuse(decision.reason);

      if (WRITE_OPERATIONS.has(decision.operation)) {
        // Stateless "once": the key is fresh, so an object there means this grant was used (or abused).
        if (await audit(grant)) throw refuse('the upload has completed and a grant writes its key only once');
      }
      if (decision.operation === 'CompleteMultipartUpload') {
        // The parts must be exactly the planned ones; the Complete XML itself is not signed, so `complete` re-checks the object.
        const why = checkUploadedParts(terms, await cos().uploadedParts(loc, decision.uploadId!));
        if (why) throw refuse(why);
      }

      const left = grant.exp - Math.floor(Date.now() / 1000);
      return cos().authorize({ ...loc, method: req.method.toLowerCase(), pathname: req.pathname, query: req.query, headers: decision.headers, expiresIn: Math.min(SIGNATURE_TTL_S, left) });
    },

    /**
     * POST /uploads/complete: after the SDK finished, checks the object COS stored against the
     * grant (exact size, Content-Type). An object that breaks it is deleted (403 UploadBrokeGrant);
     * no object yet is a 404. Expired grants may still be completed: the check only protects.
     */
    async complete(body: unknown, userId: string): Promise<UploadedObject> {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const grant = readTokenAllowExpired(b.token, userId);
      const found = await audit(grant);
      if (!found) throw new errors.NotFoundError(`The upload of "${grant.k}" has not completed: COS has no object at that key yet.`);
      return found;
    },
  };

  function readTokenAllowExpired(token: unknown, userId: string): GrantPayload {
    try {
      return readToken(token, userId);
    } catch (e) {
      if (!(e instanceof errors.PolicyError) || !/expired/.test(e.message)) throw e;
      const [body] = String(token).split('.');
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as GrantPayload;
    }
  }
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
