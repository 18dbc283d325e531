/**
 * Compares two V8 heap snapshots (.heapsnapshot, e.g. from BENCH_HEAP_SNAPSHOTS): per
 * constructor (object nodes) or node type (strings, code, arrays…), the change in count and in
 * self size, largest growth first. Self size only: what each node itself occupies, not what it
 * keeps alive, which is enough to see which kind of object piles up.
 *
 *   node --import tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows=30]
 */
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size (bytes) per group: object nodes by constructor name, the rest by node type. */
function groupSizes(snap: Snapshot): Map<string, { count: number; size: number }> {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const key = type === 'object' || type === 'closure' ? `${type} ${snap.strings[snap.nodes[i + nameAt]]}` : `(${type})`;
    const g = out.get(key) ?? { count: 0, size: 0 };
    g.count++;
    g.size += snap.nodes[i + sizeAt];
    out.set(key, g);
  }
  return out;
}

function main(): void {
  const [a, b, rows = '30'] = process.argv.slice(2);
  if (!a || !b) throw new Error('usage: node --import tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows]');
  const before = groupSizes(JSON.parse(fs.readFileSync(a, 'utf8')) as Snapshot);
  const after = groupSizes(JSON.parse(fs.readFileSync(b, 'utf8')) as Snapshot);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const diff = [...keys].map((k) => {
    const x = before.get(k) ?? { count: 0, size: 0 };
    const y = after.get(k) ?? { count: 0, size: 0 };
    return { k, dCount: y.count - x.count, dSize: y.size - x.size, size: y.size };
  });
  diff.sort((p, q) => q.dSize - p.dSize);
  const total = (m: Map<string, { size: number }>) => [...m.values()].reduce((s, g) => s + g.size, 0);
  console.log(`self size: ${(total(before) / 1048576).toFixed(1)} MB → ${(total(after) / 1048576).toFixed(1)} MB`);
  console.log('Δ self size   Δ count    now         group');
  for (const d of diff.slice(0, Number(rows)))
    console.log(`${(d.dSize / 1024).toFixed(0).padStart(9)} kB ${String(d.dCount).padStart(9)} ${(d.size / 1024).toFixed(0).padStart(9)} kB  ${d.k}`);
}

main();
