import type { Core } from '@strapi/strapi';
import type { CosVideoValue, FieldStatus, SnapshotParams } from '../../../common/field-value';
import { PLUGIN_ID } from '../../../common/plugin-id';
import { getPluginConfig } from '../config/read';
import { isCosError } from '../cos/errors';
import { validationError } from '../utils/validation-error';
import { loadDocumentValues } from '../field/entries';
import { backfill, type BackfillOptions, type BackfillReport } from '../thumbnails/backfill';
import { readClientChoice } from '../field/input';
import { createJobStore } from '../jobs/store';
import { produceThumbnail, reuseFinished, writeResult, writeRetry } from '../thumbnails/run-job';
import { matchHash, sameChoice, type VideoChoice } from '../thumbnails/snapshot-key';
import type { CosPort, JobResult, NewJob } from '../thumbnails/types';
import { ThumbnailWorker } from '../jobs/worker';

export interface RegenerateRequest {
  uid: string;
  documentId: string;
  /** Only values of this locale (default: every locale). */
  locale?: string;
  /** Only the value at this field path, e.g. `video` or `blocks.0.video` (default: every COS video field). */
  path?: string;
  /** How long to wait for the result (default config.saveWaitMs). */
  waitMs?: number;
}

/**
 * The `thumbnails` service (strapi.plugin('cos-video').service('thumbnails')): the job
 * queue + worker of this process, and the calls other code may use — generate() for a
 * bare value, regenerate() for an entry (the admin API's regenerate endpoint).
 */
export function createThumbnailsService(strapi: Core.Strapi) {
  const cos = () => strapi.plugin(PLUGIN_ID).service('cos') as unknown as CosPort;
  const config = () => getPluginConfig(strapi);
  const store = createJobStore(strapi);
  const deps = () => ({ cos: cos(), thumbnailPrefix: config().thumbnailPrefix });
  const worker = new ThumbnailWorker({
    store,
    config: () => config().worker,
    produce: async (job) => (await reuseFinished(deps(), store, job)) ?? produceThumbnail(deps(), job.fingerprint, job.force),
    write: (job, result) => writeResult(strapi, job, result),
    noteRetry: (job, retry) => writeRetry(strapi, job, retry),
    log: strapi.log,
  });

  /** Records jobs (inside the caller's transaction if there is one) and makes sure they run. */
  async function enqueue(jobs: NewJob[]): Promise<number[]> {
    const ids: number[] = [];
    for (const job of jobs) {
      const id = await store.enqueue(job);
      if (job.force) await store.supersede(job.entryUid, job.entryDocumentId, matchHash(job.fingerprint), id);
      ids.push(id);
    }
    if (strapi.db.inTransaction()) {
      // Not visible to the worker (another connection) before the commit: wake it then.
      await strapi.db.transaction(async ({ onCommit }) => onCommit(() => worker.wake()));
    } else {
      worker.wake();
    }
    return ids;
  }

  return {
    worker,
    store,
    enqueue,
    start: () => worker.start(),
    stop: () => worker.stop(),

    /** Waits up to `ms` for the jobs; returns the results of those that settled. */
    waitFor: (ids: number[], ms: number): Promise<Map<number, JobResult>> => worker.waitFor(ids, ms),

    /**
     * Generates a thumbnail for a value right now, without any entry: validates it like the
     * field does (ValidationError on bad input), then GetSnapshot → PutObject → video info.
     * Permanent COS failures come back as `status: "failed"`; transient ones are thrown.
     */
    async generate(input: unknown, opts: { path?: string; defaults?: SnapshotParams } = {}): Promise<CosVideoValue> {
      const path = opts.path ?? 'video';
      const choice = readClientChoice(input, path, opts.defaults ?? config().snapshot, cos());
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

    /**
     * Backfill: queues a thumbnail for every COS video value that has none yet (entries
     * imported or seeded without the document service). Returns counts; jobs run in the background.
     */
    backfill: (opts: BackfillOptions = {}): Promise<BackfillReport> => backfill(strapi, { store, cos: cos(), enqueue }, opts),

    /**
     * Regenerates the thumbnails of an entry (all its COS video values, or one locale / path):
     * re-reads the video's ETag and runs GetSnapshot again even if an image exists.
     * Waits up to saveWaitMs; returns the resulting status (worst of the values).
     */
    async regenerate(req: RegenerateRequest): Promise<{ status: FieldStatus | 'none'; jobs: number }> {
      const stored = await loadDocumentValues(strapi, req.uid, req.documentId, { locale: req.locale });
      const choices: Array<VideoChoice & { path: string; locale: string | null }> = [];
      for (const s of stored) {
        const v = s.value as Partial<CosVideoValue> | null;
        if (!v || !v.key || !v.bucket || !v.region || !v.snapshot) continue;
        if (req.path && s.path !== req.path) continue;
        const choice: VideoChoice = { bucket: v.bucket, region: v.region, key: v.key, snapshot: v.snapshot };
        if (!choices.some((c) => sameChoice(c, choice))) choices.push({ ...choice, path: s.path, locale: s.locale });
      }
      if (choices.length === 0) return { status: 'none', jobs: 0 };
      const ids = await enqueue(
        choices.map((c) => ({
          entryUid: req.uid,
          entryDocumentId: req.documentId,
          entryLocale: c.locale,
          fieldPath: c.path,
          fingerprint: { bucket: c.bucket, region: c.region, key: c.key, snapshot: c.snapshot },
          force: true,
        })),
      );
      // Inside a caller's transaction the jobs only become visible at commit: do not wait for them.
      const waitMs = strapi.db.inTransaction() ? 0 : (req.waitMs ?? config().saveWaitMs);
      const results = await worker.waitFor(ids, waitMs);
      const statuses = ids.map((id) => results.get(id)?.status ?? 'pending');
      const status: FieldStatus = statuses.includes('failed') ? 'failed' : statuses.includes('pending') ? 'pending' : 'ready';
      return { status, jobs: ids.length };
    },
  };
}

export type ThumbnailsService = ReturnType<typeof createThumbnailsService>;

export default ({ strapi }: { strapi: Core.Strapi }) => createThumbnailsService(strapi);
