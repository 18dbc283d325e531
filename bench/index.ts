/**
 * `npm run bench`: speed and memory of the real pieces (DESIGN §7 — measured here, never asserted
 * in tests). Needs `npm run build` (the app loads the built plugin). Prints one table of the
 * plugin against the raw-SDK floor measured in the same run (ratio, goal, ✓/✗), then the
 * other measurements.
 *
 * Sizes via env (small defaults: the whole bench takes a few minutes):
 * - BENCH_LATENCIES: injected latency per COS request, ms (default "0,50");
 * - BENCH_SAVES: interleaved plugin/raw pairs for save → ready and unchanged save (default 15);
 * - BENCH_FLOOR_LINES: comma list of save, unchanged, bulk (default all): the floor lines to run;
 * - BENCH_EMULATOR: where the emulator of the floor lines and snapshots runs: `process` (default,
 *   its own process, as a remote COS: its CPU is not charged to Strapi's event loop) or `inprocess`
 *   (inside this process, beside Strapi, for comparison with earlier runs);
 * - BENCH_QUERIES=1: prints SQL statements per job of each bulk batch;
 * - BENCH_CPU_PROFILE=DIR: writes a V8 CPU profile of this process for each timed bulk batch,
 *   plugin and raw side (DIR/bulk-<latency>ms-c<concurrency>-r<round>-plugin|raw.cpuprofile); split
 *   their samples by owner with `node --import tsx bench/cpu-profile.ts DIR/*.cpuprofile`;
 * - BENCH_BULK: jobs per bulk batch (default 24), BENCH_BULK_ROUNDS: timed batches per side after one untimed warm-up batch (default 4);
 * - BENCH_RSS_JOBS: jobs of the RSS run (default 300; the goal is stated for 10000). That run has
 *   the emulator in a child process (as a remote COS); BENCH_HEAP_SNAPSHOTS=DIR writes V8 heap
 *   snapshots at its middle and end, BENCH_SQLITE_CACHE_KIB sets SQLite's cache_size for it;
 * - BENCH_DIR: scratch directory (default .tmp/bench), for two runs side by side;
 * - BENCH_N (snapshots, default 20), BENCH_PUT_MB (default "16,256"),
 *   BENCH_JOBS (finished jobs in the job table, default "0,10000,100000,1000000"), BENCH_JOB_RUNS
 *   (timed runs per operation and size, default 30);
 * - BENCH_UPLOAD_MB: browser upload sizes (default "8,32"; the issue's table used "64,200"),
 *   BENCH_UPLOAD_RUNS (default 8: the p50 of 3 was one upload, and the lines moved by ±0.3 between runs), BENCH_PREVIEW_N: picker steps (default 30);
 * - BENCH_ONLY: comma list of floor, rss, snapshots, put, jobs, upload, preview (default all) runs parts alone;
 * - BENCH_CONFIG: JSON object of plugin config keys set for the whole run (e.g. '{"videoRecheckMs":0}'
 *   to measure a save that HEADs every time).
 */
import os from 'node:os';
import type { Core } from '@strapi/strapi';
import { benchEmulatorPut } from './emulator-put';
import { benchFloor, benchJobMemory } from './floor';
import { benchBrowser } from './browser-floor';
import { benchJobTable } from './job-table';
import { benchSnapshots } from './snapshot';
import { emulatorPlacement, openRemoteStack, openStack } from './stack';
import { printRatioTable, printTable, type RatioRow, type Row } from './stats';

const list = (v: string | undefined, fallback: string) =>
  (v ?? fallback)
    .split(',')
    .map(Number)
    .filter((x) => Number.isFinite(x) && x >= 0);

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20);
  const saves = Number(process.env.BENCH_SAVES ?? 15);
  const bulk = Number(process.env.BENCH_BULK ?? 24);
  const rounds = Number(process.env.BENCH_BULK_ROUNDS ?? 4);
  const latencies = list(process.env.BENCH_LATENCIES, '0,50');
  const rssJobs = Number(process.env.BENCH_RSS_JOBS ?? 300);
  const putSizes = list(process.env.BENCH_PUT_MB, '16,256').filter((v) => v > 0);
  const jobSizes = list(process.env.BENCH_JOBS, '0,10000,100000,1000000');
  const jobRuns = Number(process.env.BENCH_JOB_RUNS ?? 30);
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ['floor', 'rss', 'snapshots', 'put', 'jobs', 'upload', 'preview'];
  const floorLines = process.env.BENCH_FLOOR_LINES ? (process.env.BENCH_FLOOR_LINES.split(',') as Array<'save' | 'unchanged' | 'bulk'>) : undefined;
  const ratios: RatioRow[] = [];
  const rows: Row[] = [];

  const benchConfig = (strapi: Core.Strapi) => {
    if (!process.env.BENCH_CONFIG) return;
    const patch = JSON.parse(process.env.BENCH_CONFIG) as Record<string, unknown>;
    strapi.config.set('plugin::cos-video', { ...(strapi.config.get('plugin::cos-video') as object), ...patch });
  };
  if (only.includes('floor') || only.includes('snapshots')) {
    const placement = emulatorPlacement();
    console.log(`Starting the emulator (${placement === 'process' ? 'its own process' : 'in this process'}) and a Strapi app with the plugin…`);
    const stack = await openStack(placement);
    benchConfig(stack.strapi);
    try {
      if (only.includes('floor')) {
        console.log('The plugin against the raw SDK…');
        ratios.push(...(await benchFloor(stack, { saves, bulk, rounds, latencies, lines: floorLines })));
      }
      if (only.includes('snapshots')) {
        console.log('Snapshots through the cos service…');
        rows.push(...(await benchSnapshots(stack.strapi, n, 4)));
      }
    } finally {
      await stack.close();
    }
  }
  if (only.includes('rss')) {
    // The emulator in its own process, as a remote COS: the RSS measured is Strapi's and the plugin's.
    console.log('Starting the emulator as a process and a Strapi app with the plugin…');
    const stack = await openRemoteStack();
    benchConfig(stack.strapi);
    try {
      console.log(`RSS over ${rssJobs} jobs…`);
      ratios.push(...(await benchJobMemory(stack, rssJobs)));
    } finally {
      await stack.close();
    }
  }
  if (only.includes('put')) {
    console.log('Large PUTs into a fresh emulator process…');
    rows.push(...(await benchEmulatorPut(putSizes)));
  }
  if (only.includes('jobs')) {
    console.log('Job table queries at growing numbers of finished jobs…');
    rows.push(...(await benchJobTable(jobSizes, jobRuns)));
  }

  if (only.includes('upload') || only.includes('preview')) ratios.push(...(await benchBrowser(only)));

  console.log(`\nnode ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0].toFixed(1)}\n`);
  if (ratios.length) printRatioTable(ratios);
  if (ratios.length && rows.length) console.log('');
  if (rows.length) printTable(rows);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
