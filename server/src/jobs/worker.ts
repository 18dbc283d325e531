import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RetryInfo } from '../../../common/field-value';
import type { WorkerConfig } from '../config/read';
import { leaseLine, type LeaseOutcome } from './audit';
import { backoffDelay } from './backoff';
import { HeldLease, LeaseLostError, type LeaseFence } from './held-lease';
import type { JobStore } from './store';
import { THUMBNAIL_ERROR_CODES } from '../../../common/contracts/error-codes';
import { isCosError } from '../cos/errors';
import type { JobResult, JobRow } from '../thumbnails/types';

export interface WorkerDeps {
  store: JobStore;
  config: () => WorkerConfig;
  /**
   * COS work for one job (throws CosError / anything on failure). Effects that must happen once
   * (GetSnapshot, PutObject) call `lease.confirm()` first; it rejects with LeaseLostError once the
   * job is no longer this worker's.
   */
  produce: (job: JobRow, lease: LeaseFence) => Promise<JobResult>;
  /**
   * Compare-and-set the result into the entry rows. Returns what `announce` needs to tell others
   * about the values it changed.
   */
  write: (job: JobRow, result: JobResult, trx?: unknown) => Promise<unknown>;
  /**
   * Runs `fn` in one database transaction (strapi.db.transaction), handing it the transaction
   * for raw queries: the result's writes and the job's finish then cost one commit. Without it
   * they run one by one.
   */
  transaction?: <T>(fn: (trx: unknown) => Promise<T>) => Promise<T>;
  /**
   * Announces the values `write` changed (entry events, webhooks). Called after the job row is
   * finished and this process's waiters were told, so a save waiting for its thumbnail does not
   * also wait for the announcement.
   */
  announce?: (job: JobRow, written: unknown) => Promise<unknown>;
  /** Records on the entry rows that the job is retrying after a transient error (value stays pending). */
  noteRetry: (job: JobRow, retry: RetryInfo) => Promise<unknown>;
  log: { warn(msg: string): void; error(msg: string): void; debug?(msg: string): void };
}

/** Finished jobs are kept this long (for inspection), then deleted. */
export const JOB_RETENTION_MS = 7 * 24 * 3600_000;
const SWEEP_EVERY_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * One per Strapi process. Polls for due jobs, claims as many as it has free slots in one
 * transaction (store.claimDue, a conditional UPDATE), runs at most `concurrency` at a time
 * (on SQLite a job's finishing transaction also claims the next job for its slot:
 * store.claimNextWithin, one commit per job),
 * renews the lease while a job runs, retries transient COS errors with jittered exponential
 * backoff (capped at `backoffMaxMs`) for `retryForMs` after the first one, and fails permanent
 * ones at once.
 *
 * Why two limits: an outage of hours is survived by time (`retryForMs`), however many attempts
 * that takes, while `maxAttempts` only bounds claims that ended in neither a result nor a
 * recorded retry — a job that keeps killing its process would otherwise loop for ever.
 */
export class ThumbnailWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Every job this worker started and whose promise has not ended (stop waits for them). */
  private readonly active = new Map<number, Promise<void>>();
  /**
   * The jobs holding one of the `concurrency` slots: claimed and not yet finished. A job gives its
   * slot up when its result is committed, before its entry events are announced.
   */
  private readonly slots = new Set<number>();
  private readonly events = new EventEmitter();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  private lastSweep = 0;

  constructor(private readonly deps: WorkerDeps) {
    this.events.setMaxListeners(0);
  }

  start(): void {
    if (this.running || !this.deps.config().enabled) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops polling and lets running jobs finish (bounded); unfinished ones resume elsewhere after their lease. */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.race([Promise.allSettled([...this.active.values()]), sleep(graceMs)]);
  }

  /** Look for work now (after a save, or a commit). Safe to call from any context. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Waits until every job settled (done or failed) or `ms` passed. Settlement is seen from
   * this process's events, and from the job table for jobs another process runs. `local`: ids
   * this process's worker has just claimed (runNow): their settlement comes as an event, so their
   * rows are first read after one poll interval (500 ms), in case it does not (lease lost, retry).
   */
  async waitFor(ids: number[], ms: number, local: ReadonlySet<number> = new Set()): Promise<Map<number, JobResult>> {
    const results = new Map<number, JobResult>();
    if (ids.length === 0 || ms <= 0) return results;
    const pending = new Set(ids);
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const onSettled = (id: number, result: JobResult) => {
      if (!pending.delete(id)) return;
      results.set(id, result);
      if (pending.size === 0) finish();
    };
    this.events.on('settled', onSettled);
    const deadline = Date.now() + ms;
    let first = true;
    try {
      while (pending.size > 0 && Date.now() < deadline) {
        for (const id of [...pending]) {
          if (first && local.has(id)) continue;
          const job = await this.deps.store.get(id);
          if (job && job.result && (job.status === 'done' || job.status === 'failed')) onSettled(id, job.result);
          else if (!job || job.status === 'superseded') pending.delete(id);
        }
        first = false;
        if (pending.size === 0) break;
        await Promise.race([done, sleep(Math.min(500, Math.max(0, deadline - Date.now())))]);
      }
    } finally {
      this.events.off('settled', onSettled);
    }
    return results;
  }

  /**
   * Claims and starts these jobs in this process now, as far as it has free slots: a save that
   * waits for its own thumbnails skips the wake → poll → findDue round. The same claim (single
   * flight, due, not leased), lease and fence as a polled job; a job another worker holds, or
   * one not claimable now, is left to the queue. Nothing when the worker is not running
   * (stopped, or `worker.enabled` false). Returns the ids it started.
   */
  async runNow(ids: number[]): Promise<number[]> {
    if (!this.running) return [];
    return (await this.claimAndLaunch([...new Set(ids)])).map((j) => j.id);
  }


  private async loop(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.tick();
      } catch (e) {
        this.deps.log.warn(`[cos-video] worker poll failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      if (this.wakeRequested) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.deps.config().pollIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async tick(): Promise<void> {
    const { concurrency } = this.deps.config();
    if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      await this.deps.store.sweep(Date.now() - JOB_RETENTION_MS);
    }
    const free = concurrency - this.slots.size;
    if (free <= 0) return;
    // One poll and claim round for every free slot (one transaction on SQLite).
    const jobs = await this.deps.store.pollAndClaim(free, this.id, this.deps.config().leaseMs, [...this.active.keys()]);
    // Claimed while stopping: launched all the same, as a stop lets running jobs finish.
    this.launchClaimed(jobs);
  }

  /**
   * Claims up to the free slots' worth of these candidate jobs (most urgent first) in one claim
   * round and starts them; returns what it started. All are launched after the claim, so none
   * can settle before a caller of runNow listens (waitFor).
   */
  private async claimAndLaunch(candidates: number[]): Promise<JobRow[]> {
    const { concurrency, leaseMs } = this.deps.config();
    const free = concurrency - this.slots.size;
    const ids = candidates.filter((id) => !this.active.has(id));
    if (free <= 0 || ids.length === 0) return [];
    const jobs = await this.deps.store.claimDue(ids, this.id, leaseMs, free);
    this.launchClaimed(jobs);
    return jobs;
  }

  /** Logs each claim (audit.ts) and starts the job. */
  private launchClaimed(jobs: JobRow[]): void {
    for (const job of jobs) {
      this.deps.log.debug?.(leaseLine({ kind: 'claimed', job: job.id, worker: this.id, at: Date.now(), until: job.lockedUntil! }));
      this.launch(job);
    }
  }

  private launch(job: JobRow): void {
    const id = job.id;
    // Whether to look for more work when this job ends: not when its finish already looked (and
    // found nothing due) in the same transaction (claimNextWithin).
    const after = { lookForWork: true };
    this.slots.add(id);
    const p = this.process(job, after)
      .catch((e) => this.deps.log.error(`[cos-video] job ${id} crashed: ${(e as Error).stack ?? e}`))
      .finally(() => {
        this.slots.delete(id);
        this.active.delete(id);
        if (after.lookForWork) this.wake();
      });
    this.active.set(id, p);
  }

  private async process(job: JobRow, after: { lookForWork: boolean }): Promise<void> {
    const id = job.id;
    let released = false;
    // Logged just before the UPDATE that gives the job up (see audit.ts); `lost` when it ends without one.
    const release = (outcome: LeaseOutcome, at = Date.now()) => {
      if (released) return;
      released = true;
      this.deps.log.debug?.(leaseLine({ kind: 'released', job: id, worker: this.id, at, outcome }));
    };
    try {
      await this.run(job, release, after);
    } finally {
      if (!released) release('lost');
    }
  }

  /** Runs a job as its claim returned it (running, leased by this worker). */
  private async run(job: JobRow, release: (outcome: LeaseOutcome, at?: number) => void, after: { lookForWork: boolean }): Promise<void> {
    const { store } = this.deps;
    const id = job.id;
    const cfg = this.deps.config();
    // Lost (taken over, superseded, or expired while this process stalled): from then on the job
    // is left alone — no COS call with effects, no write to the entries or the job row.
    const lease = new HeldLease(store, id, this.id, cfg.leaseMs, job.lockedUntil ?? Date.now(), (at) => release('lost', at));
    const stillOurs = () => lease.confirm().then(
      () => true,
      () => false,
    );
    lease.start();
    try {
      let result: JobResult;
      const failures = job.lastError?.failures ?? 0;
      // Claims not accounted for by a recorded transient failure: the process died or lost its lease mid-job.
      const interrupted = job.attempts - 1 - failures;
      try {
        result =
          interrupted >= cfg.maxAttempts
            ? {
                status: 'failed',
                thumbnail: null,
                media: null,
                error: { code: THUMBNAIL_ERROR_CODES.tooManyAttempts, message: `Thumbnail generation was interrupted ${interrupted} times and was given up. Save the entry again to retry.` },
              }
            : await this.deps.produce(job, lease);
      } catch (e) {
        if (e instanceof LeaseLostError || lease.lost) return;
        const permanent = isCosError(e) && !e.transient;
        const code = isCosError(e) ? e.code : THUMBNAIL_ERROR_CODES.internalError;
        const message = isCosError(e) ? e.userMessage : `Thumbnail generation failed: ${(e as Error).message}`;
        const now = Date.now();
        const since = job.lastError?.firstFailedAt ?? now;
        const left = since + cfg.retryForMs - now;
        if (!permanent && left > 0) {
          // The last attempt lands on the horizon rather than past it.
          const delay = Math.min(left, backoffDelay(failures + 1, cfg.backoffBaseMs, cfg.backoffMaxMs));
          const retry: RetryInfo = { attempts: job.attempts, nextAttemptAt: new Date(now + delay).toISOString(), lastError: { code, message } };
          this.deps.log.warn(`[cos-video] job ${id} attempt ${job.attempts} failed (${code}), retrying in ${delay} ms`);
          // Written while this worker still owns the job; compare-and-set keeps a newer value safe.
          if (!(await stillOurs())) return;
          await this.deps.noteRetry(job, retry).catch((err) => this.deps.log.warn(`[cos-video] job ${id}: could not record the retry on the entry: ${(err as Error).message}`));
          release('retry');
          await store.retryLater(id, this.id, now + delay, { code, message, firstFailedAt: since, failures: failures + 1 });
          return;
        }
        result = { status: 'failed', thumbnail: null, media: null, error: { code, message } };
      }
      // Lost the lease: leave the rows alone.
      if (!(await stillOurs())) return;
      const outcome = result.status === 'ready' ? 'done' : 'failed';
      let written: unknown;
      let finished: boolean;
      let next = null as JobRow[] | null;
      if (this.deps.transaction) {
        // The entry rows and the job row in one transaction: one commit, and no moment where the
        // rows hold the result while the job still looks unfinished. The finishing UPDATE's
        // changed-row count is the check that the job is still ours (not superseded by a newer job
        // for the same choice): when it is not, the transaction is rolled back, the rows untouched.
        // Entry rows first, then the job row: the order a save that re-queues a choice locks them in.
        try {
          written = await this.deps.transaction(async (trx) => {
            const w = await this.deps.write(job, result, trx);
            if (!(await store.finish(id, this.id, result, trx as never))) throw new NotOursError();
            // Logged before the commit: until then nobody else sees the job given up.
            release(outcome);
            // This job's slot, claimed again in the same commit (SQLite; null elsewhere). One job
            // at most: other free slots are the poll's, which may be claiming for them right now.
            if (this.running && this.slots.size <= cfg.concurrency) {
              next = await store.claimNextWithin(trx as never, 1, this.id, cfg.leaseMs, [...this.active.keys()]);
            }
            return w;
          });
          finished = true;
          this.slots.delete(id);
          if (next) {
            after.lookForWork = next.length > 0;
            this.launchClaimed(next);
          }
        } catch (e) {
          if (e instanceof NotOursError) return;
          throw e;
        }
      } else {
        // One statement after another: check first, so a superseded job writes nothing.
        if (!(await store.heldBy(id, this.id))) return;
        written = await this.deps.write(job, result);
        release(outcome);
        finished = await store.finish(id, this.id, result);
      }
      if (finished) {
        if (result.status === 'failed') this.deps.log.error(`[cos-video] thumbnail failed for ${describeJob(job)} after ${job.attempts} attempt(s): ${result.error?.code}: ${result.error?.message}`);
        this.events.emit('settled', id, result);
      }
      // After the waiters: the announcement re-reads the entry and runs every listener.
      await this.deps.announce?.(job, written);
    } finally {
      lease.stop();
    }
  }
}

/** Rolls back a result's transaction whose job turned out to be no longer this worker's. */
class NotOursError extends Error {}

/** Names a job's entry and field for operators' logs: content type, document id, locale, field path. */
function describeJob(job: Pick<JobRow, 'entryUid' | 'entryDocumentId' | 'entryLocale' | 'fieldPath'>): string {
  const locale = job.entryLocale ? ` (locale ${job.entryLocale})` : '';
  return `entry ${job.entryUid} ${job.entryDocumentId}${locale}, field "${job.fieldPath ?? '?'}"`;
}
