import type { FieldStatus, MediaInfo, SnapshotParams } from '../field-value';
import type { ActionName } from '../permissions';
import { THUMBNAIL_ROUTES, type ThumbnailApi } from './thumbnail-operations';

/**
 * The plugin's admin API (`/cos-video/...`, admin JWT + one RBAC action per route): the one
 * declaration of every route's path, request and response, imported by the server (routes,
 * controllers, services) and by the admin (useCosVideoApi), so the two sides cannot drift.
 *
 * Errors come back as Strapi's error body `{ data: null, error: { status, name, message, details } }`;
 * `details.code` is one of ADMIN_API_ERROR_CODES (error-codes.ts) when the server knows the cause.
 */

export interface BucketRef {
  bucket: string;
  region: string;
}

/** A video object. `bucket` / `region` default to the configured ones. */
export interface VideoLocation {
  key: string;
  bucket?: string;
  region?: string;
  /**
   * The entry that stores this key, so the server may sign a key outside browsePrefixes /
   * uploadPrefix when the editor may read that entry (saved before the prefixes were narrowed).
   */
  entry?: EntryRef;
}

/** An entry of a content type, as the Content Manager names it. */
export interface EntryRef {
  /** content-type uid, e.g. "api::clip.clip" */
  uid: string;
  documentId: string;
  /** locale code, e.g. "en"; left out for the default locale or a type without i18n */
  locale?: string;
}

/** GET /config: what the editor's field needs (no secret). */
export interface FieldConfig extends BucketRef {
  /** every bucket a value may name: the default one first */
  buckets: BucketRef[];
  /** uploads are stored under this key prefix */
  uploadPrefix: string;
  /** the object browser lists only keys under these prefixes ([] = the whole bucket) */
  browsePrefixes: string[];
  /** bytes */
  maxUploadSize: number;
  /** the configured snapshot defaults */
  snapshot: SnapshotParams;
  /** pixels: largest width / height GetSnapshot accepts */
  limits: { maxDimension: number };
  cos: { protocol: 'http:' | 'https:'; domain?: string };
}

/** GET /objects query. Query strings carry strings; `limit` is an integer 1–1000 (default 50). */
export interface ListObjectsQuery {
  bucket?: string;
  prefix?: string;
  /** case-insensitive substring of the key */
  search?: string;
  /** continue after this key (the previous page's `nextMarker`) */
  marker?: string;
  limit?: number;
}

export interface ObjectItem {
  key: string;
  /** bytes */
  size: number;
  /** ISO 8601 */
  lastModified: string;
  etag: string;
  isVideo: boolean;
  /** a signed GetSnapshot URL of an early keyframe, for videos; null otherwise */
  previewUrl: string | null;
  /** An upload under the plugin's uploadPrefix that no entry uses (deleted after orphanUploadDays). */
  orphan?: boolean;
}

/** GET /objects answer. */
export interface ObjectPage {
  items: ObjectItem[];
  /** present when isTruncated: pass it as `marker` for the next page */
  nextMarker?: string;
  isTruncated: boolean;
}

/** POST /snapshot-url body: a location and the GetSnapshot choice (missing keys take the config defaults). */
export interface SnapshotUrlRequest extends VideoLocation {
  snapshot: Partial<SnapshotParams>;
}

/**
 * POST /snapshot-urls body: one video and several GetSnapshot choices (e.g. the frames the
 * editor may step to next), signed in one answer under the same rules as /snapshot-url.
 */
export interface SnapshotUrlsRequest extends VideoLocation {
  /** 1 … SNAPSHOT_URLS_PER_BATCH choices; missing keys take the config defaults */
  snapshots: Array<Partial<SnapshotParams>>;
}

/** Most choices one /snapshot-urls request may sign. */
export const SNAPSHOT_URLS_PER_BATCH = 20;

/** POST /snapshot-urls answer: `urls[i]` is the signed GetSnapshot URL of `snapshots[i]`. */
export interface SignedUrls {
  urls: SignedUrl[];
}

/** POST /playback-url and /snapshot-url answer: a short-lived signed URL of one object. */
export interface SignedUrl {
  url: string;
  /** ISO 8601: when the signature stops working (signedUrlTtl after signing) */
  expiresAt: string;
}

/** POST /uploads body: the file the editor picked. */
export interface CreateUploadRequest {
  /** 1–255 characters; cleaned into the key's last segment */
  fileName: string;
  /** bytes, at most maxUploadSize */
  size: number;
  /** a video Content-Type, or a generic one for a file named *.mp4, *.mov, … */
  contentType: string;
}

/** POST /uploads answer: one fresh key the browser may upload to, for this file only. */
export interface UploadGrant extends BucketRef {
  /** pass it back to /uploads/sign and /uploads/complete */
  token: string;
  key: string;
  /** signed into PUT / Initiate: the upload must send exactly this Content-Type */
  contentType: string;
  /** bytes; a simple PUT must send exactly this Content-Length */
  size: number;
  /** bytes; the SDK's ChunkSize and SliceSize (multipart parts of this size, the last one smaller) */
  partSize: number;
  /** ISO 8601: when the grant ends */
  expiresAt: string;
  /** options for cos-js-sdk-v5's constructor */
  sdk: { Domain?: string; Protocol: 'http:' | 'https:' };
  /**
   * Files up to partSize: the one PutObject, already signed, so the browser does not ask
   * /uploads/sign for it; exactly what /uploads/sign would sign (the key is fresh, so nothing is
   * stored there yet). Use it only for a request whose method, path and query are these and whose
   * headers carry these values, once (a retry asks /uploads/sign). Files above partSize: empty (the
   * grant started the multipart upload itself: `uploadId`).
   */
  presigned: PresignedUploadRequest[];
  /**
   * Files above partSize only: the UploadId of the multipart upload the server started for the key
   * (InitiateMultipartUpload with the granted Content-Type and `x-cos-forbid-overwrite: true`). The
   * uploader uploads into it (cos-js-sdk-v5: `UploadData`) and starts no other; /uploads/sign and
   * /uploads/sign-parts refuse any other uploadId for this grant (403 naming uploadId).
   */
  uploadId?: string;
  /**
   * With `uploadId`: the UploadPart signatures of the first parts (1 … min(part count,
   * UPLOAD_PARTS_PER_BATCH)), as /uploads/sign-parts answers them, so part 1 waits for nothing.
   */
  parts?: UploadPartSignatures;
}

/** One upload request signed ahead of time (UploadGrant.presigned, and the answer of /uploads/sign-complete). */
export interface PresignedUploadRequest {
  /** upper case: GET, POST or PUT */
  method: string;
  /** "/" (the bucket) or "/<key>" */
  pathname: string;
  /** the whole query, names lower-cased, values as strings ("" for a bare name like `uploads`) */
  query: Record<string, string>;
  /** the signed headers, names lower-cased: the request must send exactly these values */
  headers: Record<string, string>;
  authorization: string;
  securityToken?: string;
  /** ISO 8601: when the signature stops working (at most 10 minutes, never after the grant) */
  expiresAt: string;
}

/** POST /uploads/sign body: cos-js-sdk-v5's getAuthorization options for one request of that upload. */
export interface SignUploadRequest {
  token: string;
  /** GET, HEAD, PUT, POST or DELETE (any case) */
  method: string;
  /** starts with "/" */
  pathname: string;
  /** string, number or boolean values */
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

/** POST /uploads/sign answer. */
export interface UploadSignature {
  authorization: string;
  securityToken?: string;
}

/**
 * POST /uploads/sign-parts body: the UploadPart requests `firstPart` … `firstPart + count - 1` of
 * one multipart upload of the grant's key, signed in one answer so the browser does not ask
 * Strapi once per part. cos-js-sdk-v5 sends each part as `PUT /<key>?partNumber=N&uploadId=…`
 * with only `Host` and `Content-Length` signed; a request with other signed headers goes
 * through /uploads/sign.
 */
export interface SignUploadPartsRequest {
  token: string;
  /** the grant's key (checked against the token, so a batch names what it signs) */
  key: string;
  /** the grant's multipart upload (UploadGrant.uploadId) */
  uploadId: string;
  /** integer, 1 … the upload's last part */
  firstPart: number;
  /** integer, 1 … UPLOAD_PARTS_PER_BATCH; cut off at the upload's last part */
  count: number;
}

/**
 * POST /uploads/sign-complete body: the CompleteMultipartUpload of the multipart upload the grant
 * started, signed before its last parts have finished. The uploader declares every part with the
 * ETag COS answers for it (COS's answer for the parts stored, the quoted MD5 of the part's bytes
 * for the last ones); the plugin checks they are exactly parts 1 … N of the grant, signs the
 * Content-MD5 of the body that lists them, and asks COS one HEAD (no object at the key yet), no
 * ListParts. COS completes that part list or nothing: each part's length is signed, and a declared
 * ETag that is not the stored part's is `InvalidPart`.
 */
export interface SignUploadCompleteRequest {
  token: string;
  /** the grant's key */
  key: string;
  /** the grant's multipart upload (UploadGrant.uploadId) */
  uploadId: string;
  /** parts 1 … N in order (N = ⌈size / partSize⌉), each ETag an MD5 in lower-case hex, quoted or not */
  parts: Array<{ partNumber: number; etag: string }>;
}

/** Most part signatures one /uploads/sign-parts answer holds. */
export const UPLOAD_PARTS_PER_BATCH = 100;

/** POST /uploads/sign-parts answer. */
export interface UploadPartSignatures {
  /** one per part, ascending; the Authorization signs Host and that part's exact Content-Length */
  parts: Array<{ partNumber: number; authorization: string }>;
  securityToken?: string;
  /** ISO 8601: when these signatures stop working (at most 10 minutes, never after the grant) */
  expiresAt: string;
}

/** POST /uploads/complete body. */
export interface CompleteUploadRequest {
  token: string;
}

/** POST /uploads/complete answer: the stored object, checked against its grant. */
export interface UploadedObject extends BucketRef {
  key: string;
  /** bytes */
  size: number;
  contentType: string;
  etag: string;
}

/** POST /regenerate body: regenerate an entry's thumbnails (one field when `path` is given). */
export interface RegenerateRequest {
  /** content-type uid, e.g. "api::clip.clip" */
  uid: string;
  documentId: string;
  /** locale code; every locale when left out */
  locale?: string;
  /** field path, e.g. "video" or "blocks.0.video"; every COS video field when left out */
  path?: string;
}

/** POST /regenerate answer. */
export interface RegenerateResult {
  status: FieldStatus | 'none';
  /** thumbnail jobs queued */
  jobs: number;
}

/** GET /settings: the effective configuration, secrets masked or left out. */
export interface PublicSettings {
  credentials: 'provider' | 'static';
  /** masked, e.g. "AKID…1234"; null with a credentials provider */
  secretId: string | null;
  secretKeySet: boolean;
  securityTokenSet: boolean;
  bucket: string;
  region: string;
  buckets: BucketRef[];
  domain: string | null;
  protocol: 'http:' | 'https:';
  publicBaseUrl: string | null;
  signUrls: boolean;
  /** seconds */
  signedUrlTtl: number;
  thumbnailPrefix: string;
  uploadPrefix: string;
  browsePrefixes: string[];
  /** bytes */
  maxUploadSize: number;
  snapshot: SnapshotParams;
  /** milliseconds */
  saveWaitMs: number;
  /** milliseconds */
  requestTimeoutMs: number;
  worker: WorkerConfig;
}

/** The job worker's settings (config key `worker`). */
export interface WorkerConfig {
  enabled: boolean;
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  /**
   * How many times a job may be claimed without ending in a result or a recorded retry — a
   * process that keeps dying (or losing its lease) mid-job. Transient COS errors do not count:
   * they are bounded by `retryForMs`. Default 8.
   */
  maxAttempts: number;
  /** First retry delay in milliseconds; doubles per failed attempt up to `backoffMaxMs`. Default 1000. */
  backoffBaseMs: number;
  /** Largest retry delay in milliseconds. Default 300000 (5 min). */
  backoffMaxMs: number;
  /**
   * How long (milliseconds, counted from a job's first transient failure) transient COS errors
   * (5xx, throttling, timeouts, dropped connections) keep being retried before the value becomes
   * `failed`. Default 21600000 (6 h); 0 = fail at the first transient error.
   */
  retryForMs: number;
}

/**
 * A health check text by id, so the admin can show it in the editor's language: `id` names the
 * message (`health.text.<id>` in the admin's translations; the server's English templates are in
 * server/src/health/texts.ts), `values` fill its `{name}` placeholders. Ids are stable; a client
 * that does not know an id shows the check's English `message` / `fix` instead.
 */
export interface HealthText {
  id: string;
  values?: Record<string, HealthTextValue>;
}

/** Several texts (or literal strings such as HTTP methods) joined by a translated separator. */
export interface HealthTextList {
  join: 'and' | 'comma' | 'semicolon' | 'space';
  items: Array<HealthText | string>;
}

/**
 * A placeholder's value: a literal (bucket names, keys, URLs, CSP snippets: shown as they are in
 * every language), a nested text, or a list of them.
 */
export type HealthTextValue = string | number | HealthText | HealthTextList;

/**
 * One line of GET /health. `message` / `fix` are English (for API users and logs);
 * `messageId` + `values` and `fixId` + `fixValues` are the same texts as HealthText, for
 * translation. The `cosError` text carries `{ message, code }`: a COS error code
 * (common/contracts/error-codes.ts) and its English description.
 */
export interface HealthCheck {
  /** the check: config, credentials, bucket, media, cors, readers, frame-timing, csp; `bucket:<name>` and `csp:public` for extra buckets / a public origin */
  id: string;
  ok: boolean;
  message: string;
  messageId: string;
  values: Record<string, HealthTextValue>;
  /** what to change, when the check failed */
  fix?: string;
  fixId?: string;
  fixValues?: Record<string, HealthTextValue>;
}

/** GET /health answer. */
export interface HealthReport {
  checks: HealthCheck[];
}

/**
 * Every route: method, path under `/cos-video`, the controller handler and the plugin action
 * (common/permissions.ts) an admin needs. `Req` / `Res` are the body (or query) and answer types.
 */
export const ADMIN_ROUTES = {
  config: { method: 'GET', path: '/config', handler: 'adminVideo.config', action: 'read' },
  objects: { method: 'GET', path: '/objects', handler: 'adminVideo.objects', action: 'read' },
  playbackUrl: { method: 'POST', path: '/playback-url', handler: 'adminVideo.playbackUrl', action: 'read' },
  snapshotUrl: { method: 'POST', path: '/snapshot-url', handler: 'adminVideo.snapshotUrl', action: 'read' },
  snapshotUrls: { method: 'POST', path: '/snapshot-urls', handler: 'adminVideo.snapshotUrls', action: 'read' },
  mediaInfo: { method: 'POST', path: '/media-info', handler: 'adminVideo.mediaInfo', action: 'read' },
  createUpload: { method: 'POST', path: '/uploads', handler: 'adminUpload.create', action: 'upload' },
  signUpload: { method: 'POST', path: '/uploads/sign', handler: 'adminUpload.sign', action: 'upload' },
  signUploadParts: { method: 'POST', path: '/uploads/sign-parts', handler: 'adminUpload.signParts', action: 'upload' },
  signUploadComplete: { method: 'POST', path: '/uploads/sign-complete', handler: 'adminUpload.signComplete', action: 'upload' },
  completeUpload: { method: 'POST', path: '/uploads/complete', handler: 'adminUpload.complete', action: 'upload' },
  regenerate: { method: 'POST', path: '/regenerate', handler: 'adminVideo.regenerate', action: 'regenerate' },
  settings: { method: 'GET', path: '/settings', handler: 'adminSettings.settings', action: 'settings.read' },
  health: { method: 'GET', path: '/health', handler: 'adminSettings.health', action: 'settings.read' },
  ...THUMBNAIL_ROUTES,
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: `/${string}`; handler: string; action: ActionName }>;

export type AdminRouteName = keyof typeof ADMIN_ROUTES;

/** Request (body, or query for GETs) and response of each route. */
export interface AdminApi extends ThumbnailApi {
  config: { Req: void; Res: FieldConfig };
  objects: { Req: ListObjectsQuery; Res: ObjectPage };
  playbackUrl: { Req: VideoLocation; Res: SignedUrl };
  snapshotUrl: { Req: SnapshotUrlRequest; Res: SignedUrl };
  snapshotUrls: { Req: SnapshotUrlsRequest; Res: SignedUrls };
  mediaInfo: { Req: VideoLocation; Res: MediaInfo & { etag: string } };
  createUpload: { Req: CreateUploadRequest; Res: UploadGrant };
  signUpload: { Req: SignUploadRequest; Res: UploadSignature };
  signUploadParts: { Req: SignUploadPartsRequest; Res: UploadPartSignatures };
  /** the Complete, signed as a presigned request: the uploader hands it to the SDK's Complete only if that request is exactly this one */
  signUploadComplete: { Req: SignUploadCompleteRequest; Res: PresignedUploadRequest };
  completeUpload: { Req: CompleteUploadRequest; Res: UploadedObject };
  regenerate: { Req: RegenerateRequest; Res: RegenerateResult };
  settings: { Req: void; Res: PublicSettings };
  health: { Req: void; Res: HealthReport };
}
