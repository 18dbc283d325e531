/**
 * Fault injection for reliability tests: added latency, failures with 500/503 and dropped
 * connections for a fraction of the requests in scope. Off unless configured.
 */
import type { FaultConfig } from './types';

export type FaultAction = { kind: 'none' } | { kind: 'drop' } | { kind: 'fail'; status: number };

export function normalizeFaults(f: FaultConfig): FaultConfig {
  const rate = (name: string, v: number | undefined) => {
    if (v === undefined) return undefined;
    if (!(v >= 0 && v <= 1)) throw new Error(`${name} must be between 0 and 1, got ${v}`);
    return v;
  };
  if (f.failStatus !== undefined && f.failStatus !== 500 && f.failStatus !== 503) {
    throw new Error(`failStatus must be 500 or 503, got ${f.failStatus}`);
  }
  if (f.latencyMs !== undefined && !(f.latencyMs >= 0)) throw new Error(`latencyMs must be >= 0, got ${f.latencyMs}`);
  if (f.scope !== undefined && !['all', 'ci', 'write'].includes(f.scope)) {
    throw new Error(`scope must be all, ci or write, got ${f.scope}`);
  }
  return {
    failRate: rate('failRate', f.failRate),
    failStatus: f.failStatus,
    latencyMs: f.latencyMs,
    dropRate: rate('dropRate', f.dropRate),
    scope: f.scope,
  };
}

export function inScope(f: FaultConfig, method: string, query: Record<string, string>): boolean {
  switch (f.scope ?? 'all') {
    case 'ci':
      return 'ci-process' in query;
    case 'write':
      return method === 'PUT' || method === 'POST';
    default:
      return true;
  }
}

export async function decideFault(
  f: FaultConfig,
  method: string,
  query: Record<string, string>,
  random: () => number = Math.random,
): Promise<FaultAction> {
  if (!inScope(f, method, query)) return { kind: 'none' };
  if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
  if (f.dropRate && random() < f.dropRate) return { kind: 'drop' };
  if (f.failRate && random() < f.failRate) return { kind: 'fail', status: f.failStatus ?? 503 };
  return { kind: 'none' };
}
