/**
 * Who held which job when, from the lease lines of every instance's log (server/src/jobs/audit.ts),
 * and whether two holds of one job ever overlapped.
 */
import { parseLeaseLine, type LeaseEvent } from '../../server/src/jobs/audit';

export interface Hold {
  job: number;
  worker: string;
  from: number;
  /** When the worker gave the job up, or its process was killed; Infinity while still held. */
  to: number;
  /** How the hold ended: a release outcome, `killed`, or `open` (neither, yet). */
  end: string;
}

export interface Overlap {
  job: number;
  a: Hold;
  b: Hold;
  /** Milliseconds both held the job. */
  ms: number;
}

/** Reads lines as they arrive (chunks may split lines) and keeps the lease events. */
export class LeaseLog {
  readonly events: LeaseEvent[] = [];
  private partial = new Map<string, string>();

  /** `source` keeps the line buffers of several streams apart. */
  push(source: string, chunk: string): void {
    const text = (this.partial.get(source) ?? '') + chunk;
    const lines = text.split('\n');
    this.partial.set(source, lines.pop() ?? '');
    for (const line of lines) {
      const e = parseLeaseLine(line);
      if (e) this.events.push(e);
    }
  }
}

/**
 * Pairs each claim with the same worker's next release of that job. A claim without a release
 * ends when the worker's process was killed (`kills`: pid → epoch ms; the worker id is
 * `host:pid:random`), else stays open.
 */
export function holds(events: LeaseEvent[], kills: Map<number, number> = new Map()): Hold[] {
  const out: Hold[] = [];
  const open = new Map<string, Hold>();
  const sorted = [...events].sort((x, y) => x.at - y.at || (x.kind === 'released' ? -1 : 1));
  for (const e of sorted) {
    const id = `${e.job} ${e.worker}`;
    if (e.kind === 'claimed') {
      const prev = open.get(id);
      // A second claim without a release in between: the first hold ended unseen; keep it open-ended.
      if (prev) out.push(prev);
      open.set(id, { job: e.job, worker: e.worker, from: e.at, to: Infinity, end: 'open' });
    } else {
      const h = open.get(id);
      if (!h) continue;
      open.delete(id);
      out.push({ ...h, to: e.at, end: e.outcome });
    }
  }
  for (const h of open.values()) {
    const pid = Number(h.worker.split(':').at(-2));
    const killedAt = kills.get(pid);
    out.push(killedAt !== undefined && killedAt >= h.from ? { ...h, to: killedAt, end: 'killed' } : h);
  }
  return out.sort((x, y) => x.job - y.job || x.from - y.from);
}

/** Every pair of holds of one job whose spans overlap by more than 0 ms. */
export function overlaps(all: Hold[]): Overlap[] {
  const byJob = new Map<number, Hold[]>();
  for (const h of all) byJob.set(h.job, [...(byJob.get(h.job) ?? []), h]);
  const out: Overlap[] = [];
  for (const [job, list] of byJob) {
    list.sort((x, y) => x.from - y.from);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j].from < list[i].to; j++) {
        const ms = Math.min(list[i].to, list[j].to) - list[j].from;
        if (ms > 0) out.push({ job, a: list[i], b: list[j], ms });
      }
    }
  }
  return out;
}
