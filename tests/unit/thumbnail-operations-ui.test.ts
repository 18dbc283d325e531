/**
 * The Thumbnails page's pure logic: progress of an operation, ETA in spoken units, the refresh
 * rhythm, Content Manager links of failed entries and the "All content types" row.
 */
import type { FieldCounts, Operation, ThumbnailsOverview } from '../../common/contracts/thumbnail-operations';
import {
  POLL_IDLE_MS,
  POLL_RUNNING_MS,
  entryEditPath,
  finishedItems,
  pollInterval,
  progressPercent,
  scopeParts,
  spokenDuration,
  sumCounts,
} from '../../admin/src/utils/operations';

const op = (o: Partial<Operation>): Operation => ({
  id: '1',
  kind: 'generate-missing',
  scope: {},
  status: 'running',
  total: 0,
  done: 0,
  failed: 0,
  skipped: 0,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  finishedAt: null,
  createdBy: null,
  ratePerMinute: null,
  etaSeconds: null,
  failures: [],
  ...o,
});

const field = (o: Partial<FieldCounts>): FieldCounts => ({
  uid: 'api::clip.clip',
  displayName: 'Clip',
  fieldPath: 'video',
  total: 0,
  ready: 0,
  pending: 0,
  failed: 0,
  missing: 0,
  otherDefaults: 0,
  replaced: null,
  replacedCheckedAt: null,
  ...o,
});

describe('progress', () => {
  it('counts ready, failed and skipped items as finished', () => {
    const o = op({ total: 40, done: 7, failed: 2, skipped: 1 });
    expect(finishedItems(o)).toBe(10);
    expect(progressPercent(o)).toBe(25);
  });

  it('rounds down, so 100 % means every item finished', () => {
    expect(progressPercent(op({ total: 3, done: 2 }))).toBe(66);
    expect(progressPercent(op({ total: 1000, done: 999 }))).toBe(99);
    expect(progressPercent(op({ total: 1000, done: 1000 }))).toBe(100);
  });

  it('an operation with nothing to do is complete only once done', () => {
    expect(progressPercent(op({ total: 0, status: 'running' }))).toBe(0);
    expect(progressPercent(op({ total: 0, status: 'done' }))).toBe(100);
  });

  it('stays within 0–100 when counts overshoot the total (items added by a retry)', () => {
    expect(progressPercent(op({ total: 2, done: 2, failed: 1 }))).toBe(100);
  });
});

describe('spokenDuration', () => {
  it.each([
    [0, { unit: 'lessThanMinute' }],
    [59, { unit: 'lessThanMinute' }],
    [60, { unit: 'minutes', minutes: 1 }],
    // rounded up: "about 2 minutes" when 61 s remain
    [61, { unit: 'minutes', minutes: 2 }],
    [59 * 60, { unit: 'minutes', minutes: 59 }],
    [3600, { unit: 'hours', hours: 1, minutes: 0 }],
    [2 * 3600 + 5 * 60, { unit: 'hours', hours: 2, minutes: 5 }],
    [26 * 3600, { unit: 'days', days: 1, hours: 2 }],
    [-5, { unit: 'lessThanMinute' }],
  ])('%s s → %j', (seconds, expected) => {
    expect(spokenDuration(seconds)).toEqual(expected);
  });
});

describe('pollInterval', () => {
  const overview = (ops: Operation[]): ThumbnailsOverview => ({ fields: [], operations: ops });
  it('refreshes often while an operation runs, rarely otherwise', () => {
    expect(pollInterval(overview([op({ status: 'running' })]))).toBe(POLL_RUNNING_MS);
    expect(pollInterval(overview([op({ status: 'paused' }), op({ status: 'done' })]))).toBe(POLL_IDLE_MS);
    expect(pollInterval(undefined)).toBe(POLL_IDLE_MS);
    expect(POLL_RUNNING_MS).toBeLessThan(POLL_IDLE_MS);
  });
});

describe('entryEditPath', () => {
  it('links a collection-type entry with its locale', () => {
    expect(entryEditPath({ uid: 'api::clip.clip', documentId: 'abc123', locale: 'zh-Hans' })).toBe(
      '/content-manager/collection-types/api::clip.clip/abc123?plugins[i18n][locale]=zh-Hans'
    );
  });

  it('leaves the locale out when the entry has none', () => {
    expect(entryEditPath({ uid: 'api::clip.clip', documentId: 'abc123' })).toBe('/content-manager/collection-types/api::clip.clip/abc123');
  });

  it('links a single type without a document id', () => {
    expect(entryEditPath({ uid: 'api::home.home', documentId: 'h1', locale: 'en' }, 'singleType')).toBe(
      '/content-manager/single-types/api::home.home?plugins[i18n][locale]=en'
    );
  });
});

describe('sumCounts', () => {
  it('adds every field up', () => {
    const s = sumCounts([
      field({ total: 5, ready: 2, pending: 1, failed: 1, missing: 1, otherDefaults: 1, replaced: 0 }),
      field({ uid: 'api::pair.pair', total: 3, ready: 3, otherDefaults: 2, replaced: 1 }),
    ]);
    expect(s).toEqual({ total: 8, ready: 5, pending: 1, failed: 1, missing: 1, otherDefaults: 3, replaced: 1 });
  });

  it('keeps "replaced" unknown while any field was never checked', () => {
    expect(sumCounts([field({ replaced: 2 }), field({ fieldPath: 'trailer', replaced: null })]).replaced).toBeNull();
    expect(sumCounts([]).replaced).toBeNull();
  });
});

describe('scopeParts', () => {
  const fields = [field({}), field({ uid: 'api::pair.pair', displayName: 'Pair', fieldPath: 'trailer' })];
  it('names the content type by its display name', () => {
    expect(scopeParts({}, fields)).toEqual({});
    expect(scopeParts({ uid: 'api::pair.pair' }, fields)).toEqual({ type: 'Pair', field: undefined });
    expect(scopeParts({ uid: 'api::pair.pair', fieldPath: 'trailer' }, fields)).toEqual({ type: 'Pair', field: 'trailer' });
  });

  it('falls back to the uid of a content type that is gone', () => {
    expect(scopeParts({ uid: 'api::old.old' }, fields)).toEqual({ type: 'api::old.old', field: undefined });
  });
});
