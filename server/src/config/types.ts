import type { BucketRef, WorkerConfig } from '../../../common/contracts/admin-api';
import type { SnapshotParams } from '../../../common/field-value';
import type { ThumbnailFormatsConfig } from './thumbnail-formats';

export type { ThumbnailFormatsConfig } from './thumbnail-formats';

/** Temporary credentials (e.g. from STS); `expiresAt` is an ISO date or epoch seconds/ms. */
export interface CosCredentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  expiresAt?: string | number;
}

export type CredentialsProvider = () => Promise<CosCredentials>;

// Published as-is by GET /settings, so declared once in the admin API contract.
export type { BucketRef, WorkerConfig };

/** The validated, defaulted plugin config. Read it with getPluginConfig(). */
export interface CosVideoConfig {
  /** Permanent API key id; required unless `credentials` is set. */
  secretId: string;
  /** Permanent API key secret; never leaves the server, never echoed in errors. */
  secretKey: string;
  /** STS token that goes with temporary `secretId` / `secretKey`. */
  securityToken?: string;
  /** Provider of temporary credentials (e.g. STS), used instead of fixed keys. */
  credentials?: CredentialsProvider;
  /** Default bucket, `name-appid` (e.g. `media-1250000000`). Required. */
  bucket: string;
  /** The default bucket's region (e.g. `ap-guangzhou`). Required. */
  region: string;
  /** Further buckets a field value may name; no other bucket is accepted. Default []. */
  buckets: BucketRef[];
  /** SDK `Domain`: a custom or accelerated domain, may contain `{Bucket}` / `{Region}`; the emulator's `127.0.0.1:PORT`. Default: COS's own. */
  domain?: string;
  /** Scheme of every COS request and URL. Default 'https:'. */
  protocol: 'http:' | 'https:';
  /** CDN in front of the default bucket: its URLs become `publicBaseUrl + '/' + key`. Default: none. */
  publicBaseUrl?: string;
  /** Sign the URLs API responses carry, afresh on every read (private buckets). Default false. */
  signUrls: boolean;
  /** Lifetime of signed URLs, seconds (1 s to 7 days). Default 900. */
  signedUrlTtl: number;
  /** Key prefix of generated thumbnails. Default 'thumbnails/'. */
  thumbnailPrefix: string;
  /** Key prefix of editors' uploads (default bucket); editors may also play and store keys under it. Default 'videos/'. */
  uploadPrefix: string;
  /** Prefixes editors may list, play and store in every configured bucket; [] = the whole bucket. Default []. */
  browsePrefixes: string[];
  /** Largest upload, bytes. Default 5368709120 (5 GiB). */
  maxUploadSize: number;
  /** Default GetSnapshot parameters (field options override them). Default { time: 1, width: 0, height: 0, format: 'jpg', rotate: 'auto', mode: 'exactframe' }. */
  snapshot: SnapshotParams;
  /** How long a save waits for its thumbnails before answering `status: "pending"`, milliseconds; half of it bounds the save's COS checks. Default 5000. */
  saveWaitMs: number;
  /** Most COS video values one save (create / update / clone) may carry, 1 to 10000; more is a 400, nothing saved. Default 100. */
  maxVideosPerSave: number;
  /** COS calls (HEAD, video info) one save's checks have in flight at once, 1 to 64. Default 4. */
  saveConcurrency: number;
  /**
   * How long a save trusts this process's last HEAD of a video (its ETag and Content-Type) instead
   * of sending its own, milliseconds, 0 to 86400000 (24 h). Every HEAD the process sends refreshes
   * it (saves, `POST /cos-video/media-info`, jobs, uploads, "Check for replaced videos"). 0: every
   * save HEADs each video. Default 60000.
   */
  videoRecheckMs: number;
  /** Budget of each COS call, the SDK's own retries included, milliseconds. Default 15000. */
  requestTimeoutMs: number;
  /**
   * Days after which an upload under `uploadPrefix` that no entry uses is deleted (whole days,
   * counted from the object's Last-Modified), and an unfinished multipart upload there is aborted
   * (counted from its Initiated). 0 (or `false` in the config file) turns cleanup off. Default 7.
   */
  orphanUploadDays: number;
  /** The thumbnail job worker, see WorkerConfig. */
  worker: WorkerConfig;
  /** Responsive renditions offered in `thumbnail.formats` (see ThumbnailFormatsConfig). */
  thumbnailFormats: ThumbnailFormatsConfig;
}
