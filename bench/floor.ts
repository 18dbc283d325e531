/**
 * The plugin against the floor: the raw cos-nodejs-sdk-v5 doing the same COS work on the same
 * emulator, measured in the same run with the runs interleaved (plugin, raw, plugin, raw, …) so
 * machine load hits both sides alike. Per thumbnail the floor is
 * (GetSnapshot → PutObject) ∥ videoinfo, what any code needs to store a frame and know the video.
 * The emulator is reached over HTTP by both sides and driven through BenchEmulator, so it may run
 * as its own process (the default, as a remote COS) or in this one (BENCH_EMULATOR=inprocess).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type COS from 'cos-nodejs-sdk-v5';
import type { Core } from '@strapi/strapi';
import { profileSpan } from './cpu-profile';
import { BUCKET, REGION, VIDEO_KEY, processRss, type BenchEmulator, type BenchStack } from './stack';
import { ms, percentile, timed, type RatioRow } from './stats';

const CLIP = 'api::clip.clip';
const JOB = 'plugin::cos-video.job';
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

type Doc = { documentId: string; video?: { status?: string; [k: string]: unknown } | null };
type Thumbnails = { start(): void; stop(): Promise<void> };

/**
 * A snapshot time never asked for before in this run (0.05 s + 0.7 ms steps; the bench video is
 * 10 s long): every plugin save and raw item is a new choice, never a cached image.
 */
let next = 0;
const newTime = () => Math.round((0.05 + next++ * 0.0007) * 1e4) / 1e4;

/** The floor for one thumbnail: (GetSnapshot → PutObject) ∥ videoinfo with the raw SDK. */
async function rawThumbnail(sdk: COS, time: number): Promise<void> {
  const loc = { Bucket: BUCKET, Region: REGION };
  await Promise.all([
    (async () => {
      const shot = await sdk.request({
        ...loc,
        Key: VIDEO_KEY,
        Method: 'GET',
        Query: { 'ci-process': 'snapshot', time: String(time), width: '0', height: '0', format: 'jpg', rotate: 'auto', mode: 'exactframe' },
        RawBody: true,
      });
      await sdk.putObject({ ...loc, Key: `bench-floor/${time}.jpg`, Body: shot.Body as Buffer, ContentType: 'image/jpeg' });
    })(),
    sdk.request({ ...loc, Key: VIDEO_KEY, Method: 'GET', Query: { 'ci-process': 'videoinfo' } }),
  ]);
}

/** Sets plugin config keys at runtime (the plugin reads its config on every use). */
function setConfig(strapi: Core.Strapi, patch: Record<string, unknown>): void {
  strapi.config.set('plugin::cos-video', { ...(strapi.config.get('plugin::cos-video') as object), ...patch });
}

const docs = (strapi: Core.Strapi) => strapi.documents(CLIP as never);

/**
 * The editor's save with a new frame: Document Service update of an entry that already shows
 * this video, with a time never asked before; resolves when the thumbnail is ready (normally
 * in the save's own response). Returns whether it got ready.
 */
async function saveToReady(strapi: Core.Strapi, documentId: string): Promise<boolean> {
  let doc = (await docs(strapi).update({ documentId, data: { video: { key: VIDEO_KEY, snapshot: { time: newTime() } } } } as never)) as unknown as Doc;
  const deadline = Date.now() + 60_000;
  while (doc.video?.status === 'pending' && Date.now() < deadline) {
    await sleep(20);
    doc = (await docs(strapi).findOne({ documentId } as never)) as unknown as Doc;
  }
  return doc.video?.status === 'ready';
}

/** An entry with a ready thumbnail of the bench video. */
async function readyEntry(strapi: Core.Strapi, title: string): Promise<Doc> {
  const created = (await docs(strapi).create({ data: { title, video: { key: VIDEO_KEY, snapshot: { time: newTime() } } } } as never)) as unknown as Doc;
  let doc = created;
  while (doc.video?.status !== 'ready') {
    await sleep(20);
    doc = (await docs(strapi).findOne({ documentId: created.documentId } as never)) as unknown as Doc;
  }
  return doc;
}

/** Save with a new frame → the response with the ready thumbnail, against one floor thumbnail. */
async function saveLine(stack: BenchStack, n: number, label: string): Promise<RatioRow> {
  const plugin: number[] = [];
  const floor: number[] = [];
  let notReady = 0;
  const { documentId } = await readyEntry(stack.strapi, 'save to ready');
  await saveToReady(stack.strapi, documentId); // warm-up
  await rawThumbnail(stack.sdk, newTime());
  // Database queries during the plugin's spans (the save, its job and the polls for "ready"): where local time goes.
  let queries = 0;
  let counting = false;
  const knex = stack.strapi.db.connection as unknown as { on(e: 'query', f: () => void): void; off(e: 'query', f: () => void): void };
  const onQuery = () => void (counting && queries++);
  knex.on('query', onQuery);
  for (let i = 0; i < n; i++) {
    // Alternate which side goes first, so neither always runs right after the other.
    const runs = [
      async () => {
        counting = true;
        plugin.push((await timed(async () => (notReady += (await saveToReady(stack.strapi, documentId)) ? 0 : 1))).ms);
        counting = false;
      },
      async () => floor.push((await timed(() => rawThumbnail(stack.sdk, newTime()))).ms),
    ];
    for (const run of i % 2 ? runs.reverse() : runs) await run();
  }
  knex.off('query', onQuery);
  const p = percentile(plugin, 50);
  const f = percentile(floor, 50);
  return {
    what: `save with a new frame → ready response, ${label} (n=${n}${notReady ? `, ${notReady} NOT ready` : ''}, ${(queries / n).toFixed(1)} DB queries per save)`,
    plugin: `p50 ${ms(p)}`,
    floor: `p50 ${ms(f)}`,
    ratio: p / f,
    goal: '≤ 1.2×',
  };
}

/** Jobs not finished yet (queued or running). */
const activeJobs = (strapi: Core.Strapi) => strapi.db.query(JOB as never).count({ where: { status: { $in: ['queued', 'running'] } } } as never);

/**
 * Resolves once no job is queued or running, after `expected` of them settled. Woken by the
 * plugin's settle events (one per job here: each entry has its own choice) and checked against
 * the job table then, or every 250 ms: polling the table every few milliseconds would spend the
 * plugin side's CPU on the bench's own queries (about as many as the jobs' own at 10 ms).
 */
async function untilJobsFinished(strapi: Core.Strapi, expected: number): Promise<void> {
  let settled = 0;
  let wake = () => {};
  const onSettled = async () => {
    if (++settled >= expected) wake();
  };
  const off = [strapi.eventHub.on('cos-video.thumbnail.ready', onSettled), strapi.eventHub.on('cos-video.thumbnail.failed', onSettled)];
  try {
    for (;;) {
      if (settled < expected) await new Promise<void>((r) => ((wake = r), setTimeout(r, 250)));
      if ((await activeJobs(strapi)) === 0) return;
      // A settle event may come before its job row reads finished (another process's worker).
      if (settled >= expected) await sleep(5);
    }
  } finally {
    for (const f of off) f();
  }
}

/**
 * Plugin side of bulk: `n` entries saved with saveWaitMs 0 while the worker is stopped, then the
 * worker (concurrency `c`) is started and timed until every job is finished: jobs per second.
 * `counting`: also print what the batch cost (BENCH_QUERIES=1; off for warm-up batches).
 */
async function pluginBulk(strapi: Core.Strapi, n: number, c: number, name: string, emulator: BenchEmulator, counting = process.env.BENCH_QUERIES === '1'): Promise<number> {
  const thumbnails = strapi.plugin('cos-video').service('thumbnails') as Thumbnails;
  const worker = (strapi.config.get('plugin::cos-video') as { worker?: object }).worker ?? {};
  setConfig(strapi, { saveWaitMs: 0, worker: { ...worker, concurrency: c } });
  await thumbnails.stop();
  for (let i = 0; i < n; i++) await docs(strapi).create({ data: { title: `bulk ${i}`, video: { key: VIDEO_KEY, snapshot: { time: newTime() } } } } as never);
  // BENCH_QUERIES=1: also prints the SQL statements per job of the timed span by kind (the
  // bench's own polling of the job count left out).
  const kinds = new Map<string, number>();
  const count = (q: { sql?: string }) => {
    const sql = String(q.sql ?? '');
    if (/^select count\(/i.test(sql)) return; // activeJobs, the bench's own check
    const kind = sql.replace(/\s+/g, ' ').slice(0, 70);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  };
  if (counting) strapi.db.connection.on('query', count);
  const sqlTime = counting ? timeSqlStatements(strapi) : null;
  if (counting) await emulator.resetRequests();
  const cpu = process.cpuUsage();
  const { ms: wall } = await profileSpan(`${name}-plugin`, () =>
    timed(async () => {
      thumbnails.start();
      await untilJobsFinished(strapi, n);
    }),
  );
  const cpuMs = cpuMsPer(cpu, n);
  if (counting) {
    strapi.db.connection.off('query', count);
    const spent = sqlTime!.stop();
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    console.log(`    c=${c}: ${(total / n).toFixed(1)} SQL statements per job, ${((n / wall) * 1000).toFixed(1)} jobs/s, ${cpuMs.toFixed(1)} ms of this process's CPU per job`);
    console.log(`      ms per job waiting for SQLite by statement (the event loop stands still meanwhile): ${[...spent].map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ')}`);
    for (const [k, v] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`      ${(v / n).toFixed(2)}  ${k}`);
    await printCosRequests(`plugin c=${c}`, emulator, n);
  }
  return (n / wall) * 1000;
}

/** Raw side of bulk: `n` floor thumbnails, `c` at a time: items per second (`counting` as for pluginBulk). */
async function rawBulk(sdk: COS, n: number, c: number, name: string, emulator: BenchEmulator, counting = process.env.BENCH_QUERIES === '1'): Promise<number> {
  let left = n;
  if (counting) await emulator.resetRequests();
  const cpu = process.cpuUsage();
  const { ms: wall } = await profileSpan(`${name}-raw`, () =>
    timed(() =>
      Promise.all(
        Array.from({ length: c }, async () => {
          while (left-- > 0) await rawThumbnail(sdk, newTime());
        }),
      ),
    ),
  );
  if (counting) {
    console.log(`    raw c=${c}: ${((n / wall) * 1000).toFixed(1)} items/s, ${cpuMsPer(cpu, n).toFixed(1)} ms of this process's CPU per item`);
    await printCosRequests(`raw c=${c}`, emulator, n);
  }
  return (n / wall) * 1000;
}

/**
 * BENCH_QUERIES=1: the COS requests the emulator answered since its log was cleared, per job by
 * kind (method, and the ci-process or multipart query), and how long the batch's requests spent
 * from the first answer to the last.
 */
async function printCosRequests(side: string, emulator: BenchEmulator, n: number): Promise<void> {
  const log = await emulator.requests();
  const kinds = new Map<string, number>();
  for (const r of log) {
    const kind = `${r.method} ${r.query['ci-process'] ?? Object.keys(r.query).filter((k) => !k.startsWith('q-') && k !== 'x-cos-security-token').join('&')}`.trim();
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const span = log.length ? Math.max(...log.map((r) => r.at)) - Math.min(...log.map((r) => r.at)) : 0;
  console.log(`    ${side}: ${(log.length / n).toFixed(2)} COS requests per job (${[...kinds].map(([k, v]) => `${(v / n).toFixed(2)} ${k}`).join(', ')}), answers over ${span} ms`);
}

/**
 * Wall time of every SQL statement by its first word (BEGIN, COMMIT, select, update…) until
 * `stop()`: knex's better-sqlite3 client runs each one synchronously in `_query`, so this is time
 * the event loop stood still. Patched on the client's prototype, which transactions' clients share.
 */
function timeSqlStatements(strapi: Core.Strapi): { stop(): Map<string, number> } {
  type Query = (this: unknown, conn: unknown, obj: { sql: string }) => unknown;
  const proto = Object.getPrototypeOf((strapi.db.connection as unknown as { client: object }).client) as { _query: Query };
  const original = proto._query;
  const spent = new Map<string, number>();
  proto._query = function (conn, obj) {
    const t = performance.now();
    const kind = /^\w+/.exec(obj.sql)?.[0] ?? '?';
    const add = () => spent.set(kind, (spent.get(kind) ?? 0) + performance.now() - t);
    const r = original.call(this, conn, obj);
    Promise.resolve(r).then(add, add);
    return r;
  };
  return {
    stop() {
      proto._query = original;
      return spent;
    },
  };
}

/** This process's CPU time (user + system) since `since` (process.cpuUsage()), in ms per item of `n`. */
const cpuMsPer = (since: NodeJS.CpuUsage, n: number) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000 / n;
};

/** Bulk throughput at concurrency `c`: `rounds` interleaved batches of `n` per side, median rate. */
async function bulkLine(stack: BenchStack, n: number, c: number, rounds: number, latencyMs: number, label: string): Promise<RatioRow> {
  const plugin: number[] = [];
  const floor: number[] = [];
  // One untimed batch per side first: the first batch after Strapi's boot or another line also
  // pays for compiling the paths it takes and growing the heap (its garbage collection took 14 % of
  // the plugin side's busy samples in a profiled run, against 2 % in the batch after it), which a
  // backfill of thousands of entries pays once.
  await pluginBulk(stack.strapi, n, c, `bulk-${latencyMs}ms-c${c}-warmup`, stack.emulator, false);
  await rawBulk(stack.sdk, n, c, `bulk-${latencyMs}ms-c${c}-warmup`, stack.emulator, false);
  for (let r = 0; r < rounds; r++) {
    // BENCH_CPU_PROFILE=DIR: a CPU profile of each timed batch (bench/cpu-profile.ts)
    const name = `bulk-${latencyMs}ms-c${c}-r${r + 1}`;
    plugin.push(await pluginBulk(stack.strapi, n, c, name, stack.emulator));
    floor.push(await rawBulk(stack.sdk, n, c, name, stack.emulator));
  }
  const p = percentile(plugin, 50);
  const f = percentile(floor, 50);
  return { what: `bulk thumbnails, concurrency ${c}, ${label} (${rounds}×${n} jobs)`, plugin: `${p.toFixed(1)} /s`, floor: `${f.toFixed(1)} /s`, ratio: p / f, goal: '≥ 0.9×' };
}

/**
 * An unchanged save (the entry saved again with the same, ready COS video value) against a
 * save of the same entry that does not carry the field. Also counts the COS requests the
 * unchanged saves made.
 */
async function unchangedLine(stack: BenchStack, n: number, label: string): Promise<RatioRow> {
  const strapi = stack.strapi;
  const doc = await readyEntry(strapi, 'unchanged');
  const { key, bucket, region, snapshot, alt } = doc.video as Record<string, unknown>;
  const value = { key, bucket, region, snapshot, ...(alt !== undefined ? { alt } : {}) };
  const withField: number[] = [];
  const without: number[] = [];
  let cosCalls = 0;
  for (let i = 0; i < n; i++) {
    const runs = [
      async () => {
        await stack.emulator.resetRequests();
        withField.push((await timed(() => docs(strapi).update({ documentId: doc.documentId, data: { title: `same ${i}`, video: value } } as never))).ms);
        cosCalls += await stack.emulator.requestCount();
      },
      async () => without.push((await timed(() => docs(strapi).update({ documentId: doc.documentId, data: { title: `plain ${i}` } } as never))).ms),
    ];
    for (const run of i % 2 ? runs.reverse() : runs) await run();
  }
  const p = percentile(withField, 50);
  const f = percentile(without, 50);
  return {
    what: `unchanged save vs a save without the field, ${label} (n=${n}, ${cosCalls / n} COS requests per unchanged save)`,
    plugin: `p50 ${ms(p)}`,
    floor: `p50 ${ms(f)}`,
    ratio: p / f,
    goal: '≤ 1.05×',
  };
}

export interface FloorSizes {
  /** interleaved pairs for save → ready and for unchanged saves */
  saves: number;
  /** jobs per bulk batch */
  bulk: number;
  /** batches per side and concurrency */
  rounds: number;
  /** injected latencies, ms */
  latencies: number[];
  /** which lines to run (default all): save (save → ready), unchanged, bulk */
  lines?: Array<'save' | 'unchanged' | 'bulk'>;
}

/** Every server-side line, at each injected latency (emulator faults, every request). */
export async function benchFloor(stack: BenchStack, sizes: FloorSizes): Promise<RatioRow[]> {
  const rows: RatioRow[] = [];
  const boot = stack.strapi.config.get('plugin::cos-video');
  // BENCH_SQLITE_JOURNAL=wal (or another journal_mode): the app's database in that mode instead of
  // Strapi's default (delete), to see what the commits of the plugin's writes cost.
  if (process.env.BENCH_SQLITE_JOURNAL) {
    const [mode] = (await stack.strapi.db.connection.raw(`PRAGMA journal_mode = ${process.env.BENCH_SQLITE_JOURNAL.replace(/\W/g, '')}`)) as Array<{ journal_mode: string }>;
    console.log(`  SQLite journal_mode ${mode?.journal_mode}`);
  }
  try {
    for (const latencyMs of sizes.latencies) {
      const label = `${latencyMs} ms per COS request`;
      await stack.emulator.setFaults(latencyMs > 0 ? { latencyMs, scope: 'all' } : {});
      const lines = sizes.lines ?? ['save', 'unchanged', 'bulk'];
      if (lines.includes('save')) {
        console.log(`  ${label}: save → ready…`);
        rows.push(await saveLine(stack, sizes.saves, label));
      }
      if (lines.includes('unchanged')) {
        console.log(`  ${label}: unchanged save…`);
        rows.push(await unchangedLine(stack, sizes.saves, label));
      }
      for (const c of lines.includes('bulk') ? [2, 8] : []) {
        console.log(`  ${label}: bulk at concurrency ${c}…`);
        rows.push(await bulkLine(stack, sizes.bulk, c, sizes.rounds, latencyMs, label));
        stack.strapi.config.set('plugin::cos-video', boot);
      }
    }
  } finally {
    await stack.emulator.setFaults({});
    stack.strapi.config.set('plugin::cos-video', boot);
    (stack.strapi.plugin('cos-video').service('thumbnails') as Thumbnails).start();
  }
  return rows;
}

/** One memory sample of this process, in MB, taken right after a full GC. */
export interface MemorySample {
  rss: number;
  /** V8's heap: live objects (used) and what V8 holds for them (total). */
  heapUsed: number;
  heapTotal: number;
  /** Memory V8 objects own outside the heap (Buffers, ArrayBuffers: arrayBuffers is part of it). */
  external: number;
  arrayBuffers: number;
  /** RSS − heapTotal − external: native memory (code, SQLite's page cache, libvips, malloc arenas and their fragmentation). */
  native: number;
}

const MB = 1024 * 1024;
const sampleOf = (m: NodeJS.MemoryUsage): MemorySample => ({
  rss: m.rss / MB,
  heapUsed: m.heapUsed / MB,
  heapTotal: m.heapTotal / MB,
  external: m.external / MB,
  arrayBuffers: m.arrayBuffers / MB,
  native: (m.rss - m.heapTotal - m.external) / MB,
});
export const formatSample = (s: MemorySample) =>
  `RSS ${s.rss.toFixed(0)} MB = heap ${s.heapTotal.toFixed(0)} (used ${s.heapUsed.toFixed(0)}) + external ${s.external.toFixed(0)} (arrayBuffers ${s.arrayBuffers.toFixed(0)}) + native ${s.native.toFixed(0)}`;

/**
 * Resident memory over `n` thumbnail jobs (saves with saveWaitMs 0, the worker at concurrency 8):
 * RSS of this process at the start, the middle and the end, each after a full GC, split into V8
 * heap, external and native memory. A sample is also printed every tenth of the run.
 * BENCH_HEAP_SNAPSHOTS=DIR writes a V8 heap snapshot at the middle and the end into DIR (compare
 * them with bench/heap-diff.ts; writing one costs RSS, so samples after it are not comparable).
 */
export async function benchJobMemory(stack: { strapi: Core.Strapi; emulator: { resetRequests(): unknown; pid?: number } }, n: number): Promise<RatioRow[]> {
  const strapi = stack.strapi;
  const boot = strapi.config.get('plugin::cos-video');
  const worker = (boot as { worker?: object }).worker ?? {};
  setConfig(strapi, { saveWaitMs: 0, worker: { ...worker, concurrency: 8 } });
  // A full GC before each sample, so garbage not yet collected does not read as growth.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
  if (snapshots) fs.mkdirSync(snapshots, { recursive: true });
  const sample = async (i: number): Promise<MemorySample> => {
    while ((await activeJobs(strapi)) > 0) await sleep(20);
    gc();
    const s = sampleOf(process.memoryUsage());
    const emulatorPid = stack.emulator.pid;
    const isSqlite = strapi.db.dialect.client === 'sqlite';
    // Where heapTotal sits: new space (sized up by V8 under allocation pressure and kept) against old space and code.
    const spaces = v8
      .getHeapSpaceStatistics()
      .filter((sp) => sp.space_size >= MB)
      .map((sp) => `${sp.space_name.replace(/_space$/, '')} ${(sp.space_size / MB).toFixed(0)}`)
      .join(', ');
    console.log(`  ${i} jobs: ${formatSample(s)} [${spaces}]${isSqlite ? `; ${await sqlite()}` : ''}; ${vips()}${emulatorPid ? `; emulator process ${(processRss(emulatorPid) / MB).toFixed(0)} MB` : ''}`);
    if (snapshots && (i === Math.floor(n / 2) || i === n)) v8.writeHeapSnapshot(path.join(snapshots, `jobs-${String(i).padStart(6, '0')}.heapsnapshot`));
    return s;
  };
  // SQLite's page cache is native memory that fills up to `cache_size` as the tables grow
  // (better-sqlite3 builds SQLite with -16000, i.e. 16,000 KiB per connection). BENCH_SQLITE_CACHE_KIB
  // sets another bound for the run, to see how much of the growth is that cache.
  const knex = strapi.db.connection;
  if (process.env.BENCH_SQLITE_CACHE_KIB) await knex.raw(`PRAGMA cache_size = -${Number(process.env.BENCH_SQLITE_CACHE_KIB)}`);
  const pragma = async (name: string) => {
    const rows = (await knex.raw(`PRAGMA ${name}`)) as Array<Record<string, number>>;
    return Object.values(rows[0] ?? {})[0];
  };
  const sqlite = async () => {
    const [cache, pageSize, pages] = [await pragma('cache_size'), await pragma('page_size'), await pragma('page_count')];
    return `SQLite cache_size ${cache}, database ${((pageSize * pages) / MB).toFixed(1)} MB`;
  };
  // libvips' operation cache (the plugin's placeholder and Strapi's upload use sharp): native, bounded by sharp.cache().
  const sharp = (await import('sharp')).default;
  const vips = () => {
    const c = sharp.cache() as unknown as { memory: { current: number }; items: { current: number } };
    return `libvips cache ${c.memory.current} MB / ${c.items.current} items`;
  };
  const step = Math.max(1, Math.floor(n / 10));
  const marks: MemorySample[] = [];
  // Every sample from the first tenth of the run on (the warm-up's end) to the end.
  const afterWarmUp: MemorySample[] = [];
  try {
    for (let i = 0; i < n; i++) {
      if (i === 0 || i === Math.floor(n / 2)) marks.push(await sample(i));
      else if (i % step === 0) afterWarmUp.push(await sample(i));
      if (i === Math.floor(n / 2) && i >= step) afterWarmUp.push(marks[marks.length - 1]);
      await docs(strapi).create({ data: { title: `rss ${i}`, video: { key: VIDEO_KEY, snapshot: { time: newTime() } } } } as never);
      // Keep the queue short, as a steady stream of saves would. The emulator logs every request
      // it answers (harness memory when it shares this process): its log is cleared.
      if (i % 50 === 49) {
        while ((await activeJobs(strapi)) > 16) await sleep(20);
        await stack.emulator.resetRequests();
      }
    }
    marks.push(await sample(n));
    afterWarmUp.push(marks[marks.length - 1]);
  } finally {
    strapi.config.set('plugin::cos-video', boot);
  }
  const [start, middle, end] = marks;
  const split = (k: keyof MemorySample) => `${k} ${start[k].toFixed(0)} / ${middle[k].toFixed(0)} / ${end[k].toFixed(0)}`;
  console.log(`  split (start / middle / end, MB): ${(['heapUsed', 'heapTotal', 'external', 'native'] as const).map(split).join(', ')}`);
  const rows: RatioRow[] = [
    {
      what: `RSS over ${n.toLocaleString('en')} jobs (start / middle / end; floor column = start)`,
      plugin: marks.map((m) => `${m.rss.toFixed(0)} MB`).join(' / '),
      floor: `${start.rss.toFixed(0)} MB`,
      ratio: end.rss / start.rss,
      goal: '≤ 1.1×',
    },
  ];
  // The start above is taken cold: SQLite's page cache, V8's reserve and malloc's arenas fill over
  // the first jobs (bounded; see README). Growth per job shows from the first tenth on: the
  // largest later sample against the one at the first tenth.
  if (n >= 10 && afterWarmUp.length >= 2) {
    const [warm, ...later] = afterWarmUp;
    const largest = Math.max(...later.map((m) => m.rss));
    rows.push({
      what: `RSS from ${step.toLocaleString('en')} to ${n.toLocaleString('en')} jobs (at ${step.toLocaleString('en')} / largest later sample / end; floor column = at ${step.toLocaleString('en')})`,
      plugin: `${warm.rss.toFixed(0)} MB / ${largest.toFixed(0)} MB / ${end.rss.toFixed(0)} MB`,
      floor: `${warm.rss.toFixed(0)} MB`,
      ratio: largest / warm.rss,
      goal: '≤ 1.1×',
    });
  }
  return rows;
}
