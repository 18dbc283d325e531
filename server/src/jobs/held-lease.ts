import type { JobStore } from './store';

/** What a job's work may ask of the worker's lease: proof that the job is still its own. */
export interface LeaseFence {
  /**
   * Renews the lease and resolves while this worker still holds it; rejects with
   * LeaseLostError once it does not (taken over, superseded, or expired by this process's clock).
   */
  confirm(): Promise<void>;
}

export class LeaseLostError extends Error {
  constructor(job: number) {
    super(`the lease on job ${job} was lost`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The lease a worker holds on one running job. Renewed in the background every third of
 * `leaseMs`; lost for good when a renewal finds the job no longer ours (another worker claimed
 * it after the lease expired — e.g. this process stalled: GC pause, overloaded machine, SIGSTOP —
 * or it was superseded). Work with effects that must happen once (GetSnapshot, PutObject, writing
 * the entries) calls confirm() first, so a worker never acts on a job another one holds.
 * A lease that expired while nobody claimed the job is still ours: the renewal takes it back.
 */
export class HeldLease implements LeaseFence {
  private timer: NodeJS.Timeout | null = null;
  private lostAt: number | null = null;
  /** When the last renewal that succeeded was sent (the claim's time at first). */
  private renewedAt: number;

  /**
   * @param until epoch ms the claim's lease ends at (the job row's `lockedUntil`)
   * @param onLost called once, with the epoch ms the lease ended: the end of the last lease granted
   *   when it expired before the loss was noticed (another worker can only have claimed it after that)
   */
  constructor(
    private readonly store: Pick<JobStore, 'renew'>,
    private readonly job: number,
    private readonly worker: string,
    private readonly leaseMs: number,
    private until: number,
    private readonly onLost: (at: number) => void,
  ) {
    this.renewedAt = until - leaseMs;
  }

  start(): void {
    this.timer = setInterval(() => {
      void this.renew().catch(() => undefined); // a failed renewal is retried; expiry decides
    }, Math.max(250, Math.floor(this.leaseMs / 3)));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** True once a renewal found the job no longer ours. */
  get lost(): boolean {
    return this.lostAt !== null;
  }

  async confirm(): Promise<void> {
    if (this.lost) throw new LeaseLostError(this.job);
    // Renewed moments ago: the database holds the lease for most of leaseMs yet, nobody can have
    // claimed it. A stall shows as time passed since then, and the renewal below decides.
    if (Date.now() - this.renewedAt < this.leaseMs / 3) return;
    if (!(await this.renew())) throw new LeaseLostError(this.job);
  }

  /** One renewal; false when the lease is lost. */
  private async renew(): Promise<boolean> {
    if (this.lost) return false;
    const sent = Date.now();
    if (!(await this.store.renew(this.job, this.worker, this.leaseMs, sent))) {
      this.lose(Math.min(Date.now(), this.until));
      return false;
    }
    if (this.lost) return false; // a concurrent renewal found it lost
    this.until = Math.max(this.until, sent + this.leaseMs);
    this.renewedAt = Math.max(this.renewedAt, sent);
    return true;
  }

  private lose(at: number): void {
    if (this.lostAt !== null) return;
    this.lostAt = at;
    this.stop();
    this.onLost(at);
  }
}

/** `port` with the named async methods run only after `fence.confirm()`. */
export function fenced<T extends object>(port: T, methods: Array<keyof T>, fence: LeaseFence): T {
  const out = { ...port };
  for (const m of methods) {
    const fn = port[m] as unknown as (...a: unknown[]) => Promise<unknown>;
    (out as Record<keyof T, unknown>)[m] = async (...a: unknown[]) => {
      await fence.confirm();
      return fn.apply(port, a);
    };
  }
  return out;
}
