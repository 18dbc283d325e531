/**
 * `npm run soak`: the soak at full size (dev/soak/harness.ts). Prints a summary and exits 1 when
 * a check fails. Sizes from the environment:
 *   SOAK_ENTRIES        entries to create, integer ≥ 10, default 1000
 *   SOAK_FAIL_RATE      share of COS requests answered 503, 0..1, default 0.2
 *   SOAK_DROP_RATE      share of COS requests whose connection is dropped, 0..1, default 0.02
 *   SOAK_RSS_TOLERANCE  allowed RSS growth from the middle to the end of a run, fraction ≥ 0, default 0.25
 * Needs `npm run build` first (the apps load the plugin from this repository's dist/) and PostgreSQL 15 binaries.
 */
import path from 'node:path';
import { KIT_TMP } from '../app-kit';
import { formatSummary, runSoak, SOAK_DEFAULTS } from './harness';

function envNumber(name: string, fallback: number, check: (n: number) => boolean, allowed: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`${name} must be ${allowed}, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const entries = envNumber('SOAK_ENTRIES', SOAK_DEFAULTS.entries, (n) => Number.isInteger(n) && n >= 10, 'an integer of at least 10');
  const failRate = envNumber('SOAK_FAIL_RATE', SOAK_DEFAULTS.failRate, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const dropRate = envNumber('SOAK_DROP_RATE', SOAK_DEFAULTS.dropRate, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const rssTolerance = envNumber('SOAK_RSS_TOLERANCE', SOAK_DEFAULTS.rssTolerance, (n) => n >= 0, 'a number of at least 0');
  const t0 = Date.now();
  const log = (line: string) => console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const report = await runSoak({ dir: path.join(KIT_TMP, `soak-${process.pid}`), entries, failRate, dropRate, rssTolerance, log });
  console.log(`\n${formatSummary(report)}`);
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
