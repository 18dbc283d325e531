/**
 * The soak: many entries saved through the Content Manager API of two Strapi instances on one
 * PostgreSQL database, the emulator failing a share of all COS requests with 503 and dropping
 * others, one instance killed (SIGKILL) half-way and started again. Then it checks that every
 * entry is ready with the right frame, that each thumbnail object was stored once, that no job
 * was held by two workers at once, and that memory stayed flat. `npm run soak` runs it at full
 * size (dev/soak/index.ts); tests/integration/soak.test.ts runs a small one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createAdmin, spawnStrapi, writeApp, REPO_ROOT, type SpawnedStrapi } from '../app-kit';
import { startEmulator, type RunningEmulator } from '../emulator';
import { imageSize, readFrameIndex } from '../media';
import { BUCKET, REGION, indexedVideo, pluginConfig, sdk, VIDEO } from '../../tests/helpers/cos-fixtures';
import { CLIP_UID, clipApp } from '../../tests/helpers/clip-app';
import { ContentManager } from '../../tests/helpers/content-manager';
import { startPostgres, type PgCluster } from '../../tests/helpers/postgres';
import { holds, LeaseLog, overlaps, type Hold } from './leases';
import { readRss, rssPoints, type RssPoints, type RssSample } from './rss';

export interface SoakOptions {
  /** Entries to create (default 1000). */
  entries: number;
  /** Share of COS requests answered with an injected 503, 0..1 (default 0.2). */
  failRate: number;
  /** Share of COS requests whose connection is dropped, 0..1 (default 0.02). */
  dropRate: number;
  /** Scratch directory (removed first). */
  dir: string;
  /** The plugin's `worker` config for both instances. */
  worker: Record<string, number | boolean>;
  /** Content Manager saves in flight at once. */
  saveConcurrency: number;
  /** Thumbnails downloaded and decoded to check their frame (spread over the entries). */
  frameSample: number;
  /** Allowed RSS growth from the middle to the end of an instance's life, as a fraction (0.25 = 25 %). */
  rssTolerance: number;
  /** Give up waiting for the entries to settle after this long (ms). */
  settleTimeoutMs: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export const SOAK_DEFAULTS: Omit<SoakOptions, 'dir'> = {
  entries: 1000,
  failRate: 0.2,
  dropRate: 0.02,
  // Time compressed: a killed instance's jobs are free again after 3 s, retries come within a second.
  worker: { enabled: true, concurrency: 4, pollIntervalMs: 100, leaseMs: 3000, maxAttempts: 8, backoffBaseMs: 100, backoffMaxMs: 1000, retryForMs: 120_000 },
  saveConcurrency: 8,
  frameSample: 50,
  rssTolerance: 0.25,
  settleTimeoutMs: 30 * 60_000,
};

export interface SoakCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SoakReport {
  entries: number;
  distinctChoices: number;
  videos: number;
  durationMs: number;
  faults: { requests: number; failed: number; dropped: number; thumbnailPutsFailed: number; thumbnailPutsDropped: number };
  saves: { created: number; retried: number; failed: number };
  kills: number;
  statuses: Record<string, number>;
  jobs: Record<string, number>;
  framesChecked: number;
  thumbnails: { keys: number; writes: number; maxWritesPerKey: number; writtenTwice: string[]; unused: string[] };
  leases: { claims: number; maxOverlapMs: number; overlaps: number; open: number };
  rss: RssPoints[];
  checks: SoakCheck[];
  ok: boolean;
}

/** One entry's choice: which video and frame, in which format; every fifth entry repeats the one before (same choice, other instance). */
export interface Choice {
  video: string;
  frame: number;
  time: number;
  format: 'jpg' | 'png';
}

const FRAMES = VIDEO.frames - 1; // the last frame's span is short; keep to the ones before it

export function choices(entries: number): { list: Choice[]; videos: string[] } {
  const distinct = entries - Math.floor(entries / 5);
  const videoCount = Math.max(2, Math.ceil(distinct / FRAMES));
  const videos = Array.from({ length: videoCount }, (_, v) => `videos/soak-${v}.mp4`);
  const list: Choice[] = [];
  let c = 0;
  for (let i = 0; i < entries; i++) {
    if (i % 5 === 4) {
      list.push(list[i - 1]);
      continue;
    }
    const frame = Math.floor(c / videoCount) % FRAMES;
    // 0.4 of a frame in: away from the frame's edges, so rounding never decides which frame it is
    list.push({ video: videos[c % videoCount], frame, time: Math.round(((frame + 0.4) / VIDEO.fps) * 1000) / 1000, format: c % 3 === 2 ? 'png' : 'jpg' });
    c++;
  }
  return { list, videos };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

interface Instance {
  label: string;
  app: SpawnedStrapi;
  cm: ContentManager;
}

export async function runSoak(opts: Partial<SoakOptions> & Pick<SoakOptions, 'dir'>): Promise<SoakReport> {
  const o: SoakOptions = { ...SOAK_DEFAULTS, ...opts, worker: { ...SOAK_DEFAULTS.worker, ...opts.worker } };
  const log = o.log ?? (() => undefined);
  const started = Date.now();
  fs.rmSync(o.dir, { recursive: true, force: true });
  const { list, videos } = choices(o.entries);
  const leaseLog = new LeaseLog();
  const kills = new Map<number, number>();
  const rss: RssSample[] = [];
  const instances: Instance[] = [];
  let pg: PgCluster | undefined;
  let emu: RunningEmulator | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const DB = 'cos_video_soak';
  // Also run when `npm run soak` is stopped by Ctrl-C or SIGTERM: otherwise the PostgreSQL cluster,
  // the emulator and the Strapi children outlive the run (a signal skips the finally below).
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      if (sampler) clearInterval(sampler);
      for (const i of instances) await i.app.stop().catch(() => undefined);
      await emu?.close().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      fs.rmSync(o.dir, { recursive: true, force: true });
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the apps, the emulator and PostgreSQL`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    pg = await startPostgres();
    await pg.createDatabase(DB);
    emu = await startEmulator({ dataDir: path.join(o.dir, 'cos'), buckets: [BUCKET] });
    const video = fs.readFileSync(await indexedVideo());
    for (const key of videos) await sdk(emu).putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: video, ContentType: 'video/mp4' });
    const appDir = path.join(o.dir, 'app');
    await writeApp(
      clipApp({
        dir: appDir,
        database: { client: 'postgres', connection: { host: pg.host, port: pg.port, database: DB, user: pg.user } },
        plugin: { from: 'path', path: REPO_ROOT },
        // saveWaitMs 0: a save returns at once and its job is left to whichever worker claims it first.
        pluginConfig: pluginConfig(emu, { saveWaitMs: 0, requestTimeoutMs: 8000, worker: o.worker }),
      }),
    );

    let token = '';
    const boot = async (label: string): Promise<Instance> => {
      // debug: the worker's lease lines (server/src/jobs/audit.ts)
      const app = await spawnStrapi(appDir, { NODE_ENV: 'test', STRAPI_LOG_LEVEL: 'debug' });
      const pid = app.child.pid!;
      leaseLog.push(String(pid), app.output());
      app.child.stdout?.on('data', (c: Buffer) => leaseLog.push(String(pid), c.toString()));
      app.child.stderr?.on('data', (c: Buffer) => leaseLog.push(`${pid}e`, c.toString()));
      log(`${label}: Strapi pid ${pid} at ${app.url}`);
      return { label, app, cm: new ContentManager(app.url, token, CLIP_UID) };
    };
    // One after the other: the first boot creates the schema.
    instances.push(await boot('A'));
    token = (await createAdmin(instances[0].app.url, { email: 'soak@example.com', password: 'Soak12345' })).token;
    instances[0].cm = new ContentManager(instances[0].app.url, token, CLIP_UID);
    instances.push(await boot('B'));
    sampler = setInterval(() => {
      for (const i of instances) {
        const pid = i.app.child.pid!;
        const v = i.app.child.exitCode === null && i.app.child.signalCode === null ? readRss(pid) : null;
        if (v !== null) rss.push({ label: i.label, pid, at: Date.now(), rss: v });
      }
    }, 500);

    emu.resetRequests();
    emu.setFaults({ failRate: o.failRate, failStatus: 503, dropRate: o.dropRate, scope: 'all' });
    log(`faults on: ${o.failRate * 100} % 503, ${o.dropRate * 100} % dropped connections`);

    const documentIds: string[] = new Array(o.entries);
    const saves = { created: 0, retried: 0, failed: 0 };
    const saveErrors: string[] = [];
    const create = async (i: number, on: Instance[]) => {
      const c = list[i];
      const data = { title: `soak ${i}`, video: { key: c.video, snapshot: { time: c.time, format: c.format } } };
      for (let attempt = 0; attempt < 5; attempt++) {
        const inst = on[(i + attempt) % on.length];
        const r = await inst.cm.create(data).catch((e: Error) => ({ status: 0, body: { data: null, error: { status: 0, name: 'NetworkError', message: e.message } } }));
        if (r.status === 201) {
          documentIds[i] = r.body.data.documentId;
          saves.created++;
          return;
        }
        // An editor whose save failed saves again.
        saves.retried++;
        saveErrors.push(`entry ${i} on ${inst.label}: ${r.status} ${JSON.stringify(r.body.error ?? r.body)}`);
        await sleep(200);
      }
      saves.failed++;
    };
    const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);
    const half = Math.floor(o.entries / 2);
    const threeQuarters = Math.floor((o.entries * 3) / 4);

    log(`creating entries 0..${half - 1} on A and B`);
    await pool(range(0, half), o.saveConcurrency, (i) => create(i, [instances[i % 2], instances[(i + 1) % 2]]));

    // Kill B while it holds jobs (its backlog is still running), so their leases must expire before A takes over.
    const b = instances[1];
    const bPid = b.app.child.pid!;
    const holding = () => holds(leaseLog.events).some((h) => h.end === 'open' && h.worker.split(':').at(-2) === String(bPid));
    for (let waited = 0; waited < 10_000 && !holding(); waited += 20) await sleep(20);
    log(`SIGKILL B (pid ${bPid}) ${holding() ? 'while it holds jobs' : 'with no job held'}`);
    await b.app.stop('SIGKILL');
    kills.set(bPid, Date.now());

    log(`creating entries ${half}..${threeQuarters - 1} on A while B restarts`);
    const restart = boot('B′');
    await pool(range(half, threeQuarters), o.saveConcurrency, (i) => create(i, [instances[0]]));
    const b2 = await restart;
    b2.cm = new ContentManager(b2.app.url, token, CLIP_UID);
    instances[1] = b2;

    log(`creating entries ${threeQuarters}..${o.entries - 1} on A and B′`);
    await pool(range(threeQuarters, o.entries), o.saveConcurrency, (i) => create(i, [instances[i % 2], instances[(i + 1) % 2]]));

    // Settled when no value is pending any more (read from the database: cheap while polling).
    const statuses: Record<string, number> = {};
    const deadline = Date.now() + o.settleTimeoutMs;
    let lastLine = 0;
    for (;;) {
      const rows = await pg.query<{ video: unknown }>(DB, 'SELECT video FROM clips');
      for (const k of Object.keys(statuses)) delete statuses[k];
      for (const r of rows) {
        const v = (typeof r.video === 'string' ? JSON.parse(r.video) : r.video) as { status?: string } | null;
        const s = v?.status ?? 'none';
        statuses[s] = (statuses[s] ?? 0) + 1;
      }
      if (!statuses.pending || Date.now() > deadline) break;
      if (Date.now() - lastLine > 5000) {
        lastLine = Date.now();
        log(`settling: ${JSON.stringify(statuses)}`);
      }
      await sleep(250);
    }
    const settledAt = Date.now();
    clearInterval(sampler);
    sampler = undefined;
    // From here on the harness reads: without faults, so a check never fails for an injected error.
    emu.setFaults({});
    log(`settled after ${Math.round((settledAt - started) / 1000)} s: ${JSON.stringify(statuses)}`);

    // What the editor sees: every entry through the Content Manager API.
    const values: Array<Record<string, any> | null> = new Array(o.entries).fill(null);
    await pool(range(0, o.entries), 8, async (i) => {
      if (!documentIds[i]) return;
      const r = await instances[i % 2].cm.get(documentIds[i]);
      values[i] = r.status === 200 ? r.body.data.video : null;
    });
    const notReady = values.flatMap((v, i) => (v?.status === 'ready' && v.thumbnail?.key ? [] : [`entry ${i}: ${v ? `${v.status} ${JSON.stringify(v.error ?? null)}` : 'missing'}`]));

    // The right frame, for a sample spread over all entries (shared choices included).
    const step = Math.max(1, Math.floor(o.entries / Math.max(1, o.frameSample)));
    const wrongFrames: string[] = [];
    let framesChecked = 0;
    for (let i = 0; i < o.entries && framesChecked < o.frameSample; i += step) {
      const v = values[i];
      if (!v?.thumbnail?.key) continue;
      const body = (await sdk(emu).getObject({ Bucket: BUCKET, Region: REGION, Key: v.thumbnail.key })).Body as Buffer;
      framesChecked++;
      const frame = readFrameIndex(body);
      const format = imageSize(body).format;
      if (frame !== list[i].frame || format !== list[i].format) {
        wrongFrames.push(`entry ${i}: frame ${frame} as ${format}, chose frame ${list[i].frame} (time ${list[i].time}) as ${list[i].format}`);
      }
    }

    // Stored writes per thumbnail key (the emulator counts an object once it is in place).
    const writes = emu.writes();
    const prefix = `${BUCKET}/thumbnails/`;
    const thumbWrites = [...writes].filter(([k]) => k.startsWith(prefix));
    const used = new Set(values.flatMap((v) => (v?.thumbnail?.key ? [`${BUCKET}/${v.thumbnail.key}`] : [])));
    const writtenTwice = thumbWrites.filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
    const notWritten = [...used].filter((k) => !writes.has(k));
    const unused = thumbWrites.filter(([k]) => !used.has(k)).map(([k]) => k);
    const requests = emu.requests();
    const thumbPuts = requests.filter((r) => r.method === 'PUT' && r.key.startsWith('thumbnails/'));

    const allHolds: Hold[] = holds(leaseLog.events, kills);
    const overlapping = overlaps(allHolds);
    const open = allHolds.filter((h) => h.end === 'open');
    const jobRows = await pg.query<{ status: string; n: string }>(DB, 'SELECT status, count(*) AS n FROM cos_video_jobs GROUP BY status');
    const jobs = Object.fromEntries(jobRows.map((r) => [r.status, Number(r.n)]));

    const rssOf = ['A', 'B', 'B′'].map((l) => rssPoints(l, rss)).filter((p): p is RssPoints => p !== null);
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
    // B was killed half-way: its "end" is not the end of a run. A ran throughout, B′ from the restart on.
    const flat = rssOf.filter((p) => p.label !== 'B');

    const list2 = (xs: string[]) => (xs.length ? `: ${xs.slice(0, 5).join('; ')}${xs.length > 5 ? ` … (${xs.length})` : ''}` : '');
    const checks: SoakCheck[] = [
      { name: 'every save answered 201', ok: saves.failed === 0 && saves.created === o.entries, detail: `${saves.created}/${o.entries} created, ${saves.retried} saved again after an error${list2(saveErrors)}` },
      { name: 'every entry ready with a thumbnail', ok: notReady.length === 0, detail: `${o.entries - notReady.length}/${o.entries} ready${list2(notReady)}` },
      { name: 'thumbnails show the chosen frame', ok: wrongFrames.length === 0 && framesChecked > 0, detail: `${framesChecked - wrongFrames.length}/${framesChecked} sampled right${list2(wrongFrames)}` },
      { name: 'each thumbnail object stored once', ok: writtenTwice.length === 0 && notWritten.length === 0, detail: `${thumbWrites.length} keys, ${thumbWrites.reduce((s, [, n]) => s + n, 0)} stored writes${list2([...writtenTwice, ...notWritten.map((k) => `${k} never stored`)])}` },
      { name: 'no thumbnail stored that no entry uses', ok: unused.length === 0, detail: `${unused.length} unused${list2(unused)}` },
      { name: 'no job held by two workers at once', ok: overlapping.length === 0, detail: `${allHolds.length} holds, ${overlapping.length} overlapping${list2(overlapping.map((x) => `job ${x.job}: ${x.a.worker} and ${x.b.worker} for ${x.ms} ms`))}` },
      { name: 'every hold released (or ended by the kill)', ok: open.length === 0, detail: `${open.length} open${list2(open.map((h) => `job ${h.job} by ${h.worker}`))}` },
      { name: 'no job left queued or running', ok: !jobs.queued && !jobs.running, detail: JSON.stringify(jobs) },
      {
        name: `RSS flat (end within ${Math.round(o.rssTolerance * 100)} % of middle)`,
        ok: flat.length > 0 && flat.every((p) => p.growth <= o.rssTolerance),
        detail: rssOf.map((p) => `${p.label} ${mb(p.start)} / ${mb(p.middle)} / ${mb(p.end)} (${p.samples} samples)`).join(', '),
      },
    ];
    return {
      entries: o.entries,
      distinctChoices: new Set(list).size,
      videos: videos.length,
      durationMs: settledAt - started,
      faults: {
        requests: requests.length,
        failed: requests.filter((r) => r.fault === 'fail').length,
        dropped: requests.filter((r) => r.fault === 'drop').length,
        thumbnailPutsFailed: thumbPuts.filter((r) => r.fault === 'fail').length,
        thumbnailPutsDropped: thumbPuts.filter((r) => r.fault === 'drop').length,
      },
      saves,
      kills: kills.size,
      statuses,
      jobs,
      framesChecked,
      thumbnails: { keys: thumbWrites.length, writes: thumbWrites.reduce((s, [, n]) => s + n, 0), maxWritesPerKey: Math.max(0, ...thumbWrites.map(([, n]) => n)), writtenTwice, unused },
      leases: { claims: allHolds.length, maxOverlapMs: Math.max(0, ...overlapping.map((x) => x.ms)), overlaps: overlapping.length, open: open.length },
      rss: rssOf,
      checks,
      ok: checks.every((c) => c.ok),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/** The summary `npm run soak` prints (and the README quotes). */
export function formatSummary(r: SoakReport): string {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  const lines = [
    `entries            ${r.entries} (${r.distinctChoices} distinct choices over ${r.videos} videos), saves retried ${r.saves.retried}`,
    `faults injected    ${r.faults.failed} × 503 and ${r.faults.dropped} dropped of ${r.faults.requests} COS requests (thumbnail PUTs: ${r.faults.thumbnailPutsFailed} × 503, ${r.faults.thumbnailPutsDropped} dropped)`,
    `kills              ${r.kills} (SIGKILL mid-way, restarted)`,
    `entries settled    ${JSON.stringify(r.statuses)}; jobs ${JSON.stringify(r.jobs)}; frames checked ${r.framesChecked}`,
    `thumbnail writes   ${r.thumbnails.writes} stored writes for ${r.thumbnails.keys} keys, at most ${r.thumbnails.maxWritesPerKey} per key`,
    `lease holds        ${r.leases.claims}, max overlap ${r.leases.maxOverlapMs} ms (${r.leases.overlaps} overlapping, ${r.leases.open} open)`,
    ...r.rss.map((p) => `RSS ${p.label.padEnd(15)} start ${mb(p.start)}, middle ${mb(p.middle)}, end ${mb(p.end)} (${p.growth >= 0 ? '+' : ''}${(p.growth * 100).toFixed(1)} %)`),
    `duration           ${(r.durationMs / 1000).toFixed(1)} s`,
    '',
    ...r.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
  ];
  return lines.join('\n');
}
