import path from 'node:path';

import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY } from '../dev/emulator';
import { REPO_ROOT } from '../dev/app-kit';
import { makeFixtures, putObjects } from '../tests/e2e/support/fixtures';
import { launchBrowser, login, newPage } from '../tests/e2e/support/browser';
import { ADMIN, startStack } from '../tests/e2e/support/stack';
import type { FloorRow } from './floor-row';
import { benchPreview } from './preview';
import { benchUpload } from './upload';

const list = (v: string | undefined, fallback: string) => (v ?? fallback).split(',').map(Number).filter((x) => x >= 0);

/**
 * The browser benches (bench/upload.ts, bench/preview.ts) on one stack: the packaged plugin in a
 * built Strapi app, the emulator, Debian chromium logged into the admin.
 */
export async function benchBrowser(only: string[]): Promise<FloorRow[]> {
  const sizesMb = list(process.env.BENCH_UPLOAD_MB, '8,32').filter((v) => v > 0);
  const latencies = list(process.env.BENCH_LATENCIES, '0,50');
  const scratch = path.join(REPO_ROOT, '.tmp', 'bench-browser');
  console.log('Starting the emulator, a built Strapi app with the plugin and chromium…');
  // snapshotCacheBytes 0: every GetSnapshot decodes, as at COS; with the emulator's image cache the
  // floor's load of the frame the plugin had just asked for would be a cache hit.
  const stack = await startStack('bench', { maxUploadSize: Math.max(20, ...sizesMb) * 1024 * 1024 }, { snapshotCacheBytes: 0 });
  const browser = await launchBrowser();
  const rows: FloorRow[] = [];
  try {
    const page = await newPage(browser);
    await login(page, stack.url, { email: ADMIN.email, password: ADMIN.password });
    if (only.includes('preview')) {
      console.log('Picker preview against a direct GetSnapshot…');
      const fixtures = await makeFixtures(path.join(scratch, 'fixtures'));
      await putObjects(stack.emulator.port, { secretId: EMULATOR_SECRET_ID, secretKey: EMULATOR_SECRET_KEY }, { 'videos/indexed.mp4': fixtures.indexed });
      rows.push(...(await benchPreview(stack, page, { key: 'videos/indexed.mp4', n: Number(process.env.BENCH_PREVIEW_N ?? 30), latencies })));
    }
    if (only.includes('upload')) {
      console.log('Browser uploads against raw uploadFile…');
      rows.push(...(await benchUpload(stack, page, { sizesMb, latencies, runs: Number(process.env.BENCH_UPLOAD_RUNS ?? 8), scratch })));
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  return rows;
}
