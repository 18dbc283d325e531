/** Small numeric helpers and the table `npm run bench` prints. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface Row {
  benchmark: string;
  n: string;
  result: string;
  detail: string;
}

export function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ['benchmark', 'n', 'result', 'detail'];
  const width = (c: keyof Row) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width(c))).join(' | ')} |`;
  console.log(line({ benchmark: 'benchmark', n: 'n', result: 'result', detail: 'detail' }));
  console.log(`|${cols.map((c) => '-'.repeat(width(c) + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/**
 * One line of the main table: the plugin against the raw-SDK floor measured in the same run.
 * `plugin` / `floor` are display strings (a p50 or a rate); `ratio` is plugin / floor; `goal`
 * is "≤ X×" (times: lower is better) or "≥ X×" (rates: higher is better), which decides the mark.
 */
export interface RatioRow {
  what: string;
  plugin: string;
  floor: string;
  ratio: number;
  goal: string;
}

/** Whether a ratio meets its goal ("≤ 1.2×", "≥ 0.9×"); null when the goal cannot be read. */
export function meetsGoal(ratio: number, goal: string): boolean | null {
  const m = /^\s*(≤|<=|≥|>=)\s*([\d.]+)/.exec(goal);
  if (!m || !Number.isFinite(ratio)) return null;
  const limit = Number(m[2]);
  return m[1] === '≤' || m[1] === '<=' ? ratio <= limit : ratio >= limit;
}

/** The main table: what, plugin, raw-SDK floor, ratio, goal and a pass (✓) / fail (✗) mark. */
export function printRatioTable(rows: RatioRow[]): void {
  const table = rows.map((r) => {
    const ok = meetsGoal(r.ratio, r.goal);
    return [r.what, r.plugin, r.floor, `${r.ratio.toFixed(2)}×`, r.goal, ok === null ? '?' : ok ? '✓' : '✗'];
  });
  const head = ['what', 'plugin', 'raw SDK floor', 'ratio', 'goal', ''];
  const width = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const t of table) console.log(line(t));
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Times an async call in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}
