import type { FieldErrorInfo } from '../field-value';
import type { EntryRef } from './admin-api';

/**
 * The Thumbnails page (admin menu → COS Video thumbnails; RBAC action `thumbnails`): counts of
 * every COS video field's thumbnails and bulk operations over them. Operations are rows in the
 * database whose items go through the durable job queue, so they survive restarts, run on every
 * instance that shares the database, and queue behind editors' own saves (editor jobs first).
 *
 * Routes (all under `/cos-video`, admin JWT + action `thumbnails`) are declared in
 * `THUMBNAIL_ROUTES` and spread into ADMIN_ROUTES; their types are `ThumbnailApi`.
 */

/** A bulk operation of the Thumbnails page. */
export type OperationKind =
  /** values with a video and no thumbnail, no job and no error (e.g. imported rows, a JSON field turned into a COS video field) */
  | 'generate-missing'
  /** ready values whose thumbnail was made with other GetSnapshot parameters than the field's current defaults; `time` (the editor's frame) is kept */
  | 'regenerate-defaults'
  /** values whose thumbnail failed */
  | 'retry-failed'
  /** HEAD every video; values whose object changed since the thumbnail was made (ETag ≠ `verified.etag`) get a new thumbnail */
  | 'check-replaced';

export const OPERATION_KINDS: readonly OperationKind[] = ['generate-missing', 'regenerate-defaults', 'retry-failed', 'check-replaced'];

/** Which values an operation or count covers: everything, one content type, or one field of it. */
export interface OperationScope {
  /** content-type uid, e.g. "api::clip.clip"; every content type when left out */
  uid?: string;
  /** attribute path as in FieldCounts.fieldPath; every COS video field of `uid` when left out (needs `uid`) */
  fieldPath?: string;
}

/** The counts of one COS video field of one content type (every entry, draft and published, every locale). */
export interface FieldCounts {
  /** content-type uid */
  uid: string;
  /** the content type's display name (schema `info.displayName`) */
  displayName: string;
  /**
   * attribute path: "video" for a top-level attribute; "<attribute>.<attribute>" through a
   * component ("hero.video"), also for repeatable components and dynamic zones ("blocks.video")
   */
  fieldPath: string;
  /** values stored (a value = one field in one entry row: each locale, draft and published counted separately) */
  total: number;
  ready: number;
  pending: number;
  failed: number;
  /** a video key and no thumbnail, no job, no error (see 'generate-missing') */
  missing: number;
  /** ready, made with other parameters than the current defaults (see 'regenerate-defaults') */
  otherDefaults: number;
  /** found replaced by the last 'check-replaced' and not regenerated since; null = never checked */
  replaced: number | null;
  /** ISO 8601 time of the last 'check-replaced' that covered this field; null = never */
  replacedCheckedAt: string | null;
}

export type OperationStatus = 'running' | 'paused' | 'cancelled' | 'done';

/** One value that failed in an operation, with the reason COS or the plugin gave. */
export interface OperationFailure {
  /** stable id within the operation, for `retryItem` */
  itemId: string;
  /**
   * The entry, with `title`: its Content Manager main field (the list view's "Entry title"
   * setting), only when the admin asking may read that field of that entry (read permission,
   * its conditions and fields); left out otherwise, and when the main field is the id.
   */
  entry: EntryRef & { title?: string };
  fieldPath: string;
  /** the value's `error` (code from common/contracts/error-codes.ts, English message) */
  error: FieldErrorInfo;
  /** ISO 8601 */
  at: string;
}

/** A bulk operation and its progress. */
export interface Operation {
  /** stable id (a number as a string) */
  id: string;
  kind: OperationKind;
  scope: OperationScope;
  status: OperationStatus;
  /** items found when it started (the dry run's count at that time) */
  total: number;
  /** items finished with a ready thumbnail */
  done: number;
  /** items that ended failed (listed in `failures`) */
  failed: number;
  /** items that needed nothing when their turn came (changed meanwhile, e.g. an editor saved the entry) */
  skipped: number;
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** the admin user who started it (id and display name), null when started from code */
  createdBy: { id: number; name: string } | null;
  /** items finished per minute over the last minute of running; null until measurable */
  ratePerMinute: number | null;
  /** seconds until done at that rate; null while paused or not measurable */
  etaSeconds: number | null;
  /** the most recent failures, newest first, at most 100 */
  failures: OperationFailure[];
}

/** GET /thumbnails answer: the page's data. */
export interface ThumbnailsOverview {
  fields: FieldCounts[];
  /** running and paused operations, then the 20 most recent finished or cancelled ones */
  operations: Operation[];
}

/** POST /thumbnails/dry-run and POST /thumbnails/operations body. */
export interface OperationRequest extends OperationScope {
  kind: OperationKind;
}

/** POST /thumbnails/dry-run answer: what starting the operation now would do, changing nothing. */
export interface DryRunResult extends OperationRequest {
  /** values it would queue (for 'check-replaced': videos it would HEAD) */
  count: number;
}

/** POST /thumbnails/operations/{pause,resume,cancel} body. */
export interface OperationRef {
  id: string;
}

/** POST /thumbnails/operations/retry-item body: queue one failed item again. */
export interface RetryItemRequest extends OperationRef {
  itemId: string;
}

/** Routes of the Thumbnails page: spread into ADMIN_ROUTES (admin-api.ts). */
export const THUMBNAIL_ROUTES = {
  thumbnailsOverview: { method: 'GET', path: '/thumbnails', handler: 'adminThumbnails.overview', action: 'thumbnails' },
  thumbnailsDryRun: { method: 'POST', path: '/thumbnails/dry-run', handler: 'adminThumbnails.dryRun', action: 'thumbnails' },
  thumbnailsStart: { method: 'POST', path: '/thumbnails/operations', handler: 'adminThumbnails.start', action: 'thumbnails' },
  thumbnailsGet: { method: 'GET', path: '/thumbnails/operation', handler: 'adminThumbnails.get', action: 'thumbnails' },
  thumbnailsPause: { method: 'POST', path: '/thumbnails/operations/pause', handler: 'adminThumbnails.pause', action: 'thumbnails' },
  thumbnailsResume: { method: 'POST', path: '/thumbnails/operations/resume', handler: 'adminThumbnails.resume', action: 'thumbnails' },
  thumbnailsCancel: { method: 'POST', path: '/thumbnails/operations/cancel', handler: 'adminThumbnails.cancel', action: 'thumbnails' },
  thumbnailsRetryItem: { method: 'POST', path: '/thumbnails/operations/retry-item', handler: 'adminThumbnails.retryItem', action: 'thumbnails' },
} as const;

/** Request (body, or query for GETs) and response of each Thumbnails-page route. */
export interface ThumbnailApi {
  thumbnailsOverview: { Req: void; Res: ThumbnailsOverview };
  thumbnailsDryRun: { Req: OperationRequest; Res: DryRunResult };
  thumbnailsStart: { Req: OperationRequest; Res: Operation };
  /** query `?id=` */
  thumbnailsGet: { Req: OperationRef; Res: Operation };
  thumbnailsPause: { Req: OperationRef; Res: Operation };
  thumbnailsResume: { Req: OperationRef; Res: Operation };
  thumbnailsCancel: { Req: OperationRef; Res: Operation };
  thumbnailsRetryItem: { Req: RetryItemRequest; Res: Operation };
}
