/**
 * `npm run bench`: speed and memory of the real pieces (DESIGN §7 — measured here, never asserted
 * in tests). Needs `npm run build` (the app loads the built plugin). Sizes via env:
 * BENCH_N (snapshots, default 20), BENCH_SAVES (default 10), BENCH_PUT_MB (default "16,256"),
 * BENCH_JOBS (finished jobs in the job table, default "0,10000,100000,1000000"), BENCH_JOB_RUNS
 * (timed runs per operation and size, default 30), BENCH_UPLOAD_MB (browser upload sizes, default
 * "8,32"; the table used "64,200"), BENCH_UPLOAD_RUNS (default 3), BENCH_PREVIEW_N (picker
 * steps, default 30), BENCH_LATENCIES (ms injected per COS request, default "0,50"). BENCH_ONLY
 * (comma list of snapshots, save, put, jobs, upload, preview; default all) runs a part alone.
 */
import { benchEmulatorPut } from './emulator-put';
import { benchJobTable } from './job-table';
import { benchSaveToReady } from './save';
import { benchSnapshots } from './snapshot';
import { openStack } from './stack';
import { benchBrowser } from './browser-floor';
import { printTable, type Row } from './stats';
import { printFloorTable } from './floor-row';

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20);
  const saves = Number(process.env.BENCH_SAVES ?? 10);
  const putSizes = (process.env.BENCH_PUT_MB ?? '16,256').split(',').map(Number).filter((v) => v > 0);
  const jobSizes = (process.env.BENCH_JOBS ?? '0,10000,100000,1000000').split(',').map(Number).filter((v) => v >= 0);
  const jobRuns = Number(process.env.BENCH_JOB_RUNS ?? 30);
  const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ['snapshots', 'save', 'put', 'jobs', 'upload', 'preview'];
  const rows: Row[] = [];

  if (only.includes('snapshots') || only.includes('save')) {
    console.log('Starting the emulator and a Strapi app with the plugin…');
    const stack = await openStack();
    try {
      if (only.includes('snapshots')) {
        console.log('Snapshots through the cos service…');
        rows.push(...(await benchSnapshots(stack.strapi, n, 4)));
      }
      if (only.includes('save')) {
        console.log('Save to ready…');
        rows.push(...(await benchSaveToReady(stack.strapi, saves)));
      }
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

  const floorRows = only.includes('upload') || only.includes('preview') ? await benchBrowser(only) : [];

  console.log(`\nnode ${process.version}, ${require('node:os').cpus().length} CPUs\n`);
  if (rows.length) printTable(rows);
  if (floorRows.length) {
    console.log('');
    printFloorTable(floorRows);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
