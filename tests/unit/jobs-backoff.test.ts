import { backoffDelay } from '../../server/src/jobs/backoff';

describe('backoffDelay', () => {
  it('doubles per attempt, half fixed and half random (equal jitter)', () => {
    expect(backoffDelay(1, 1000, 300_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 300_000, () => 1)).toBe(1000);
    expect(backoffDelay(2, 1000, 300_000, () => 0)).toBe(1000);
    expect(backoffDelay(4, 1000, 300_000, () => 0.5)).toBe(6000);
  });

  it('is capped at the maximum', () => {
    expect(backoffDelay(30, 1000, 300_000, () => 1)).toBe(300_000);
    expect(backoffDelay(30, 1000, 300_000, () => 0)).toBe(150_000);
  });

  it('spreads retries of the same attempt', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(3, 1000, 300_000)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d >= 2000 && d <= 4000).toBe(true);
  });
});
