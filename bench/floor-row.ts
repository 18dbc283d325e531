import fs from 'node:fs';
import type { RatioRow } from './stats';

/** One line of the table against the floor (the shared row type, bench/stats.ts). */
export type FloorRow = RatioRow;

/** Resident set size of a process in bytes (Linux /proc), NaN where it cannot be read. */
export function rssOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * tsx (esbuild) wraps named functions in `__name(…)`, which page.evaluate then runs in the page,
 * where no `__name` exists: define it there (as a string, so it is not rewritten itself).
 */
export const PAGE_NAME_SHIM = 'window.__name = window.__name || ((f) => f)';
