import type { FieldErrorInfo, MediaInfo, ThumbnailInfo, FieldStatus, VideoVerification } from '../../../common/field-value';
import type { CosService } from '../services/cos';
import type { JobFingerprint } from './snapshot-key';

/** The part of the `cos` service that thumbnails use. */
export type CosPort = Pick<CosService, 'headObject' | 'getSnapshot' | 'getMediaInfo' | 'putObject' | 'publicUrl' | 'readUrl' | 'thumbnailFormats' | 'getObject'>;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'superseded';

export interface JobRow {
  id: number;
  entryUid: string;
  entryDocumentId: string;
  entryLocale: string | null;
  fieldPath: string | null;
  matchHash: string;
  fingerprint: JobFingerprint;
  force: boolean;
  status: JobStatus;
  attempts: number;
  runAt: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: JobError | null;
  result: JobResult | null;
  /** What the save that queued the job found about the video, if it checked it (see VideoCheck). */
  videoCheck: VideoCheck | null;
  /**
   * Id of the newest `done` job with the same matchHash when this job was claimed (single flight:
   * its image may be reused). Set by the claim only when there is one: absent on a job row read
   * otherwise, and on a claimed job without such a sibling.
   */
  doneSibling?: number;
}

/**
 * The save's check of a video, handed to the job it queues (stored in the job row, so any
 * instance that claims the job can use it): HEAD's ETag and Content-Type, and the video info
 * when the save has it for exactly that ETag (asked now, or stored by a job that verified the
 * same ETag). The job reuses it instead of asking COS again while it is fresh (see
 * `HANDOFF_MAX_AGE_MS` in run-job.ts); `media: null` means the save's video info did not answer.
 */
export interface VideoCheck {
  /** ETag as HEAD answered it, unquoted (the one in the job's fingerprint) */
  etag: string;
  contentType: string;
  media: MediaInfo | null;
  /** The save asked for the video info and COS refused it (`media` null): the job asks again before spending a GetSnapshot. */
  infoFailed?: true;
  /** when HEAD answered, epoch milliseconds */
  checkedAt: number;
}

/**
 * The job's last error. After a transient error it also carries what the retry horizon needs:
 * when the first transient failure happened (epoch ms) and how many attempts ended in one, so
 * claims that ended in neither (a process that died mid-job) can be told apart.
 */
export interface JobError extends FieldErrorInfo {
  firstFailedAt?: number;
  failures?: number;
}

/** What a finished job writes into every row that still carries its choice. */
export interface JobResult {
  status: Exclude<FieldStatus, 'pending'>;
  thumbnail: ThumbnailInfo | null;
  media: MediaInfo | null;
  error: FieldErrorInfo | null;
  /** The job verified the object as a video (set), found it is not one (null), or did not get that far (absent: unchanged). */
  verified?: VideoVerification | null;
}

export interface NewJob {
  entryUid: string;
  entryDocumentId: string;
  entryLocale?: string | null;
  fieldPath?: string | null;
  fingerprint: JobFingerprint;
  /** Regenerate: run even if an equal job is active, and do not reuse an existing image. */
  force?: boolean;
  /** The save's check of the video, when it made one (reused by the job instead of asking COS again). */
  videoCheck?: VideoCheck | null;
  /** Lower runs first: 0 (default) for editors' saves and Regenerate, 10 for bulk operations (jobs/store.ts). */
  priority?: number;
  /** The Thumbnails-page operation that queued it (pause holds, cancel drops its queued jobs). */
  operationId?: number | null;
}
