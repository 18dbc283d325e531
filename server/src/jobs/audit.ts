/**
 * One debug log line per lease event of a job, so an operator (or the soak test, which reads
 * the log of every instance) can tell which worker held which job when:
 *
 *   [cos-video] lease claimed job=12 worker=host:4242:9f00aa11 at=1764460800123 until=1764460803123
 *   [cos-video] lease released job=12 worker=host:4242:9f00aa11 at=1764460801456 outcome=done
 *
 * `at` and `until` are epoch milliseconds. A claim is logged after the claiming UPDATE won and a
 * release before the UPDATE that gives the job up, so the logged span lies inside the span the
 * worker really held the job: spans of different workers may touch but never overlap while the
 * lease works. Outcomes: `done`, `failed` (settled), `retry` (back to the queue), `lost` (the
 * lease was taken over or the job superseded: the worker stopped without writing).
 */
export type LeaseOutcome = 'done' | 'failed' | 'retry' | 'lost';

export type LeaseEvent =
  | { kind: 'claimed'; job: number; worker: string; at: number; until: number }
  | { kind: 'released'; job: number; worker: string; at: number; outcome: LeaseOutcome };

const PREFIX = '[cos-video] lease';

export function leaseLine(e: LeaseEvent): string {
  const tail = e.kind === 'claimed' ? `until=${e.until}` : `outcome=${e.outcome}`;
  return `${PREFIX} ${e.kind} job=${e.job} worker=${e.worker} at=${e.at} ${tail}`;
}

const LINE = /\[cos-video\] lease (claimed|released) job=(\d+) worker=(\S+) at=(\d+) (?:until=(\d+)|outcome=(done|failed|retry|lost))/;

/** The lease event in one log line (any logger decoration around it is ignored), or null. */
export function parseLeaseLine(line: string): LeaseEvent | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const [, kind, job, worker, at, until, outcome] = m;
  if (kind === 'claimed' && until !== undefined) return { kind, job: Number(job), worker, at: Number(at), until: Number(until) };
  if (kind === 'released' && outcome !== undefined) return { kind, job: Number(job), worker, at: Number(at), outcome: outcome as LeaseOutcome };
  return null;
}
