import type { BucketRef, WorkerConfig } from '../../../common/contracts/admin-api';
import type { SnapshotParams } from '../../../common/field-value';

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
  worker: WorkerConfig;
}
