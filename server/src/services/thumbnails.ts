import type { Core } from '@strapi/strapi';
import type { CosVideoValue, FieldStatus, SnapshotParams } from '../../../common/field-value';
import { getPluginConfig } from '../config/read';
import { isCosError } from '../cos/errors';
import { validationError } from '../utils/validation-error';
import { loadDocumentValues, type DbTransaction } from '../field/entries';
import { backfill, type BackfillOptions, type BackfillReport } from '../thumbnails/backfill';
import { readClientChoice } from '../field/input';
import { createJobStore, EDITOR_PRIORITY } from '../jobs/store';
import { produceThumbnail, reuseFinished, writeResult, writeRetry } from '../thumbnails/run-job';
import { matchHash, sameChoice, type VideoChoice } from '../thumbnails/snapshot-key';
import type { JobResult, NewJob } from '../thumbnails/types';
import { storedChoice } from '../field/stored-choice';
import { getService } from '../utils/get-service';
import { ThumbnailWorker } from '../jobs/worker';
import { fenced } from '../jobs/held-lease';
import { currentFrameTiming } from '../calibration/frame-timing';
import { earlySnapshots } from '../thumbnails/early-snapshot';
import { announceSettled, type SettledWrite } from '../thumbnails/settle-events';

export interface RegenerateRequest {
  uid: string;
  documentId: string;
  /** Only values of this locale (default: every locale). */
  locale?: string;
  /** Only the value at this field path, e.g. `video` or `blocks.0.video` (default: every COS video field). */
  path?: string;
  /** How long to wait for the result, in milliseconds (default: the `saveWaitMs` config key). */
  waitMs?: number;
}

export interface RegenerateResult {
  /** The worst status of the regenerated values ("failed" > "pending" > "ready"); "none" when the entry has no COS video there. */
  status: FieldStatus | 'none';
  /** Jobs queued: one per distinct video and snapshot choice. */
  jobs: number;
}

export interface GenerateOptions {
  /** Field path named in validation errors (default `video`). */
  path?: string;
  /** Snapshot parameters for keys the input leaves out (default: the `snapshot` config key). */
  defaults?: SnapshotParams;
}

/**
 * The public `thumbnails` service, `getService(strapi, 'thumbnails')`: this process's job
 * queue and worker behind the calls other code may use. The job store and the worker itself
 * stay private.
 */
export interface ThumbnailsService {
  /** Starts this process's worker (bootstrap); does nothing when `worker.enabled` is false or it already runs. */
  start(): void;
  /** Stops polling and gives running jobs a few seconds; unfinished ones resume in another process once their lease expires. */
  stop(): Promise<void>;
  /**
   * Records thumbnail jobs and waits up to `waitMs` milliseconds (default 0) for them to settle.
   * Inside a database transaction the jobs only become visible at commit: the worker is woken
   * then and nothing is waited for. Returns each job's result in order, `undefined` while pending.
   */
  queue(jobs: NewJob[], waitMs?: number): Promise<Array<JobResult | undefined>>;
  /**
   * Generates a thumbnail for a bare value now, without any entry: validates it like the field
   * does (ValidationError naming the field on bad input), then GetSnapshot → PutObject → video
   * info. A permanent COS failure comes back as `status: "failed"`; a transient one is thrown (CosError).
   */
  generate(input: unknown, opts?: GenerateOptions): Promise<CosVideoValue>;
  /**
   * Queues a thumbnail for every COS video value that has none yet (entries imported or seeded
   * without the Document Service); returns counts, the jobs run in the background.
   */
  backfill(opts?: BackfillOptions): Promise<BackfillReport>;
  /**
   * Regenerates an entry's thumbnails (all its COS video values, or one locale / path): re-reads
   * the video's ETag and runs GetSnapshot again even if an image exists; waits up to `waitMs`.
   */
  regenerate(req: RegenerateRequest): Promise<RegenerateResult>;
}

export function createThumbnailsService(strapi: Core.Strapi): ThumbnailsService {
  const cos = () => getService(strapi, 'cos');
  const config = () => getPluginConfig(strapi);
  const store = createJobStore(strapi);
  const deps = () => ({ cos: cos(), thumbnailPrefix: config().thumbnailPrefix, frameTiming: () => currentFrameTiming(strapi), early: earlySnapshots(strapi) });
  const worker = new ThumbnailWorker({
    store,
    config: () => config().worker,
    // GetSnapshot and PutObject only while the worker still holds the job: a worker that stalled
    // past its lease must not store an image the instance that took the job over stores too.
    // The save's check of the video stands in for the job's own on the first attempt only: a retry looks
    // again, and also for an image an earlier attempt stored (written once, even across a crash).
    produce: async (job, lease) => {
      const d = { ...deps(), cos: fenced(cos(), ['getSnapshot', 'putObject'], lease) };
      return (await reuseFinished(d, store, job)) ?? produceThumbnail(d, job.fingerprint, job.attempts <= 1 ? job.videoCheck : null, { lookForExisting: job.attempts > 1 && !job.force });
    },
    write: (job, result, trx) => writeResult(strapi, job, result, trx as DbTransaction | undefined),
    transaction: <T>(fn: (trx: unknown) => Promise<T>) => strapi.db.transaction(({ trx }) => fn(trx)) as Promise<T>,
    announce: (job, written) => announceSettled(strapi, job.entryUid, job.entryDocumentId, written as SettledWrite[]),
    noteRetry: (job, retry) => writeRetry(strapi, job, retry),
    log: strapi.log,
  });

  // The one place that asks whether we are inside a transaction: its jobs are not visible to
  // the worker (another connection) before the commit, so it is woken then and nobody waits.
  async function queue(jobs: NewJob[], waitMs = 0): Promise<Array<JobResult | undefined>> {
    const ids: number[] = [];
    for (const job of jobs) {
      const id = await store.enqueue(job);
      if (job.force) await store.supersede(job.entryUid, job.entryDocumentId, matchHash(job.fingerprint), id);
      ids.push(id);
    }
    if (strapi.db.inTransaction()) {
      await strapi.db.transaction(async ({ onCommit }) => onCommit(() => worker.wake()));
      return ids.map(() => undefined);
    }
    // A caller that waits runs its editor jobs in this process at once where a slot is free
    // (bulk jobs always go through the queue, behind every editor's job).
    const editors = waitMs > 0 ? ids.filter((_, i) => (jobs[i].priority ?? EDITOR_PRIORITY) <= EDITOR_PRIORITY) : [];
    const local = new Set(editors.length > 0 ? await worker.runNow([...new Set(editors)]) : []);
    if (local.size < new Set(ids).size) worker.wake();
    const results = await worker.waitFor(ids, waitMs, local);
    return ids.map((id) => results.get(id));
  }

  return {
    start: () => worker.start(),
    stop: () => worker.stop(),
    queue,

    async generate(input, opts = {}) {
      const path = opts.path ?? 'video';
      const choice = readClientChoice(input, path, opts.defaults ?? config().snapshot, config());
      if (!choice.ok) throw validationError(choice.errors);
      let result: JobResult;
      try {
        result = await produceThumbnail(deps(), choice.value);
      } catch (e) {
        if (!isCosError(e) || e.transient) throw e;
        result = { status: 'failed', thumbnail: null, media: null, error: { code: e.code, message: e.userMessage } };
      }
      return { ...choice.value, ...result };
    },

    backfill: (opts = {}) => backfill(strapi, { store, queue }, opts),

    async regenerate(req) {
      const stored = await loadDocumentValues(strapi, req.uid, req.documentId, { locale: req.locale });
      const choices: Array<VideoChoice & { path: string; locale: string | null }> = [];
      for (const s of stored) {
        const choice = storedChoice(s.value);
        if (!choice || (req.path && s.path !== req.path)) continue;
        if (!choices.some((c) => sameChoice(c, choice))) choices.push({ ...choice, path: s.path, locale: s.locale });
      }
      if (choices.length === 0) return { status: 'none', jobs: 0 };
      const results = await queue(
        choices.map((c) => ({
          entryUid: req.uid,
          entryDocumentId: req.documentId,
          entryLocale: c.locale,
          fieldPath: c.path,
          fingerprint: { bucket: c.bucket, region: c.region, key: c.key, snapshot: c.snapshot },
          force: true,
        })),
        req.waitMs ?? config().saveWaitMs,
      );
      const statuses = results.map((r) => r?.status ?? 'pending');
      const status: FieldStatus = statuses.includes('failed') ? 'failed' : statuses.includes('pending') ? 'pending' : 'ready';
      return { status, jobs: results.length };
    },
  };
}

export default ({ strapi }: { strapi: Core.Strapi }) => createThumbnailsService(strapi);
