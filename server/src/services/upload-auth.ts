import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  UPLOAD_PARTS_PER_BATCH,
  type CompleteUploadRequest, type CreateUploadRequest, type PresignedUploadRequest, type SignUploadCompleteRequest, type SignUploadPartsRequest, type UploadedObject, type UploadGrant, type UploadPartSignatures, type UploadSignature,
} from '../../../common/contracts/admin-api';
import { UPLOAD_ERROR_CODES } from '../../../common/contracts/error-codes';
import { getPluginConfig } from '../config/read';
import type { ObjectLocation } from './cos';
import { CosError } from '../cos/errors';
import { safeFileName, storedContentType } from '../upload/file-name';
import {
  checkCompleteRequest, checkDeclaredParts, completeMultipartBody, contentMd5, decideUploadRequest, grantBreaches, grantTtlSeconds, partPlan, partSizeFor, SIGNATURE_TTL_S, WRITE_OPERATIONS,
  type UploadTerms,
} from '../upload/policy';
import { lowerKeys } from '../upload/policy';
import type { CheckedSignRequest } from '../controllers/validation/upload';
import { grantSigningKey, issueGrantToken, readGrantToken, type GrantPayload } from '../upload/token';
import { getService } from '../utils/get-service';

/**
 * Direct browser → COS uploads without the secret leaving the server:
 * `create` grants ONE new object key under uploadPrefix for one video file (type + exact size)
 * as an HMAC token — for a multipart file it also starts the multipart upload and binds its
 * UploadId into the token; `sign` then signs only the requests cos-js-sdk-v5 makes to upload that key,
 * with the headers that bound the upload decided and signed by upload/policy.ts, so COS
 * refuses a request that differs (Complete: the Content-MD5 of the listed parts' body, so COS
 * completes exactly those parts); `complete` checks the finished object against the grant and
 * deletes it when it breaks it — a second line the field runs in the background. A grant writes its key once: `x-cos-forbid-overwrite: true` is
 * signed into every write, and no write is signed once the object exists.
 * Refusals are PolicyErrors (403): Strapi replaces a plain ForbiddenError's message with "Forbidden".
 */

export function createUploadAuthService(strapi: Core.Strapi) {
  const cos = () => getService(strapi, 'cos');
  const config = () => getPluginConfig(strapi);
  let signingKey: Buffer | undefined;
  const key = (): Buffer => (signingKey ??= grantSigningKey(strapi.config.get('admin.auth.secret') as string | undefined));
  const readToken = (token: unknown, userId: string, allowExpired = false): GrantPayload =>
    readGrantToken(key(), token, userId, { nowMs: Date.now(), allowExpired });

  const locationOf = (g: GrantPayload): ObjectLocation => ({ bucket: g.b, region: g.r, key: g.k });

  /**
   * The object at the grant's key against the grant: null when there is none yet; the object when
   * it matches; otherwise it is deleted and a PolicyError names what broke the grant.
   */
  async function audit(g: GrantPayload): Promise<UploadedObject | null> {
    const loc = locationOf(g);
    const head = await cos().headObject(loc);
    if (!head) return null;
    const broken = grantBreaches({ size: g.s, contentType: g.ct }, head);
    if (broken.length) {
      await cos().deleteObject(loc);
      strapi.log.warn(`[cos-video] deleted ${g.b}/${g.k}: the upload broke its grant (${broken.join('; ')})`);
      throw new errors.PolicyError(`The uploaded object "${g.k}" broke its upload grant: ${broken.join('; ')}. It was deleted.`, { code: UPLOAD_ERROR_CODES.brokeGrant });
    }
    return { ...loc, size: head.size, contentType: head.contentType, etag: head.etag };
  }

  /**
   * The UploadPart Authorizations of parts first … last of `uploadId`, each exactly what
   * /uploads/sign signs for that part (the one policy decides: Host, the part's exact Content-Length,
   * the query partNumber + uploadId), valid `expiresIn` seconds.
   */
  async function signPartRange(terms: UploadTerms, loc: ObjectLocation, uploadId: string, first: number, last: number, expiresIn: number): Promise<UploadPartSignatures> {
    const expiresAt = new Date(Date.now() + expiresIn * 1000).toISOString();
    const parts: UploadPartSignatures['parts'] = [];
    let securityToken: string | undefined;
    for (let partNumber = first; partNumber <= last; partNumber++) {
      const query = { partNumber: String(partNumber), uploadId };
      const decision = decideUploadRequest(terms, { method: 'PUT', pathname: `/${terms.key}`, query: lowerKeys(query), headers: { host: terms.host } });
      // The callers check the part range first, so this is unreachable; kept so the policy stays the one rule.
      if (!decision.allowed) throw new errors.PolicyError(`Refused to sign upload parts: ${decision.reason}. This upload may only write "${terms.key}".`, { code: UPLOAD_ERROR_CODES.requestRefused });
      const signed = await cos().authorize({ ...loc, method: 'put', pathname: `/${terms.key}`, query, headers: decision.headers, expiresIn });
      parts.push({ partNumber, authorization: signed.authorization });
      securityToken = signed.securityToken;
    }
    return { parts, ...(securityToken ? { securityToken } : {}), expiresAt };
  }

  return {
    /** POST /uploads: grants one fresh key under uploadPrefix for the file (checked by the controller against maxUploadSize). */
    async create(file: CreateUploadRequest, userId: string): Promise<UploadGrant> {
      const c = config();
      const { fileName, size, contentType } = file;

      await cos().ready();
      const now = new Date();
      const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
      const objectKey = `${c.uploadPrefix}${day}/${crypto.randomBytes(6).toString('hex')}-${safeFileName(fileName, contentType)}`;
      const storedType = storedContentType(contentType, objectKey);
      const exp = Math.floor(now.getTime() / 1000) + grantTtlSeconds(size);
      const partSize = partSizeFor(size);
      const loc = { bucket: c.bucket, region: c.region, key: objectKey };
      const terms = { key: objectKey, contentType: storedType, size, partSize, host: cos().bucketHost(loc) };
      const expiresIn = Math.min(SIGNATURE_TTL_S, exp - Math.floor(now.getTime() / 1000));
      const expiresAt = new Date(now.getTime() + expiresIn * 1000).toISOString();
      const presigned: PresignedUploadRequest[] = [];
      let uploadId: string | undefined;
      let parts: UploadPartSignatures | undefined;
      if (size > partSize) {
        // cos-js-sdk-v5's uploadFile goes multipart above SliceSize (= partSize). Its own start is two
        // serial COS round trips from the browser (list the key's uploads, then initiate); the server
        // initiates here instead (no video bytes), binds the UploadId into the token and hands over the
        // first part batch, so part 1 waits for nothing. The key was made just now, so the "writes
        // once" check (no object at the key) holds without asking COS, and Initiate's
        // x-cos-forbid-overwrite makes COS refuse to complete this upload over an object anyway.
        uploadId = await cos().initiateMultipartUpload(loc, storedType);
        const plan = partPlan(size, partSize);
        parts = await signPartRange(terms, loc, uploadId, 1, Math.min(plan.count, UPLOAD_PARTS_PER_BATCH), expiresIn);
      } else {
        // A one-part file is a single PutObject, signed here under the policy of /uploads/sign.
        const req = { method: 'PUT', pathname: `/${objectKey}`, query: {}, headers: { host: terms.host } };
        const decision = decideUploadRequest(terms, req);
        if (!decision.allowed) throw new Error(`cos-video: the policy refused the upload's PutObject: ${decision.reason}`);
        const signed = await cos().authorize({ ...loc, method: 'put', pathname: req.pathname, query: req.query, headers: decision.headers, expiresIn });
        presigned.push({ ...req, headers: decision.headers, ...signed, expiresAt });
      }
      const token = issueGrantToken(key(), { v: 2, u: userId, b: c.bucket, r: c.region, k: objectKey, ct: storedType, s: size, ps: partSize, exp, ...(uploadId ? { up: uploadId } : {}) });
      return {
        token,
        bucket: c.bucket,
        region: c.region,
        key: objectKey,
        contentType: storedType,
        size: size,
        partSize,
        expiresAt: new Date(exp * 1000).toISOString(),
        sdk: { ...(c.domain ? { Domain: c.domain } : {}), Protocol: c.protocol },
        presigned,
        ...(uploadId && parts ? { uploadId, parts } : {}),
      };
    },

    /** POST /uploads/sign: the Authorization for one request of that upload, or 403. */
    async sign(req: CheckedSignRequest, userId: string): Promise<UploadSignature> {
      const grant = readToken(req.token, userId);
      const loc = locationOf(grant);
      const refuse = (why: string) =>
        new errors.PolicyError(`Refused to sign ${req.method} ${req.pathname}: ${why}. This upload may only write "${grant.k}".`, { code: UPLOAD_ERROR_CODES.requestRefused });

      const terms = { key: grant.k, contentType: grant.ct, size: grant.s, partSize: grant.ps, host: cos().bucketHost(loc) };
      const decision = decideUploadRequest(terms, { method: req.method, pathname: req.pathname, query: lowerKeys(req.query), headers: lowerKeys(req.headers) });
      if (!decision.allowed) throw refuse(decision.reason);
      if (grant.up) {
        // The grant started its multipart upload: no second one, and no request for any other upload.
        if (decision.operation === 'InitiateMultipartUpload') throw refuse(`this upload's multipart upload was started when it was granted (uploadId "${grant.up}"); no other is started`);
        // Its object is written by that upload's Complete, once: a PutObject would be a second way to write the key.
        if (decision.operation === 'PutObject') throw refuse(`this upload's object is written by the Complete of the multipart upload started when it was granted (uploadId "${grant.up}"), not by a PutObject`);
        if (decision.uploadId !== undefined && decision.uploadId !== grant.up) throw refuse(`uploadId "${decision.uploadId}" is not the multipart upload this grant started ("${grant.up}")`);
      }

      // Complete needs both checks: asked side by side (one COS round trip on the editor's path, not two).
      const [existing, listed] = await Promise.all([
        // Stateless "once": the key is fresh, so an object there means this grant was used (or abused).
        WRITE_OPERATIONS.has(decision.operation) ? audit(grant) : null,
        decision.operation === 'CompleteMultipartUpload'
          ? cos().uploadedParts(loc, decision.uploadId!).then((parts) => ({ parts }), (error: unknown) => ({ error }))
          : null,
      ]);
      if (existing) throw refuse('the upload has completed and a grant writes its key only once');
      if (listed && 'error' in listed) throw listed.error;
      if (listed) {
        // Exactly the planned parts, and the Content-MD5 of the body listing them with their ETags:
        // signed, so COS completes this part list or nothing (a subset, a part uploaded again since).
        const why = checkCompleteRequest(terms, listed.parts, decision.headers['content-md5']);
        if (why) throw refuse(why);
      }

      const left = grant.exp - Math.floor(Date.now() / 1000);
      return cos().authorize({ ...loc, method: req.method.toLowerCase(), pathname: req.pathname, query: req.query, headers: decision.headers, expiresIn: Math.min(SIGNATURE_TTL_S, left) });
    },

    /**
     * POST /uploads/sign-parts: the UploadPart Authorizations of parts firstPart … firstPart+count-1
     * in one answer (the browser caches them), each exactly what /uploads/sign would sign for that
     * part (same policy: this key, this uploadId, Host and the part's exact Content-Length). Refused
     * (403, the message naming the field): another key, another uploadId than the one the grant
     * started (without asking COS), parts past the upload's last, an expired grant, or a completed
     * object. One COS request per batch: the HEAD of the "writes once" rule.
     */
    async signParts(req: SignUploadPartsRequest, userId: string): Promise<UploadPartSignatures> {
      const grant = readToken(req.token, userId);
      const loc = locationOf(grant);
      const refuse = (why: string) =>
        new errors.PolicyError(`Refused to sign upload parts: ${why}. This upload may only write "${grant.k}".`, { code: UPLOAD_ERROR_CODES.requestRefused });
      if (req.key !== grant.k) throw refuse(`key "${req.key}" is not the key this upload was granted`);
      if (grant.up && req.uploadId !== grant.up) throw refuse(`uploadId "${req.uploadId}" is not the multipart upload this grant started ("${grant.up}")`);
      const plan = partPlan(grant.s, grant.ps);
      const last = req.firstPart + req.count - 1;
      if (last > plan.count) {
        throw refuse(`firstPart ${req.firstPart} and count ${req.count} reach part ${last}, but the upload has ${plan.count} (${grant.s} bytes in parts of ${grant.ps})`);
      }
      // The "writes once" rule of /uploads/sign (and deletion of an object that broke the grant). A
      // grant that started its upload names it in the token; one without (a one-part file) proves
      // with ListParts, side by side, that COS knows this uploadId for this key.
      const [existing, listed] = await Promise.all([
        audit(grant),
        grant.up ? null : cos().uploadedParts(loc, req.uploadId).then(() => null, (e: unknown) => e),
      ]);
      if (existing) throw refuse('the upload has completed and a grant writes its key only once');
      if (listed instanceof CosError && listed.statusCode === 404) {
        throw refuse(`uploadId "${req.uploadId}" is not a multipart upload of this key in COS`);
      }
      if (listed) throw listed;

      const terms = { key: grant.k, contentType: grant.ct, size: grant.s, partSize: grant.ps, host: cos().bucketHost(loc) };
      const expiresIn = Math.min(SIGNATURE_TTL_S, grant.exp - Math.floor(Date.now() / 1000));
      return signPartRange(terms, loc, req.uploadId, req.firstPart, last, expiresIn);
    },

    /**
     * POST /uploads/sign-complete: the CompleteMultipartUpload of the grant's own multipart upload,
     * signed before its parts have finished, so the editor's Complete waits for no round trip to
     * Strapi and for no ListParts. The uploader declares parts 1 … N with the ETags COS will answer
     * (the MD5 of each part's bytes); the plugin signs the Content-MD5 of the body that lists exactly
     * those (checkDeclaredParts, completeMultipartBody) and answers the request as a presigned one:
     * method, path, query, signed headers, Authorization. It asks COS one HEAD (no object at the key
     * yet: "writes once"), not ListParts, because COS itself holds the rest: every part's length was
     * signed (so parts 1 … N add up to the granted size), COS refuses a Complete listing an ETag
     * its part does not have (400 InvalidPart) or a body of another MD5 (400 BadDigest), an upload
     * completes once (then NoSuchUpload), and its Initiate carried `x-cos-forbid-overwrite: true`. Refused (403, naming the field): another key, a grant
     * that did not start a multipart upload (a one-part file), another uploadId, parts other than
     * 1 … N, an object at the key (the upload completed).
     */
    async signComplete(req: SignUploadCompleteRequest, userId: string): Promise<PresignedUploadRequest> {
      const grant = readToken(req.token, userId);
      const loc = locationOf(grant);
      const refuse = (why: string) =>
        new errors.PolicyError(`Refused to sign CompleteMultipartUpload: ${why}. This upload may only write "${grant.k}".`, { code: UPLOAD_ERROR_CODES.requestRefused });
      if (req.key !== grant.k) throw refuse(`key "${req.key}" is not the key this upload was granted`);
      if (!grant.up) throw refuse('this grant started no multipart upload (a file up to partSize is one PutObject); a Complete of another upload goes through /uploads/sign');
      if (req.uploadId !== grant.up) throw refuse(`uploadId "${req.uploadId}" is not the multipart upload this grant started ("${grant.up}")`);
      const terms = { key: grant.k, contentType: grant.ct, size: grant.s, partSize: grant.ps, host: cos().bucketHost(loc) };
      const why = checkDeclaredParts(terms, req.parts);
      if (why) throw refuse(why);
      const request = { method: 'POST', pathname: `/${grant.k}`, query: { uploadid: grant.up }, headers: { host: terms.host, 'content-md5': contentMd5(completeMultipartBody(req.parts)) } };
      const decision = decideUploadRequest(terms, request);
      // The request is built here from checked parts, so this is unreachable; kept so the policy stays the one rule.
      if (!decision.allowed) throw refuse(decision.reason);
      const expiresIn = Math.min(SIGNATURE_TTL_S, grant.exp - Math.floor(Date.now() / 1000));
      const expiresAt = new Date(Date.now() + expiresIn * 1000).toISOString();
      // The "writes once" rule of /uploads/sign (one HEAD, which also deletes an object that broke
      // its grant), side by side with the signing.
      const [existing, signed] = await Promise.all([
        audit(grant),
        cos().authorize({ ...loc, method: 'post', pathname: request.pathname, query: { uploadId: grant.up }, headers: decision.headers, expiresIn }),
      ]);
      if (existing) throw refuse('the upload has completed and a grant writes its key only once');
      return { ...request, headers: decision.headers, ...signed, expiresAt };
    },

    /**
     * POST /uploads/complete: after the SDK finished, checks the object COS stored against the
     * grant (exact size, Content-Type). An object that breaks it is deleted (403 UploadBrokeGrant);
     * no object yet is a 404. Expired grants may still be completed: the check only protects.
     * The field does not wait for it (the signatures already bound what COS stored); its HEAD is
     * remembered, so a save right after does not send its own.
     */
    async complete(req: CompleteUploadRequest, userId: string): Promise<UploadedObject> {
      const grant = readToken(req.token, userId, true);
      const found = await audit(grant);
      if (!found) throw new errors.NotFoundError(`The upload of "${grant.k}" has not completed: COS has no object at that key yet.`);
      return found;
    },
  };

}

export type UploadAuthService = ReturnType<typeof createUploadAuthService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createUploadAuthService(strapi);
