import type { OperationKind, OperationScope, OperationStatus } from '../../../../common/contracts/thumbnail-operations';
import type { Translate } from '../../hooks/usePluginIntl';
import { spokenDuration } from '../../utils/operations';

/** The words of each operation kind: its button / menu label and the dry-run sentence of its dialog. */
export function kindLabel(t: Translate, kind: OperationKind): string {
  switch (kind) {
    case 'generate-missing':
      return t('thumbnails.kind.generateMissing', 'Generate missing');
    case 'regenerate-defaults':
      return t('thumbnails.kind.regenerateDefaults', 'Regenerate with current defaults');
    case 'retry-failed':
      return t('thumbnails.kind.retryFailed', 'Retry failed');
    case 'check-replaced':
      return t('thumbnails.kind.checkReplaced', 'Check for replaced videos');
  }
}

/** "This will queue 42 thumbnails" (or, for check-replaced, how many videos it will look at). */
export function dryRunSentence(t: Translate, kind: OperationKind, count: number): string {
  if (kind === 'check-replaced') {
    return t('thumbnails.dryRun.check', 'This will check {count, plural, one {# video} other {# videos}} for a replaced file', { count });
  }
  return t('thumbnails.dryRun.queue', 'This will queue {count, plural, one {# thumbnail} other {# thumbnails}}', { count });
}

export function statusLabel(t: Translate, status: OperationStatus): string {
  switch (status) {
    case 'running':
      return t('thumbnails.status.running', 'Running');
    case 'paused':
      return t('thumbnails.status.paused', 'Paused');
    case 'cancelled':
      return t('thumbnails.status.cancelled', 'Cancelled');
    case 'done':
      return t('thumbnails.status.done', 'Done');
  }
}

/** "Clip › video", "Clip" or "All content types". */
export function scopeLabel(t: Translate, parts: { type?: string; field?: string }): string {
  if (!parts.type) return t('thumbnails.scope.all', 'All content types');
  return parts.field ? t('thumbnails.scope.field', '{type} › {field}', { type: parts.type, field: parts.field }) : parts.type;
}

/** Time left in plain words, from Operation.etaSeconds. */
export function etaLabel(t: Translate, seconds: number): string {
  const d = spokenDuration(seconds);
  switch (d.unit) {
    case 'lessThanMinute':
      return t('thumbnails.eta.lessThanMinute', 'less than a minute left');
    case 'minutes':
      return t('thumbnails.eta.minutes', 'about {minutes, plural, one {# minute} other {# minutes}} left', { minutes: d.minutes });
    case 'hours':
      return t('thumbnails.eta.hours', 'about {hours, plural, one {# hour} other {# hours}} {minutes, plural, =0 {} one {# minute} other {# minutes}} left', {
        hours: d.hours,
        minutes: d.minutes,
      }).replace(/\s+/g, ' ');
    case 'days':
      return t('thumbnails.eta.days', 'about {days, plural, one {# day} other {# days}} {hours, plural, =0 {} one {# hour} other {# hours}} left', {
        days: d.days,
        hours: d.hours,
      }).replace(/\s+/g, ' ');
  }
}

/** The operation's request as the API wants it (scope fields only when set). */
export function requestOf(kind: OperationKind, scope: OperationScope) {
  return { kind, ...(scope.uid ? { uid: scope.uid } : {}), ...(scope.uid && scope.fieldPath ? { fieldPath: scope.fieldPath } : {}) };
}
