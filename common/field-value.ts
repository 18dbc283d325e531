/**
 * The stored value of a `plugin::cos-video.video` field (DESIGN.md §3, public contract).
 * Editors / API clients write `key`, `bucket`, `region`, `snapshot`; the server owns
 * `thumbnail`, `media`, `status`, `error`, `verified` (and adds the read-only playback `url` on read).
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
  /** width / height (4 decimals), added on read; 0 when the size is unknown. */
  aspectRatio?: number;
  /** Computed once when the image is made (absent on images made before this existed). */
  placeholder?: ThumbnailPlaceholder | null;
  /** Responsive renditions, added on read from config `thumbnailFormats` (see ThumbnailFormat). */
  formats?: Record<string, ThumbnailFormat>;
}

/** What a front end shows while the poster loads. */
export interface ThumbnailPlaceholder {
  /** BlurHash of the image (https://blurha.sh); decode it at `width` × `height` or any size of that aspect. */
  blurhash: string;
  /** The size (pixels) the hash was computed at: the poster's aspect ratio, at most 32 on the long side. */
  width: number;
  height: number;
  /** The image's dominant colour, `#rrggbb`: a background before anything else has loaded. */
  dominantColor: string;
}

/**
 * One rendition of the poster, made by COS image processing (imageMogr2) from the stored image
 * when it is first requested. Keyed by size name (`small`) for the thumbnail's own format and
 * `<size>_<type>` (`small_webp`) for the others.
 */
export interface ThumbnailFormat {
  width: number;
  height: number;
  /** `image/jpeg`, `image/png`, `image/webp` or `image/avif`. */
  mime: string;
  /** `jpg`, `png`, `webp` or `avif`. */
  ext: string;
  /** Public, CDN or freshly signed URL, like `thumbnail.url`. */
  url: string;
}

export interface MediaInfo {
  duration: number;
  width: number;
  height: number;
  fps: number;
  rotation: number;
  codec?: string;
  frames?: number;
  /**
   * Seconds on the file's timeline where the first video frame starts (videoinfo
   * `Stream.Video.StartTime`); present only when after 0 (a start offset, audio before video).
   */
  startTime?: number;
  /**
   * Seconds on the file's timeline where the video ends (videoinfo `Format.StartTime +
   * Format.Duration`); present only when later than `duration` (a file whose timeline starts
   * after 0). Snapshot times are allowed from 0 to this end: see `timelineEnd`.
   */
  end?: number;
}

/**
 * The thumbnail job's proof that the object is a video: HEAD found it with a video Content-Type
 * (or, untyped, a video extension) and COS videoinfo found a video stream in it. Only the job
 * writes it; the save path drops whatever a client sends, so a value without it never gets a URL.
 */
export interface VideoVerification {
  /** ETag of the object that was checked (bare, no quotes). */
  etag: string;
  /** Content-Type HEAD answered. */
  contentType: string;
  /** ISO 8601 time of the check. */
  verifiedAt: string;
}

export type FieldStatus = 'pending' | 'ready' | 'failed';

export interface FieldErrorInfo {
  code: string;
  message: string;
}

/**
 * While status is "pending" after a transient COS error: the job is retrying by itself
 * (config `worker.retryForMs`). Removed once the job ends (ready or failed).
 */
export interface RetryInfo {
  /** Attempts made so far (failed ones and the one in flight when a process died). */
  attempts: number;
  /** ISO 8601 time of the next attempt (not earlier; a busy worker may start it later). */
  nextAttemptAt: string;
  /** The last transient error. */
  lastError: FieldErrorInfo;
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
  /** Set by the job once the object was verified as a video; null or absent = no URL is served. */
  verified?: VideoVerification | null;
  /** Present only while a pending job retries after a transient error (see RetryInfo). */
  retry?: RetryInfo;
  /** Playback URL of the video, added on read only (never stored). */
  url?: string;
  /** Editor-written text alternative of the poster (at most ALT_MAX_LENGTH characters); absent = none. */
  alt?: string;
}

/** What a client may write; everything else in the value is ignored. */
export interface CosVideoInput {
  key: string;
  bucket?: string;
  region?: string;
  snapshot?: Partial<SnapshotParams>;
  /** Text alternative of the poster; null or "" removes it. */
  alt?: string | null;
}

export const SNAPSHOT_FORMATS: readonly SnapshotFormat[] = ['jpg', 'png'];
export const SNAPSHOT_ROTATES: readonly SnapshotRotate[] = ['auto', 'off'];
export const SNAPSHOT_MODES: readonly SnapshotMode[] = ['exactframe', 'keyframe'];

/** Whether a stored value carries the job's verification (so its URLs may be served). */
export function isVerified(value: Pick<CosVideoValue, 'verified'> | null | undefined): boolean {
  const v = value?.verified;
  return !!v && typeof v === 'object' && typeof v.etag === 'string' && typeof v.contentType === 'string';
}
