import { leaseLine, parseLeaseLine, type LeaseEvent } from '../../server/src/jobs/audit';
import { holds, LeaseLog, overlaps } from '../../dev/soak/leases';

const A = 'box:100:aaaa';
const B = 'box:200:bbbb';
const claimed = (job: number, worker: string, at: number): LeaseEvent => ({ kind: 'claimed', job, worker, at, until: at + 3000 });
const released = (job: number, worker: string, at: number, outcome: 'done' | 'retry' | 'lost' = 'done'): LeaseEvent => ({ kind: 'released', job, worker, at, outcome });

describe('lease lines', () => {
  it('round-trip through a logger decoration, and other lines are not lease events', () => {
    const c = claimed(12, A, 1764460800123);
    const r = released(12, A, 1764460801456, 'retry');
    expect(parseLeaseLine(`[2026-11-30 01:00:00.000] debug: ${leaseLine(c)}`)).toEqual(c);
    expect(parseLeaseLine(leaseLine(r))).toEqual(r);
    expect(parseLeaseLine('[cos-video] job 12 attempt 1 failed (ServiceUnavailable), retrying in 100 ms')).toBeNull();
    expect(parseLeaseLine('[cos-video] lease released job=12 worker=x at=1 outcome=maybe')).toBeNull();
  });

  it('are collected from chunks that split lines, per stream', () => {
    const log = new LeaseLog();
    const line = leaseLine(claimed(3, A, 10));
    log.push('a', `noise\n${line.slice(0, 20)}`);
    log.push('b', `${leaseLine(released(4, B, 11))}\n`);
    log.push('a', `${line.slice(20)}\nmore`);
    expect(log.events).toEqual([released(4, B, 11), claimed(3, A, 10)]);
  });
});

describe('holds and overlaps', () => {
  it('a release then a claim by another worker at the same millisecond do not overlap', () => {
    const h = holds([claimed(1, A, 100), released(1, A, 200, 'retry'), claimed(1, B, 200), released(1, B, 300)]);
    expect(h.map((x) => [x.worker, x.from, x.to, x.end])).toEqual([
      [A, 100, 200, 'retry'],
      [B, 200, 300, 'done'],
    ]);
    expect(overlaps(h)).toEqual([]);
  });

  it('a worker still holding a job another worker claimed is an overlap of the shared span', () => {
    const h = holds([claimed(1, A, 100), claimed(1, B, 150), released(1, B, 300), released(1, A, 400, 'lost')]);
    const o = overlaps(h);
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ job: 1, ms: 150 });
  });

  it('a killed process holds its unreleased jobs until the kill; a live one holds them for good', () => {
    const kills = new Map([[100, 500]]);
    const h = holds([claimed(1, A, 100), claimed(1, B, 600), claimed(2, B, 700)], kills);
    expect(h.map((x) => [x.job, x.worker, x.to, x.end])).toEqual([
      [1, A, 500, 'killed'],
      [1, B, Infinity, 'open'],
      [2, B, Infinity, 'open'],
    ]);
    expect(overlaps(h)).toEqual([]);
    // claimed before the kill took effect: overlaps
    expect(overlaps(holds([claimed(1, A, 100), claimed(1, B, 450)], kills))).toMatchObject([{ job: 1, ms: 50 }]);
  });
});
