import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { Core } from '@strapi/strapi';
import { EMULATOR_BUCKET, EMULATOR_REGION, REPO_ROOT, emulatorPluginConfig, emulatorSdk, loadStrapi, writeApp } from '../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator, type RunningEmulator } from '../dev/emulator';
import { makeIndexedVideo } from '../dev/media';

/** Scratch space of the bench (BENCH_DIR overrides it, e.g. for two runs side by side). */
export const BENCH_DIR = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, '.tmp', 'bench');
export const BUCKET = EMULATOR_BUCKET;
export const REGION = EMULATOR_REGION;
export const VIDEO_KEY = 'videos/bench.mp4';

export interface BenchStack {
  emulator: RunningEmulator;
  strapi: Core.Strapi;
  sdk: COS;
  close(): Promise<void>;
}

/** The emulator as its own process (the CLI), as a remote COS would be: its memory is not this process's. */
export interface EmulatorProcess {
  url: string;
  pid: number;
  /** Clears its request log (DELETE /__emulator/requests). */
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

/** Resident memory of a process (Linux `VmRSS`, or the peak `VmHWM`), in bytes. */
export const processRss = (pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

/** A fresh emulator process (the CLI) on a free port, storing under `dataDir`. */
export async function startEmulatorProcess(dataDir: string): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'dev', 'emulator', 'cli.ts'), '--port', '0', '--data', dataDir, '--quiet'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COS_SECRET_ID: EMULATOR_SECRET_ID, COS_SECRET_KEY: EMULATOR_SECRET_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // A bench that exits early (an error, process.exit) does not leave the emulator running.
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);
  void exited.then(() => process.off('exit', killChild));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    async resetRequests() {
      const res = await fetch(`${url}/__emulator/requests`, { method: 'DELETE' });
      if (!res.ok) throw new Error(`emulator: DELETE /__emulator/requests answered ${res.status}`);
    },
    stop: async () => (child.kill('SIGTERM'), exited),
  };
}

/** Puts the bench video into the bucket and loads a Strapi app with the built plugin pointed at `domain`. */
async function openApp(dir: string, domain: string): Promise<{ strapi: Core.Strapi; sdk: COS }> {
  const sdk = emulatorSdk(domain);
  const video = path.join(dir, 'bench.mp4');
  fs.mkdirSync(dir, { recursive: true });
  await makeIndexedVideo({ file: video, frames: 250, fps: 25, width: 640, height: 360, keyframeInterval: 25 });
  await sdk.putObject({ Bucket: BUCKET, Region: REGION, Key: VIDEO_KEY, Body: fs.readFileSync(video), ContentType: 'video/mp4' });

  const appDir = path.join(dir, 'app');
  await writeApp({
    dir: appDir,
    database: { client: 'sqlite', filename: path.join(appDir, '.tmp', 'data.db'), synchronous: 'FULL' },
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
  return { strapi: await loadStrapi(appDir), sdk };
}

/** The real thing, in process: emulator on a random port + a Strapi app with the built plugin. */
export async function openStack(): Promise<BenchStack> {
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  // snapshotCacheBytes 0: every GetSnapshot decodes, as at COS, so plugin and floor pay the same per frame
  const emulator = await startEmulator({ port: 0, dataDir: path.join(BENCH_DIR, 'cos'), buckets: [BUCKET], quiet: true, snapshotCacheBytes: 0 });
  const { strapi, sdk } = await openApp(BENCH_DIR, new URL(emulator.url).host);
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

/**
 * Strapi with the built plugin in this process, the emulator in a child process: for memory
 * measured as it would be against a remote COS (the emulator's stores, request log, ffmpeg
 * buffers and sockets are not counted as Strapi's).
 */
export async function openRemoteStack(): Promise<{ strapi: Core.Strapi; emulator: EmulatorProcess; close(): Promise<void> }> {
  const dir = path.join(BENCH_DIR, 'remote');
  fs.rmSync(dir, { recursive: true, force: true });
  const emulator = await startEmulatorProcess(path.join(dir, 'cos'));
  try {
    const { strapi } = await openApp(dir, new URL(emulator.url).host);
    return {
      strapi,
      emulator,
      async close() {
        await strapi.destroy();
        await emulator.stop();
      },
    };
  } catch (e) {
    await emulator.stop();
    throw e;
  }
}
