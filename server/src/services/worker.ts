import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { WorkerConfig } from '../config/read';
import { backoffDelay } from './jobs-backoff';
import type { JobStore } from './jobs-store';
import { isCosError, type JobResult, type JobRow } from './thumbnails-types';

export interface WorkerDeps {
  store: JobStore;
  config: () => WorkerConfig;
  /** COS work for one job (throws CosError / anything on failure). */
  produce: (job: JobRow) => Promise<JobResult>;
  /** Compare-and-set the result into the entry rows. */
  write: (job: JobRow, result: JobResult) => Promise<unknown>;
  log: { warn(msg: string): void; error(msg: string): void; debug?(msg: string): void };
}

/** Finished jobs are kept this long (for inspection), then deleted. */
export const JOB_RETENTION_MS = 7 * 24 * 3600_000;
const SWEEP_EVERY_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * One per Strapi process. Polls for due jobs, claims each with a conditional UPDATE, runs at
 * most `concurrency` at a time, renews the lease while a job runs, retries transient COS
 * errors with jittered exponential backoff and fails permanent ones at once.
 */
export class ThumbnailWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly active = new Map<number, Promise<void>>();
  private readonly events = new EventEmitter();
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  private lastSweep = 0;

  constructor(private readonly deps: WorkerDeps) {
    this.events.setMaxListeners(0);
  }

  get isRunning(): boolean {
    return this.running;
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
   * this process's events, and from the job table for jobs another process runs.
   */
  async waitFor(ids: number[], ms: number): Promise<Map<number, JobResult>> {
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
    try {
      while (pending.size > 0 && Date.now() < deadline) {
        for (const id of [...pending]) {
          const job = await this.deps.store.get(id);
          if (job && job.result && (job.status === 'done' || job.status === 'failed')) onSettled(id, job.result);
          else if (!job || job.status === 'superseded') pending.delete(id);
        }
        if (pending.size === 0) break;
        await Promise.race([done, sleep(Math.min(500, Math.max(0, deadline - Date.now())))]);
      }
    } finally {
      this.events.off('settled', onSettled);
    }
    return results;
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
    const { concurrency, leaseMs } = this.deps.config();
    if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = Date.now();
      await this.deps.store.sweep(Date.now() - JOB_RETENTION_MS);
    }
    const free = concurrency - this.active.size;
    if (free <= 0) return;
    const ids = await this.deps.store.findDue(free * 3);
    for (const id of ids) {
      if (!this.running || this.active.size >= concurrency) break;
      if (this.active.has(id)) continue;
      if (await this.deps.store.claim(id, this.id, leaseMs)) this.launch(id);
    }
  }

  private launch(id: number): void {
    const p = this.process(id)
      .catch((e) => this.deps.log.error(`[cos-video] job ${id} crashed: ${(e as Error).stack ?? e}`))
      .finally(() => {
        this.active.delete(id);
        this.wake();
      });
    this.active.set(id, p);
  }

  private async process(id: number): Promise<void> {
    const { store } = this.deps;
    const job = await store.get(id);
    if (!job || job.status !== 'running' || job.lockedBy !== this.id) return;
    const cfg = this.deps.config();
    let lost = false;
    const renewal = setInterval(() => {
      store.renew(id, this.id, cfg.leaseMs).then(
        (ok) => (lost ||= !ok),
        () => undefined,
      );
    }, Math.max(250, Math.floor(cfg.leaseMs / 3)));
    try {
      let result: JobResult;
      try {
        // Claims count as attempts, so a job that keeps killing its process ends too.
        result =
          job.attempts > cfg.maxAttempts
            ? {
                status: 'failed',
                thumbnail: null,
                media: null,
                error: { code: 'TooManyAttempts', message: `Thumbnail generation was interrupted ${job.attempts - 1} times and was given up. Save the entry again to retry.` },
              }
            : await this.deps.produce(job);
      } catch (e) {
        const permanent = isCosError(e) && !e.transient;
        const code = isCosError(e) ? e.code : 'InternalError';
        const message = isCosError(e) ? e.userMessage : `Thumbnail generation failed: ${(e as Error).message}`;
        if (!permanent && job.attempts < cfg.maxAttempts) {
          const delay = backoffDelay(job.attempts, cfg.backoffBaseMs, cfg.backoffMaxMs);
          this.deps.log.warn(`[cos-video] job ${id} attempt ${job.attempts} failed (${code}), retrying in ${delay} ms`);
          await store.retryLater(id, this.id, Date.now() + delay, { code, message });
          return;
        }
        result = { status: 'failed', thumbnail: null, media: null, error: { code, message } };
      }
      // Lost the lease, or superseded by a newer job for the same choice: leave the rows alone.
      const fresh = lost ? null : await store.get(id);
      if (!fresh || fresh.status !== 'running' || fresh.lockedBy !== this.id) return;
      await this.deps.write(job, result);
      if (await store.finish(id, this.id, result)) this.events.emit('settled', id, result);
    } finally {
      clearInterval(renewal);
    }
  }
}
