/**
 * `npm run bench`: speed and memory of the real pieces (DESIGN §7 — measured here, never asserted
 * in tests). Needs `npm run build` (the app loads the built plugin). Sizes via env:
 * BENCH_N (snapshots, default 20), BENCH_SAVES (default 10), BENCH_PUT_MB (default "16,256").
 */
import { benchEmulatorPut } from './emulator-put';
import { benchSaveToReady } from './save';
import { benchSnapshots } from './snapshot';
import { openStack } from './stack';
import { printTable, type Row } from './stats';

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_N ?? 20);
  const saves = Number(process.env.BENCH_SAVES ?? 10);
  const putSizes = (process.env.BENCH_PUT_MB ?? '16,256').split(',').map(Number).filter((v) => v > 0);
  const rows: Row[] = [];

  console.log('Starting the emulator and a Strapi app with the plugin…');
  const stack = await openStack();
  try {
    console.log('Snapshots through the cos service…');
    rows.push(...(await benchSnapshots(stack.strapi, n, 4)));
    console.log('Save to ready…');
    rows.push(...(await benchSaveToReady(stack.strapi, saves)));
  } finally {
    await stack.close();
  }
  console.log('Large PUTs into a fresh emulator process…');
  rows.push(...(await benchEmulatorPut(putSizes)));

  console.log(`\nnode ${process.version}, ${require('node:os').cpus().length} CPUs\n`);
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
