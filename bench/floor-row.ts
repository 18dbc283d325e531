import fs from 'node:fs';

/**
 * One line of a "against the floor" table: what was measured, the plugin's figure, the floor's
 * (the raw SDK doing the same work in the same run), plugin ÷ floor, and the goal. The shared
 * bench row type of issue 10 was not on main when the browser benches were written; this is the
 * same shape, so the two merge into one table.
 */
export interface FloorRow {
  what: string;
  plugin: string;
  floor: string;
  ratio: number;
  goal: string;
}

export function printFloorTable(rows: FloorRow[]): void {
  const cells = rows.map((r) => [r.what, r.plugin, r.floor, `${r.ratio.toFixed(2)}×`, r.goal]);
  const head = ['what', 'plugin', 'floor', 'ratio', 'goal'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(width[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

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
