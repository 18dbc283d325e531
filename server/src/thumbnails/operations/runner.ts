import type { Core } from '@strapi/strapi';
import { THUMBNAIL_ERROR_CODES, COS_ERROR_CODES } from '../../../../common/contracts/error-codes';
import { isVerified, type CosVideoValue, type FieldErrorInfo } from '../../../../common/field-value';
import type { OperationKind } from '../../../../common/contracts/thumbnail-operations';
import { getPluginConfig } from '../../config/read';
import { isCosError } from '../../cos/errors';
import { compareAndSet, loadDocumentValues, type StoredValue } from '../../field/entries';
import { readClientChoice, videoChoice } from '../../field/input';
import { storedChoice } from '../../field/stored-choice';
import { BULK_PRIORITY, type JobStore } from '../../jobs/store';
import type { CosService } from '../../services/cos';
import { announceSettled } from '../settle-events';
import { matchHash, normaliseEtag, sameVideo } from '../snapshot-key';
import type { NewJob } from '../types';
import type { VideoChoice } from '../snapshot-key';
import type { ItemRow, OperationRow, OperationStore, VideoRefs } from './store';
import { differsFromDefaults, fieldDefaults, valueState } from './values';

export interface RunnerDeps {
  strapi: Core.Strapi;
  jobs: JobStore;
  operations: OperationStore;
  cos: () => Pick<CosService, 'headObject'>;
  /** Tells this process's worker there is work (thumbnails service `queue([])`). */
  wakeWorker: () => Promise<unknown>;
}

/** HEAD requests of one check-replaced batch in flight at once. */
export const CHECK_CONCURRENCY = 4;
/** An item claimed (queued) without a job this long ago was left by a process that died mid-feed: it is fed again. */
export const STALE_CLAIM_MS = 60_000;
const SETTLE_PAGE = 200;

/**
 * Moves every open operation along, in each instance whose worker is enabled, on the worker's
 * poll interval: settles queued items from their jobs, feeds the next batch of waiting items
 * into the job queue (only as many as keep the worker busy: a bulk run of 10,000 values never
 * floods the queue), and closes an operation once nothing of it is waiting or queued. Pausing
 * holds the operation's queued jobs back (store.operations.hold), so its work stops at once.
 */
export class OperationRunner {
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;

  constructor(private readonly deps: RunnerDeps) {}

  start(): void {
    if (this.running || !getPluginConfig(this.deps.strapi).worker.enabled) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.tick();
      } catch (e) {
        this.deps.strapi.log.warn(`[cos-video] thumbnail operations: ${(e as Error).message}`);
      }
      if (!this.running) break;
      if (this.wakeRequested) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, getPluginConfig(this.deps.strapi).worker.pollIntervalMs);
        timer.unref();
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** One pass over the open operations (exported for tests through the service's `tick`). */
  async tick(now = Date.now()): Promise<void> {
    for (const op of await this.deps.operations.open()) {
      if (!this.running) return;
      await this.settle(op, now);
      if (op.status === 'paused') await this.deps.jobs.operations.hold(op.id);
      if (op.status === 'running') await this.feed(op);
      const c = await this.deps.operations.counts(op.id);
      if (c.queued === 0 && (c.waiting === 0 || op.status === 'cancelled')) await this.deps.operations.close(op.id);
    }
  }

  /** Queued items whose jobs all ended: done, failed (with the job's reason) or skipped. */
  private async settle(op: OperationRow, now: number): Promise<void> {
    const { operations, jobs } = this.deps;
    for (const item of await operations.items(op.id, 'queued', SETTLE_PAGE)) {
      if (item.jobIds.length === 0) {
        if (item.claimedAt !== null && item.claimedAt < now - STALE_CLAIM_MS) await operations.moveItem(item.id, ['queued'], 'waiting', { claimedAt: null });
        continue;
      }
      const states = await jobs.operations.states(item.jobIds);
      if (states.some((s) => s.status === 'queued' || s.status === 'running')) continue;
      const failed = states.find((s) => s.status === 'failed');
      const ready = states.filter((s) => s.status === 'done');
      if (failed) {
        const error: FieldErrorInfo = failed.result?.error ?? failed.lastError ?? { code: THUMBNAIL_ERROR_CODES.internalError, message: 'The thumbnail job failed.' };
        await operations.moveItem(item.id, ['queued'], 'failed', { settledAt: Date.now(), error: { code: error.code, message: error.message } });
      } else if (ready.length === item.jobIds.length) {
        await operations.moveItem(item.id, ['queued'], 'done', { settledAt: Date.now(), error: null });
      } else {
        // Superseded (an editor saved a newer choice, or Regenerate ran) or swept: nothing left to do here.
        await operations.moveItem(item.id, ['queued'], op.status === 'cancelled' ? 'cancelled' : 'skipped', { settledAt: Date.now() });
      }
    }
  }

  /** Feeds waiting items until the operation has a batch in the queue. */
  private async feed(op: OperationRow): Promise<void> {
    const { operations, strapi } = this.deps;
    const worker = getPluginConfig(strapi).worker;
    const batch = Math.max(4, worker.concurrency * 2);
    const queued = (await operations.counts(op.id)).queued;
    if (queued >= batch) return;
    const next = await operations.items(op.id, 'waiting', batch - queued);
    const claimed: ItemRow[] = [];
    for (const item of next) {
      if (await operations.moveItem(item.id, ['waiting'], 'queued', { claimedAt: Date.now() })) claimed.push({ ...item, status: 'queued' });
    }
    if (op.kind === 'check-replaced') {
      for (let i = 0; i < claimed.length; i += CHECK_CONCURRENCY) {
        await Promise.all(claimed.slice(i, i + CHECK_CONCURRENCY).map((item) => this.guard(item, () => this.checkVideo(op, item))));
      }
    } else {
      for (const item of claimed) await this.guard(item, () => this.feedValue(op, item));
    }
  }

  /** An unexpected error leaves the item failed with the reason, never the whole operation stuck. */
  private async guard(item: ItemRow, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      const error = isCosError(e) ? { code: e.code, message: e.userMessage } : { code: THUMBNAIL_ERROR_CODES.internalError, message: (e as Error).message };
      await this.deps.operations.moveItem(item.id, ['queued'], 'failed', { settledAt: Date.now(), error });
    }
  }

  private async feedValue(op: OperationRow, item: ItemRow): Promise<void> {
    const { strapi, operations } = this.deps;
    const uid = item.entryUid!;
    const documentId = item.entryDocumentId!;
    const stored = (await loadDocumentValues(strapi, uid, documentId, item.entryLocale ? { locale: item.entryLocale } : {})).find(
      (s) => s.path === item.fieldPath && s.published === !!item.published && s.locale === (item.entryLocale ?? null),
    );
    // A retried item is a failed value again, whatever the operation's kind.
    const kind: OperationKind = item.retry ? 'retry-failed' : op.kind;
    const plan = stored ? await this.prepare(kind, uid, documentId, stored) : null;
    if (!plan) {
      await operations.moveItem(item.id, ['queued'], 'skipped', { settledAt: Date.now() });
      return;
    }
    if ('invalid' in plan) {
      await operations.moveItem(item.id, ['queued'], 'failed', { settledAt: Date.now(), error: plan.invalid });
      return;
    }
    const current = stored!.value;
    const same = JSON.stringify(plan.next) === JSON.stringify(current);
    if (!same && !(await compareAndSet(strapi, stored!, current, plan.next))) {
      // An editor changed the value since the operation started: their save has its own job.
      await operations.moveItem(item.id, ['queued'], 'skipped', { settledAt: Date.now() });
      return;
    }
    const id = await this.enqueue(op, uid, documentId, stored!, plan.choice);
    await operations.setItem(item.id, 'queued', { jobIds: [id] });
  }

  private async enqueue(op: OperationRow, uid: string, documentId: string, s: StoredValue, choice: VideoChoice): Promise<number> {
    const { jobs, wakeWorker } = this.deps;
    const job: NewJob = {
      entryUid: uid,
      entryDocumentId: documentId,
      entryLocale: s.locale,
      fieldPath: s.path,
      fingerprint: { bucket: choice.bucket, region: choice.region, key: choice.key, snapshot: choice.snapshot },
      priority: BULK_PRIORITY,
      operationId: op.id,
    };
    const id = await jobs.enqueue(job);
    await wakeWorker();
    return id;
  }

  /**
   * What feeding a value means for each kind: the value stored now (pending, the old thumbnail
   * kept until the new one is ready) and the choice its job makes; null = nothing to do (the
   * value changed since the operation started); `invalid` = the value cannot be used (stored as
   * failed with the reason, as a backfill does).
   */
  private async prepare(
    kind: OperationKind,
    uid: string,
    documentId: string,
    s: StoredValue,
  ): Promise<{ next: CosVideoValue; choice: VideoChoice } | { invalid: FieldErrorInfo } | null> {
    const { strapi, jobs } = this.deps;
    const config = getPluginConfig(strapi);
    const current = s.value as CosVideoValue;
    const defaults = fieldDefaults(strapi, s);
    const active = new Set<string>();
    const choiceNow = storedChoice(current);
    if (choiceNow && (await jobs.hasActive(uid, documentId, matchHash(choiceNow)))) active.add(matchHash(choiceNow));
    const state = valueState(current, (hash) => active.has(hash));
    if (!state) return null;
    if (kind === 'regenerate-defaults') {
      if (state !== 'ready' || !choiceNow || !differsFromDefaults(current.snapshot, defaults)) return null;
      // The editor's frame (`time`) stays; every other parameter becomes the current default.
      const snapshot = { ...defaults, time: current.snapshot.time };
      const { retry: _retry, ...rest } = current;
      return { next: { ...rest, snapshot, status: 'pending', error: null }, choice: { ...choiceNow, snapshot } };
    }
    if (kind === 'retry-failed' && state !== 'failed') return null;
    if (kind === 'generate-missing' && state !== 'missing') return null;
    const choice = readClientChoice(current, s.path, defaults, config);
    if (!choice.ok) {
      const error = { code: THUMBNAIL_ERROR_CODES.invalidValue, message: choice.errors.map((e) => e.message).join('; ') };
      const failedValue = { ...current, thumbnail: null, status: 'failed', error, verified: null } as CosVideoValue;
      if (await compareAndSet(strapi, s, current, failedValue)) {
        await announceSettled(strapi, uid, documentId, [{ stored: { ...s, value: failedValue }, value: failedValue }]);
      }
      return { invalid: error };
    }
    const next: CosVideoValue = {
      ...choice.value,
      thumbnail: current.thumbnail ?? null,
      media: current.media ?? null,
      status: 'pending',
      error: null,
      verified: current.verified ?? null,
    };
    return { next, choice: videoChoice(choice.value) };
  }

  /**
   * check-replaced, one video: HEAD it; every verified value showing it whose ETag differs gets a
   * job (the thumbnail key follows the ETag, so the new bytes get a new image). The ETag seen is
   * kept on the item: the page's `replaced` count compares values with it.
   */
  private async checkVideo(op: OperationRow, item: ItemRow): Promise<void> {
    const { strapi, operations } = this.deps;
    const video = item.video!;
    const head = await this.deps.cos().headObject({ bucket: video.bucket, region: video.region, key: video.key });
    if (!head) {
      await operations.moveItem(item.id, ['queued'], 'failed', {
        settledAt: Date.now(),
        error: { code: COS_ERROR_CODES.noSuchKey, message: `The video "${video.key}" does not exist in bucket ${video.bucket} any more. Pick or upload the video again.` },
      });
      return;
    }
    const etag = normaliseEtag(head.etag) ?? '';
    await operations.setItem(item.id, 'queued', { observedEtag: etag });
    const jobIds: number[] = [];
    const byDocument = new Map<string, VideoRefs['refs']>();
    for (const ref of video.refs) byDocument.set(`${ref.uid}\u0000${ref.documentId}`, [...(byDocument.get(`${ref.uid}\u0000${ref.documentId}`) ?? []), ref]);
    for (const refs of byDocument.values()) {
      const { uid, documentId } = refs[0];
      const values = await loadDocumentValues(strapi, uid, documentId);
      for (const ref of refs) {
        const s = values.find((v) => v.path === ref.path && v.published === ref.published && v.locale === ref.locale);
        const current = s?.value as CosVideoValue | undefined;
        const choice = storedChoice(current);
        if (!s || !current || !choice || !sameVideo(choice, video) || !isVerified(current) || current.verified!.etag === etag) continue;
        if (current.status !== 'ready') continue;
        const { retry: _retry, ...rest } = current;
        const next: CosVideoValue = { ...rest, status: 'pending', error: null };
        if (!(await compareAndSet(strapi, s, current, next))) continue;
        const id = await this.enqueue(op, uid, documentId, s, choice);
        if (!jobIds.includes(id)) jobIds.push(id);
      }
    }
    if (jobIds.length === 0) await operations.moveItem(item.id, ['queued'], 'skipped', { settledAt: Date.now(), observedEtag: etag });
    else await operations.setItem(item.id, 'queued', { jobIds });
  }
}
