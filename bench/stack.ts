import fs from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { Core } from '@strapi/strapi';
import { EMULATOR_BUCKET, EMULATOR_REGION, REPO_ROOT, emulatorPluginConfig, emulatorSdk, loadStrapi, writeApp } from '../dev/app-kit';
import { startEmulator, type RunningEmulator } from '../dev/emulator';
import { makeIndexedVideo } from '../dev/media';

export const BENCH_DIR = path.join(REPO_ROOT, '.tmp', 'bench');
export const BUCKET = EMULATOR_BUCKET;
export const REGION = EMULATOR_REGION;
export const VIDEO_KEY = 'videos/bench.mp4';

export interface BenchStack {
  emulator: RunningEmulator;
  strapi: Core.Strapi;
  sdk: COS;
  close(): Promise<void>;
}

/** The real thing, in process: emulator on a random port + a Strapi app with the built plugin. */
export async function openStack(): Promise<BenchStack> {
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  // snapshotCacheBytes 0: every GetSnapshot decodes, as at COS, so plugin and floor pay the same per frame
  const emulator = await startEmulator({ port: 0, dataDir: path.join(BENCH_DIR, 'cos'), buckets: [BUCKET], quiet: true, snapshotCacheBytes: 0 });
  const domain = new URL(emulator.url).host;
  const sdk = emulatorSdk(domain);
  const video = path.join(BENCH_DIR, 'bench.mp4');
  await makeIndexedVideo({ file: video, frames: 250, fps: 25, width: 640, height: 360, keyframeInterval: 25 });
  await sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: VIDEO_KEY, Body: fs.readFileSync(video), ContentType: 'video/mp4' });

  const dir = path.join(BENCH_DIR, 'app');
  await writeApp({
    dir,
    database: { client: 'sqlite', filename: path.join(dir, '.tmp', 'data.db'), synchronous: 'FULL' },
    plugin: { from: 'path', path: REPO_ROOT },
    // The raw SDK side of the floor lines has no request timeout: on a loaded machine the
    // plugin's must not turn slow emulator answers into retries on one side only.
    pluginConfig: emulatorPluginConfig(domain, { requestTimeoutMs: 120_000 }),
    contentTypes: [
      {
        singularName: 'clip',
        pluralName: 'clips',
        attributes: { title: { type: 'string' }, video: { type: 'customField', customField: 'plugin::cos-video.video' } },
      },
    ],
  });
  process.env.STRAPI_LOG_LEVEL = process.env.STRAPI_LOG_LEVEL ?? 'warn';
  const strapi = await loadStrapi(dir);
  return {
    emulator,
    strapi,
    sdk,
    async close() {
      await strapi.destroy();
      await emulator.close();
    },
  };
}
