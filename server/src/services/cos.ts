import type { Core } from '@strapi/strapi';
import COS from 'cos-nodejs-sdk-v5';
import type { MediaInfo, SnapshotParams } from '../../../common/field-value';
import { getPluginConfig, type CosVideoConfig } from '../config/read';
import { CosClientPool, type CosClient } from '../cos/client';
import { COS_ERROR_CODES } from '../../../common/contracts/error-codes';
import { CosError, snapshotTimeError, toCosError, type CosErrorContext } from '../cos/errors';
import { validationError } from '../utils/validation-error';
import { resolveBucket } from '../cos/locate';
import { mediaEnd, parseVideoInfo } from '../cos/media-info';
import { bucketHost, pinnedResponseType, publicObjectUrl, signedObjectUrl } from '../cos/urls';
import { createHeadMemory, type RememberedHead } from '../cos/head-memory';

export interface ObjectLocation {
  bucket: string;
  region: string;
  key: string;
}

export interface ObjectHead {
  etag: string;
  size: number;
  contentType: string;
  lastModified: string;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: string;
  etag: string;
}

export interface ListResult {
  items: ListedObject[];
  nextMarker?: string;
  isTruncated: boolean;
}

export interface SignedUrlOptions {
  query?: Record<string, string | number>;
  expiresIn?: number;
  method?: string;
}

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
}

/** Request signature for one request a browser SDK is about to make (see upload-auth). */
export interface RequestToSign {
  bucket: string;
  region: string;
  method: string;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  expiresIn: number;
}

export const MAX_LIST_LIMIT = 1000;

/** The six GetSnapshot query parameters, exactly as sent to COS and signed into preview URLs. */
export function snapshotQuery(p: SnapshotParams): Record<string, string> {
  return {
    'ci-process': 'snapshot',
    time: String(p.time),
    width: String(p.width),
    height: String(p.height),
    format: p.format,
    rotate: p.rotate,
    mode: p.mode,
  };
}

function header(headers: unknown, name: string): string {
  const h = (headers ?? {}) as Record<string, unknown>;
  const v = h[name] ?? h[name.toLowerCase()];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : '';
}

const unquote = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

const isoDate = (v: unknown): string => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
};

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The plugin's only door to COS. Every failure is thrown as CosError. */
export function createCosService(strapi: Core.Strapi) {
  const pools = new WeakMap<CosVideoConfig, CosClientPool>();
  const config = () => getPluginConfig(strapi);
  // Every HEAD this service sends refreshes it (saves, media-info, jobs, uploads, "Check for replaced videos").
  const heads = createHeadMemory();
  const pool = (): CosClientPool => {
    const c = config();
    let p = pools.get(c);
    if (!p) {
      p = new CosClientPool(c);
      pools.set(c, p);
    }
    return p;
  };

  /** Runs one SDK call with the per-call budget (the SDK's own retries included) and maps errors. */
  async function call<T>(ctx: CosErrorContext, fn: (sdk: COS, client: CosClient) => Promise<T>): Promise<T> {
    const timeoutMs = config().requestTimeoutMs;
    const fullCtx = { ...ctx, timeoutMs };
    let timer: NodeJS.Timeout | undefined;
    try {
      const client = await pool().get();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      });
      return await Promise.race([fn(client.sdk, client), deadline]);
    } catch (e) {
      throw toCosError(e, fullCtx);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  const service = {
    /** Resolves once credentials are available (only waits with a credentials provider). */
    async ready(): Promise<void> {
      await call({ op: 'GetCredentials' }, async () => undefined);
    },

    /**
     * HeadObject: ETag (unquoted), size in bytes, Content-Type and Last-Modified; null when the
     * object does not exist. Every answer updates this process's memory of HEAD answers
     * (rememberedHead): found objects are remembered, a 404 forgets the key, an error changes nothing.
     */
    async headObject(loc: ObjectLocation): Promise<ObjectHead | null> {
      try {
        const data = await call({ op: 'HeadObject', ...loc }, (sdk) =>
          sdk.headObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key }),
        );
        const head = {
          etag: unquote(header(data.headers, 'etag') || data.ETag || ''),
          size: Number(header(data.headers, 'content-length')) || 0,
          contentType: header(data.headers, 'content-type'),
          lastModified: isoDate(header(data.headers, 'last-modified')),
        };
        if (head.etag) heads.remember(loc, head);
        else heads.forget(loc);
        return head;
      } catch (e) {
        if (e instanceof CosError && e.statusCode === 404) {
          heads.forget(loc);
          return null;
        }
        throw e;
      }
    },

    /**
     * What this process's last HEAD of the object answered (ETag unquoted, Content-Type, epoch ms
     * `at`), when the object was found less than `maxAgeMs` ago; null otherwise, and always with
     * `maxAgeMs` 0. At most 10,000 objects are remembered (least recently used dropped first).
     */
    rememberedHead(loc: ObjectLocation, maxAgeMs: number): RememberedHead | null {
      return heads.recall(loc, maxAgeMs);
    },

    /** GetSnapshot. RawBody is required: without it a 2xx image body crashes the SDK. */
    async getSnapshot(loc: ObjectLocation, p: SnapshotParams): Promise<{ body: Buffer; contentType: string }> {
      const ctx = { op: 'GetSnapshot', ...loc };
      let data: Awaited<ReturnType<COS['request']>>;
      try {
        data = await call(ctx, (sdk) =>
          sdk.request({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Method: 'GET', Query: snapshotQuery(p), RawBody: true }),
        );
      } catch (e) {
        // COS does not document how it words "time past the end", so a refusal is checked
        // against the video's own end (one videoinfo request) instead of its message.
        if (e instanceof CosError && e.code === COS_ERROR_CODES.invalidArgument) {
          const end = await call({ op: 'GetMediaInfo', ...loc }, (sdk) =>
            sdk.request({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Method: 'GET', Query: { 'ci-process': 'videoinfo' } }),
          ).then((info) => mediaEnd(info?.Response?.MediaInfo), () => null);
          throw snapshotTimeError(e, p.time, end, ctx);
        }
        throw e;
      }
      const body = Buffer.isBuffer(data.Body) ? data.Body : Buffer.from(data.Body ?? '');
      const contentType = header(data.headers, 'content-type') || (p.format === 'png' ? 'image/png' : 'image/jpeg');
      return { body, contentType };
    },

    /** COS videoinfo of a video: duration (s), size (px), fps, rotation. CosError `NotAVideo` when COS finds no video stream. */
    async getMediaInfo(loc: ObjectLocation): Promise<MediaInfo> {
      const data = await call({ op: 'GetMediaInfo', ...loc }, (sdk) =>
        sdk.request({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Method: 'GET', Query: { 'ci-process': 'videoinfo' } }),
      );
      const info = parseVideoInfo(data?.Response?.MediaInfo);
      if (!info) {
        throw new CosError({
          code: COS_ERROR_CODES.notAVideo,
          statusCode: 400,
          transient: false,
          detail: `COS videoinfo for ${loc.bucket}/${loc.key} has no video stream`,
          userMessage: `The object "${loc.key}" is not a video COS can read (no video stream found). Choose an MP4/MOV/WebM video.`,
        });
      }
      return info;
    },

    /** PutObject of a whole body (thumbnails); answers the stored object's ETag. */
    async putObject(loc: ObjectLocation, body: Buffer, contentType: string): Promise<{ etag: string }> {
      heads.forget(loc); // its content changes
      const data = await call({ op: 'PutObject', ...loc }, (sdk) =>
        sdk.putObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, Body: body, ContentLength: body.length, ContentType: contentType }),
      );
      return { etag: unquote(data.ETag || header(data.headers, 'etag')) };
    },

    /** GetObject: the object's bytes (used for small objects only, e.g. a stored thumbnail). */
    async getObject(loc: ObjectLocation): Promise<Buffer> {
      const data = await call({ op: 'GetObject', ...loc }, (sdk) => sdk.getObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key }));
      return Buffer.isBuffer(data.Body) ? data.Body : Buffer.from(data.Body ?? '');
    },

    /** DeleteObject; a missing object counts as deleted. */
    async deleteObject(loc: ObjectLocation): Promise<void> {
      heads.forget(loc);
      await call({ op: 'DeleteObject', ...loc }, (sdk) => sdk.deleteObject({ Bucket: loc.bucket, Region: loc.region, Key: loc.key }));
    },

    /**
     * GetBucket of a configured bucket (ValidationError naming `bucket` otherwise): up to `limit` keys
     * (1–1000, default 100) under `prefix` after `marker`, and the marker of the next page.
     */
    async listObjects(q: { bucket?: string; prefix?: string; marker?: string; limit?: number }): Promise<ListResult> {
      const where = resolveBucket(config(), q.bucket, undefined);
      if (!where.ok) throw validationError(where.errors);
      const { bucket, region } = where.value;
      const limit = Math.max(1, Math.min(MAX_LIST_LIMIT, Math.floor(q.limit ?? 100)));
      const data = await call({ op: 'GetBucket', bucket, region }, (sdk) =>
        sdk.getBucket({ Bucket: bucket, Region: region, Prefix: q.prefix ?? '', MaxKeys: limit, ...(q.marker ? { Marker: q.marker } : {}) }),
      );
      const items = asArray(data.Contents).map((o) => ({
        key: String(o.Key),
        size: Number(o.Size) || 0,
        lastModified: isoDate(o.LastModified),
        etag: unquote(String(o.ETag ?? '')),
      }));
      const isTruncated = String(data.IsTruncated) === 'true';
      // COS only sends NextMarker with a delimiter; the last key is the marker otherwise.
      const nextMarker = isTruncated ? (data.NextMarker as string | undefined) || items[items.length - 1]?.key : undefined;
      return { items, isTruncated, ...(nextMarker ? { nextMarker } : {}) };
    },

    /** The parts uploaded so far in a multipart upload (ListParts, every page), as COS reports them. */
    async uploadedParts(loc: ObjectLocation, uploadId: string): Promise<Array<{ partNumber: number; size: number; etag: string }>> {
      const parts: Array<{ partNumber: number; size: number; etag: string }> = [];
      let marker: string | undefined;
      for (let page = 0; page < 20; page++) {
        const data = await call({ op: 'ListParts', ...loc }, (sdk) =>
          sdk.multipartListPart({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, UploadId: uploadId, MaxParts: 1000, ...(marker ? { PartNumberMarker: marker } : {}) }),
        );
        for (const part of asArray(data.Part)) parts.push({ partNumber: Number(part.PartNumber), size: Number(part.Size) || 0, etag: String(part.ETag ?? '') });
        if (String(data.IsTruncated) !== 'true' || !data.NextPartNumberMarker) break;
        marker = String(data.NextPartNumberMarker);
      }
      return parts;
    },

    /**
     * InitiateMultipartUpload of `loc` with the server's credentials: the object will have
     * `contentType`, and `x-cos-forbid-overwrite: true` makes COS refuse to complete it over an
     * existing object. Answers COS's UploadId. No object bytes are sent.
     */
    async initiateMultipartUpload(loc: ObjectLocation, contentType: string): Promise<string> {
      const data = await call({ op: 'InitiateMultipartUpload', ...loc }, (sdk) =>
        sdk.multipartInit({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, ContentType: contentType, Headers: { 'x-cos-forbid-overwrite': 'true' } } as COS.MultipartInitParams),
      );
      if (!data.UploadId) throw new Error(`cos-video: COS answered InitiateMultipartUpload of ${loc.bucket}/${loc.key} without an UploadId`);
      return data.UploadId;
    },

    /** The unfinished multipart uploads under `prefix` (ListMultipartUploads, every page): key, UploadId, Initiated (ISO 8601). */
    async incompleteUploads(b: { bucket: string; region: string }, prefix: string): Promise<Array<{ key: string; uploadId: string; initiated: string }>> {
      const out: Array<{ key: string; uploadId: string; initiated: string }> = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (let page = 0; page < 100; page++) {
        const data = await call({ op: 'ListMultipartUploads', ...b }, (sdk) =>
          sdk.multipartList({ Bucket: b.bucket, Region: b.region, Prefix: prefix, MaxUploads: 1000, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(uploadIdMarker ? { UploadIdMarker: uploadIdMarker } : {}) } as COS.MultipartListParams),
        );
        for (const u of asArray(data.Upload)) out.push({ key: String(u.Key), uploadId: String(u.UploadId), initiated: isoDate(u.Initiated) });
        if (String(data.IsTruncated) !== 'true' || !data.NextKeyMarker) break;
        keyMarker = String(data.NextKeyMarker);
        uploadIdMarker = data.NextUploadIdMarker ? String(data.NextUploadIdMarker) : undefined;
      }
      return out;
    },

    /** AbortMultipartUpload: drops the upload's parts; an upload COS no longer knows counts as aborted. */
    async abortMultipartUpload(loc: ObjectLocation, uploadId: string): Promise<void> {
      try {
        await call({ op: 'AbortMultipartUpload', ...loc }, (sdk) => sdk.multipartAbort({ Bucket: loc.bucket, Region: loc.region, Key: loc.key, UploadId: uploadId }));
      } catch (e) {
        if (e instanceof CosError && e.statusCode === 404) return;
        throw e;
      }
    },

    /** Presigned URL scoped to one object (and its query, e.g. ci-process), short-lived. */
    signedUrl(loc: ObjectLocation, opts: SignedUrlOptions = {}): string {
      const c = config();
      const client = pool().peek();
      const left = Math.floor((client.expiresAt - Date.now()) / 1000);
      const expiresIn = Math.max(1, Math.min(opts.expiresIn ?? c.signedUrlTtl, left));
      return signedObjectUrl(client.sdk, loc, { query: opts.query, expiresIn, method: opts.method });
    },

    /** Unsigned URL of an object: `publicBaseUrl` for the default bucket when set, else the bucket's own host. */
    publicUrl(loc: ObjectLocation): string {
      return publicObjectUrl(pool().peekSdk(), config(), loc);
    },

    /**
     * The URL API responses show: freshly signed when signUrls is on, else the public URL.
     * `contentType` (the type the object was verified with) is signed into the URL as
     * `response-content-type`, so the URL cannot be re-typed (e.g. as text/html) by whoever holds it.
     */
    readUrl(loc: ObjectLocation, contentType?: string, imageProcess?: string): string {
      // imageProcess (e.g. "imageMogr2/thumbnail/320x/format/webp"): COS processes the image on
      // download; signed, it is in the signature, so the URL opens only that rendition.
      if (!config().signUrls) return imageProcess ? `${service.publicUrl(loc)}?${imageProcess}` : service.publicUrl(loc);
      const query = { ...(contentType ? pinnedResponseType(contentType) : {}), ...(imageProcess ? { [imageProcess]: '' } : {}) };
      return service.signedUrl(loc, Object.keys(query).length > 0 ? { query } : {});
    },

    /** The configured responsive renditions of thumbnails (config `thumbnailFormats`). */
    thumbnailFormats(): CosVideoConfig['thumbnailFormats'] {
      return config().thumbnailFormats;
    },

    /** Host the SDKs sign for a bucket (custom domain / emulator aware). */
    bucketHost(loc: { bucket: string; region: string }): string {
      return bucketHost(pool().peekSdk(), loc);
    },

    /** HEAD bucket: credentials valid and bucket reachable. */
    async headBucket(b: { bucket: string; region: string }): Promise<void> {
      await call({ op: 'HeadBucket', ...b }, (sdk) => sdk.headBucket({ Bucket: b.bucket, Region: b.region }));
    },

    /** The bucket's CORS rules (health check), methods upper-cased. */
    async getBucketCors(b: { bucket: string; region: string }): Promise<CorsRule[]> {
      const data = await call({ op: 'GetBucketCors', ...b }, (sdk) => sdk.getBucketCors({ Bucket: b.bucket, Region: b.region }));
      return asArray(data.CORSRules).map((r) => {
        const rule = r as unknown as Record<string, unknown>;
        const list = (name: string) => asArray(rule[name] as string | string[] | undefined).map(String);
        return {
          allowedOrigins: list('AllowedOrigins'),
          allowedMethods: list('AllowedMethods').map((m) => m.toUpperCase()),
          allowedHeaders: list('AllowedHeaders'),
          exposeHeaders: list('ExposeHeaders'),
        };
      });
    },

    /**
     * Authorization for one request described by a browser SDK's getAuthorization callback.
     * The caller (upload-auth) decides whether the request is allowed; this only signs it.
     */
    async authorize(req: RequestToSign): Promise<{ authorization: string; securityToken?: string }> {
      const client = await call({ op: 'Sign', bucket: req.bucket, region: req.region }, async (_sdk, cl) => cl);
      const left = Math.floor((client.expiresAt - Date.now()) / 1000);
      const authorization = COS.getAuthorization({
        SecretId: client.credentials.secretId,
        SecretKey: client.credentials.secretKey,
        Method: req.method as COS.GetAuthorizationOptions['Method'],
        Pathname: req.pathname,
        Query: req.query,
        Headers: req.headers,
        Expires: Math.max(1, Math.min(req.expiresIn, left)),
      });
      return { authorization, ...(client.credentials.securityToken ? { securityToken: client.credentials.securityToken } : {}) };
    },
  };
  return service;
}

export type CosService = ReturnType<typeof createCosService>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = createCosService(strapi);
  // With a credentials provider, fetch the first set now so synchronous signing (readUrl) works on the first read.
  if (getPluginConfig(strapi).credentials) {
    service.ready().catch((e: Error) => strapi.log.warn(`[cos-video] ${e.message}`));
  }
  return service;
};
