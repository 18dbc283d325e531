/**
 * The stored value of a `plugin::cos-video.video` field (DESIGN.md §3, public contract).
 * Editors / API clients write `key`, `bucket`, `region`, `snapshot`; the server owns
 * `thumbnail`, `media`, `status`, `error` (and adds the read-only playback `url` on read).
 */

export type SnapshotFormat = 'jpg' | 'png';
export type SnapshotRotate = 'auto' | 'off';
export type SnapshotMode = 'exactframe' | 'keyframe';

/** The six GetSnapshot parameters. `width`/`height` 0 = keep the video's size / follow the aspect ratio. */
export interface SnapshotParams {
  time: number;
  width: number;
  height: number;
  format: SnapshotFormat;
  rotate: SnapshotRotate;
  mode: SnapshotMode;
}

export interface ThumbnailInfo {
  key: string;
  /** Filled in on every read (public base URL, or a freshly signed URL when signUrls is on). */
  url: string;
  format: SnapshotFormat;
  width: number;
  height: number;
  size: number;
  generatedAt: string;
}

export interface MediaInfo {
  duration: number;
  width: number;
  height: number;
  fps: number;
  rotation: number;
  codec?: string;
  frames?: number;
}

export type FieldStatus = 'pending' | 'ready' | 'failed';

export interface FieldErrorInfo {
  code: string;
  message: string;
}

export interface CosVideoValue {
  key: string;
  bucket?: string;
  region?: string;
  snapshot: SnapshotParams;
  thumbnail: ThumbnailInfo | null;
  media: MediaInfo | null;
  status: FieldStatus;
  error: FieldErrorInfo | null;
  /** Playback URL of the video, added on read only (never stored). */
  url?: string;
}

/** What a client may write; everything else in the value is ignored. */
export interface CosVideoInput {
  key: string;
  bucket?: string;
  region?: string;
  snapshot?: Partial<SnapshotParams>;
}

export const SNAPSHOT_FORMATS: readonly SnapshotFormat[] = ['jpg', 'png'];
export const SNAPSHOT_ROTATES: readonly SnapshotRotate[] = ['auto', 'off'];
export const SNAPSHOT_MODES: readonly SnapshotMode[] = ['exactframe', 'keyframe'];
export const FIELD_STATUSES: readonly FieldStatus[] = ['pending', 'ready', 'failed'];

/** Keys a client may write. Server-owned keys (thumbnail, media, status, error, url) are dropped. */
export const CLIENT_KEYS = ['key', 'bucket', 'region', 'snapshot'] as const;
export const SERVER_KEYS = ['thumbnail', 'media', 'status', 'error', 'url'] as const;
