import type { SnapshotParams } from '../../../common/field-value';

/** Temporary credentials (e.g. from STS); `expiresAt` is an ISO date or epoch seconds/ms. */
export interface CosCredentials {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  expiresAt?: string | number;
}

export type CredentialsProvider = () => Promise<CosCredentials>;

export interface BucketRef {
  bucket: string;
  region: string;
}

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

/** The validated, defaulted plugin config. Read it with getPluginConfig(). */
export interface CosVideoConfig {
  secretId: string;
  secretKey: string;
  securityToken?: string;
  credentials?: CredentialsProvider;
  bucket: string;
  region: string;
  buckets: BucketRef[];
  domain?: string;
  protocol: 'http:' | 'https:';
  publicBaseUrl?: string;
  signUrls: boolean;
  signedUrlTtl: number;
  thumbnailPrefix: string;
  uploadPrefix: string;
  browsePrefixes: string[];
  maxUploadSize: number;
  snapshot: SnapshotParams;
  saveWaitMs: number;
  /** Most COS video values one save (create / update / clone) may carry; more is a 400, nothing saved. */
  maxVideosPerSave: number;
  /** COS calls (HEAD, video info) one save's checks have in flight at once. */
  saveConcurrency: number;
  requestTimeoutMs: number;
  /**
   * Days after which an upload under `uploadPrefix` that no entry uses is deleted (whole days,
   * counted from the object's Last-Modified). 0 (or `false` in the config file) turns cleanup off.
   */
  orphanUploadDays: number;
  worker: WorkerConfig;
}
