import type { MediaInfo, SnapshotParams } from '../../../common/field-value';

/** Response bodies of the plugin's admin API, as the server answers them (README: Security model, Permissions). */
export interface BucketRef {
  bucket: string;
  region: string;
}

export interface FieldConfig extends BucketRef {
  buckets: BucketRef[];
  uploadPrefix: string;
  browsePrefixes: string[];
  maxUploadSize: number;
  snapshot: SnapshotParams;
  limits: { maxDimension: number };
  cos: { protocol: string; domain?: string };
}

export interface ObjectItem {
  key: string;
  size: number;
  lastModified: string;
  etag: string;
  isVideo: boolean;
  previewUrl?: string | null;
  /** An upload under the plugin's uploadPrefix that no entry uses (removed after orphanUploadDays). */
  orphan?: boolean;
}

export interface ObjectPage {
  items: ObjectItem[];
  nextMarker?: string;
  isTruncated: boolean;
}

export interface SignedUrl {
  url: string;
  expiresAt: string | number;
}

export interface UploadGrant extends BucketRef {
  token: string;
  key: string;
  /** signed into PUT / Initiate: the upload must send exactly this Content-Type */
  contentType: string;
  /** bytes */
  size: number;
  /** bytes; the SDK's ChunkSize and SliceSize (part N's length is signed) */
  partSize: number;
  expiresAt: string | number;
  sdk: { Domain?: string; Protocol?: string };
}

/** POST /uploads/complete: the stored object, checked against its grant. */
export interface UploadedObject extends BucketRef {
  key: string;
  size: number;
  contentType: string;
  etag: string;
}

export interface UploadSignature {
  authorization: string;
  securityToken?: string;
}

export interface VideoLocation {
  bucket?: string;
  region?: string;
  key: string;
  /**
   * The entry that stores this key, so the server may sign a key outside browsePrefixes /
   * uploadPrefix when the editor may read that entry (saved before the prefixes were narrowed).
   */
  entry?: { uid: string; documentId: string; locale?: string };
}

export interface HealthCheck {
  id: string;
  ok: boolean;
  message: string;
  fix?: string;
}

export type { MediaInfo };
