/**
 * CPU profiles of the bench's timed spans, and where their samples go.
 *
 * `profileSpan(name, fn)`: with BENCH_CPU_PROFILE=DIR, records a V8 CPU profile of this process
 * (Strapi's, the plugin's and the bench's code) while `fn` runs and writes DIR/<name>.cpuprofile
 * (open it in Chrome's DevTools); without it, only runs `fn`. Profiling through the inspector
 * costs the profiled side some speed: rates of a profiled run are not comparable.
 *
 * Run as a script, it splits the samples of one or more profiles by owner:
 *
 *   node --import tsx bench/cpu-profile.ts DIR/*.cpuprofile
 *
 * Each sample goes to the owner of the nearest frame above it that has one: the plugin (its built
 * code), knex, better-sqlite3 (a native SQLite call made by knex's driver counts here too, split
 * into the BEGIN / COMMIT of transactions and the queries), the COS SDK (with cos-request and
 * cos-fast-xml-parser), sharp, Strapi, the emulator, the bench, or another package by name; V8's own
 * `(garbage collector)`, `(program)` and `(idle)` stay as they are; samples with only Node's own
 * frames (timers, streams, http) count as `node`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));

/** Runs `fn`, under the CPU profiler when BENCH_CPU_PROFILE names a directory. */
export async function profileSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    // 1 ms between samples (V8's default); a bulk batch of a few seconds gives thousands
    await post(session, 'Profiler.setSamplingInterval', { interval: 1000 });
    await post(session, 'Profiler.start');
    const value = await fn();
    const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return value;
  } finally {
    session.disconnect();
  }
}

const REPO = path.resolve(__dirname, '..');

/** The owner of one frame, or undefined when it has none of its own (Node internals, anonymous natives). */
function ownerOf(f: CallFrame): string | undefined {
  const url = f.url.replace(/^file:\/\//, '');
  if (!url) return undefined;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    // the SDK and the packages it ships with for HTTP and XML
    if (pkg === 'cos-nodejs-sdk-v5' || pkg === 'cos-request' || pkg === 'cos-fast-xml-parser') return 'COS SDK';
    if (pkg.startsWith('@strapi/')) return 'Strapi';
    return pkg;
  }
  if (url.startsWith(path.join(REPO, 'dist', 'server')) || url.startsWith(path.join(REPO, 'server'))) return 'plugin';
  if (url.startsWith(path.join(REPO, 'dev', 'emulator'))) return 'emulator';
  if (url.startsWith(path.join(REPO, 'bench'))) return 'bench';
  if (url.startsWith(REPO)) return path.relative(REPO, url).split(path.sep).slice(0, 2).join('/');
  return undefined;
}

/** Samples per owner, over all the profiles given. */
export function splitSamples(profiles: Profile[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const memo = new Map<number, string>();
    const attribute = (leafId: number): string => {
      const known = memo.get(leafId);
      if (known) return known;
      const leaf = byId.get(leafId)!;
      const special = /^\((garbage collector|program|idle|root)\)$/.exec(leaf.callFrame.functionName);
      let owner: string | undefined = special ? leaf.callFrame.functionName : undefined;
      for (let id: number | undefined = leafId; !owner && id !== undefined; id = parent.get(id)) owner = ownerOf(byId.get(id)!.callFrame);
      // knex's SQLite driver calls better-sqlite3's native statement methods directly: a native leaf
      // right under that driver is SQLite's own work, not knex's; the statements knex's
      // transactions send themselves (BEGIN, COMMIT: with synchronous FULL a COMMIT waits for the
      // disk, on this thread) are told apart from the queries'
      if (owner === 'knex' && !leaf.callFrame.url && /dialects\/better-sqlite3/.test(byId.get(parent.get(leafId) ?? -1)?.callFrame.url ?? '')) {
        let from: string | undefined;
        for (let id = parent.get(leafId); id !== undefined && !from; id = parent.get(id)) {
          const url = byId.get(id)!.callFrame.url;
          if (/knex\/lib\/execution\/(transaction|runner)\.js/.test(url)) from = url;
        }
        owner = from && /transaction\.js/.test(from) ? 'better-sqlite3 (BEGIN / COMMIT of transactions)' : 'better-sqlite3 (queries)';
      }
      owner ??= 'node';
      memo.set(leafId, owner);
      return owner;
    };
    for (const s of p.samples) {
      const o = attribute(s);
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
  }
  return counts;
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node --import tsx bench/cpu-profile.ts FILE.cpuprofile [...]');
    process.exit(2);
  }
  const counts = splitSamples(files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Profile));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const busy = total - (counts.get('(idle)') ?? 0);
  console.log(`${total} samples, ${busy} not idle (shares below are of those)`);
  for (const [o, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    if (o !== '(idle)') console.log(`  ${((n / busy) * 100).toFixed(1).padStart(5)} %  ${o}`);
  }
  console.log(`  (idle: ${(((counts.get('(idle)') ?? 0) / total) * 100).toFixed(1)} % of all samples)`);
}
