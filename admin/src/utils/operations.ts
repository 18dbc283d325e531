import type { EntryRef } from '../../../common/contracts/admin-api';
import type { FieldCounts, Operation, OperationScope, ThumbnailsOverview } from '../../../common/contracts/thumbnail-operations';

/**
 * Pure helpers of the Thumbnails page (admin/src/pages/ThumbnailsPage.tsx): progress, plain-words
 * durations, polling and Content Manager links. Kept free of React so unit tests cover them.
 */

/** Items of an operation that are finished one way or another (ready, failed or skipped). */
export function finishedItems(op: Pick<Operation, 'done' | 'failed' | 'skipped'>): number {
  return op.done + op.failed + op.skipped;
}

/**
 * Whole percent (0–100) of an operation's items finished. An operation with nothing to do
 * (total 0) counts as complete once it is done, and as 0 % before that.
 */
export function progressPercent(op: Pick<Operation, 'done' | 'failed' | 'skipped' | 'total' | 'status'>): number {
  if (op.total <= 0) return op.status === 'done' ? 100 : 0;
  return Math.min(100, Math.max(0, Math.floor((finishedItems(op) / op.total) * 100)));
}

/** A duration rounded the way people say it: "less than a minute", "about 4 minutes", "about 2 hours 5 minutes". */
export type SpokenDuration =
  | { unit: 'lessThanMinute' }
  | { unit: 'minutes'; minutes: number }
  | { unit: 'hours'; hours: number; minutes: number }
  | { unit: 'days'; days: number; hours: number };

/** `seconds` (≥ 0, e.g. Operation.etaSeconds) → a SpokenDuration; minutes are rounded up so "about 1 minute" never means 10 s. */
export function spokenDuration(seconds: number): SpokenDuration {
  const s = Math.max(0, seconds);
  if (s < 60) return { unit: 'lessThanMinute' };
  const totalMinutes = Math.ceil(s / 60);
  if (totalMinutes < 60) return { unit: 'minutes', minutes: totalMinutes };
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return { unit: 'hours', hours: totalHours, minutes: totalMinutes % 60 };
  return { unit: 'days', days: Math.floor(totalHours / 24), hours: totalHours % 24 };
}

/** Running or paused: the operation still has work and can be paused, resumed or cancelled. */
export const isOpen = (op: Pick<Operation, 'status'>): boolean => op.status === 'running' || op.status === 'paused';

/** Milliseconds between refreshes of the page: often while an operation runs, rarely otherwise (editors' saves change counts too). */
export const POLL_RUNNING_MS = 2_000;
export const POLL_IDLE_MS = 15_000;

export function pollInterval(overview: ThumbnailsOverview | undefined): number {
  return overview?.operations.some((op) => op.status === 'running') ? POLL_RUNNING_MS : POLL_IDLE_MS;
}

/** A Content Manager kind as Strapi names it in a content type's schema. */
export type ContentKind = 'collectionType' | 'singleType';

/**
 * The Content Manager edit view of an entry, relative to the admin's root (react-router adds the
 * admin path): `/content-manager/collection-types/<uid>/<documentId>?plugins[i18n][locale]=<locale>`,
 * or `/content-manager/single-types/<uid>` for a single type (it has one document).
 */
export function entryEditPath(entry: EntryRef, kind: ContentKind = 'collectionType'): string {
  // uids ("api::clip.clip") appear unencoded in Strapi's own Content Manager URLs
  const uid = entry.uid;
  const base =
    kind === 'singleType'
      ? `/content-manager/single-types/${uid}`
      : `/content-manager/collection-types/${uid}/${encodeURIComponent(entry.documentId)}`;
  return entry.locale ? `${base}?plugins[i18n][locale]=${encodeURIComponent(entry.locale)}` : base;
}

/** The counts of every field added up (the "All content types" row); `replaced` stays null unless every field was checked. */
export function sumCounts(fields: FieldCounts[]): Omit<FieldCounts, 'uid' | 'displayName' | 'fieldPath' | 'replacedCheckedAt'> {
  const sum = (k: 'total' | 'ready' | 'pending' | 'failed' | 'missing' | 'otherDefaults') => fields.reduce((n, f) => n + f[k], 0);
  const checked = fields.length > 0 && fields.every((f) => f.replaced !== null);
  return {
    total: sum('total'),
    ready: sum('ready'),
    pending: sum('pending'),
    failed: sum('failed'),
    missing: sum('missing'),
    otherDefaults: sum('otherDefaults'),
    replaced: checked ? fields.reduce((n, f) => n + (f.replaced ?? 0), 0) : null,
  };
}

/** What a scope covers, for headings: every content type, one content type, or one field of it. */
export function scopeParts(scope: OperationScope, fields: FieldCounts[]): { type?: string; field?: string } {
  if (!scope.uid) return {};
  const name = fields.find((f) => f.uid === scope.uid)?.displayName ?? scope.uid;
  return { type: name, field: scope.fieldPath };
}
