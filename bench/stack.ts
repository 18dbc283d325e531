import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { Core } from '@strapi/strapi';
import { EMULATOR_BUCKET, EMULATOR_REGION, REPO_ROOT, emulatorPluginConfig, emulatorSdk, loadStrapi, writeApp } from '../dev/app-kit';
import { EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, startEmulator, type FaultConfig, type RequestRecord } from '../dev/emulator';
import { makeIndexedVideo } from '../dev/media';

/** Scratch space of the bench (BENCH_DIR overrides it, e.g. for two runs side by side). */
export const BENCH_DIR = process.env.BENCH_DIR ? path.resolve(process.env.BENCH_DIR) : path.join(REPO_ROOT, '.tmp', 'bench');
export const BUCKET = EMULATOR_BUCKET;
export const REGION = EMULATOR_REGION;
export const VIDEO_KEY = 'videos/bench.mp4';

/**
 * What the bench needs of the emulator, wherever it runs: in this process (its programmatic API)
 * or as its own process (the CLI, driven through its unsigned /__emulator/ control endpoints).
 */
export interface BenchEmulator {
  /** http://127.0.0.1:P */
  url: string;
  /** Its process id when it runs as its own process; undefined in process. */
  pid?: number;
  /** Injected faults for every later request (`{}` = none): PUT /__emulator/faults out of process. */
  setFaults(f: FaultConfig): Promise<void>;
  /** COS requests it answered since start or the last resetRequests() (GET /__emulator/requests). */
  requestCount(): Promise<number>;
  /** The same requests, each as the emulator logged it (method, key, query, status, when it answered). */
  requests(): Promise<RequestRecord[]>;
  /** Clears its request log, in-flight maximum and write counts (DELETE /__emulator/requests). */
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

export interface BenchStack {
  emulator: BenchEmulator;
  strapi: Core.Strapi;
  sdk: COS;
  close(): Promise<void>;
}

/**
 * Where the floor lines' emulator runs, from BENCH_EMULATOR: `process` (default) starts it as its
 * own process, as a remote COS would be, so its HTTP parsing and ffmpeg spawns are not charged to
 * Strapi's event loop; `inprocess` runs it inside the bench (and Strapi's) process, as earlier runs did.
 */
export type EmulatorPlacement = 'process' | 'inprocess';
export function emulatorPlacement(env: NodeJS.ProcessEnv = process.env): EmulatorPlacement {
  const v = env.BENCH_EMULATOR ?? 'process';
  if (v === 'process' || v === 'inprocess') return v;
  throw new Error(`BENCH_EMULATOR must be "process" or "inprocess", got "${v}"`);
}

/** The emulator as its own process (the CLI), as a remote COS would be: its memory and CPU are not this process's. */
export interface EmulatorProcess extends BenchEmulator {
  pid: number;
}

/** Resident memory of a process (Linux `VmRSS`, or the peak `VmHWM`), in bytes. */
export const processRss = (pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};

/**
 * A fresh emulator process (the CLI) on a free port, storing under `dataDir`.
 * `snapshotCacheBytes`: its GetSnapshot image cache in bytes (default: the emulator's, 32 MiB; 0 = every frame decoded).
 */
export async function startEmulatorProcess(dataDir: string, opts: { snapshotCacheBytes?: number } = {}): Promise<EmulatorProcess> {
  const cache = opts.snapshotCacheBytes === undefined ? [] : ['--snapshot-cache-bytes', String(opts.snapshotCacheBytes)];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'dev', 'emulator', 'cli.ts'), '--port', '0', '--data', dataDir, ...cache, '--quiet', '--until-stdin-closes'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COS_SECRET_ID: EMULATOR_SECRET_ID, COS_SECRET_KEY: EMULATOR_SECRET_KEY },
    // Its stdin is a pipe from this process: when the bench dies, even by a signal, the emulator exits too.
    stdio: ['pipe', 'pipe', 'inherit'],
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
  const control = async (method: string, what: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}/__emulator/${what}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`emulator: ${method} /__emulator/${what} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    pid: child.pid!,
    setFaults: async (f) => void (await control('PUT', 'faults', f)),
    requestCount: async () => ((await control('GET', 'requests')) as unknown[]).length,
    requests: async () => (await control('GET', 'requests')) as RequestRecord[],
    resetRequests: async () => void (await control('DELETE', 'requests')),
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

/** The emulator in this process, behind the same interface as a process's. */
async function startEmulatorInProcess(dataDir: string, opts: { snapshotCacheBytes?: number }): Promise<BenchEmulator> {
  const e = await startEmulator({ port: 0, dataDir, buckets: [BUCKET], quiet: true, snapshotCacheBytes: opts.snapshotCacheBytes });
  return {
    url: e.url,
    setFaults: async (f) => e.setFaults(f),
    requestCount: async () => e.requests().length,
    requests: async () => e.requests(),
    resetRequests: async () => e.resetRequests(),
    stop: () => e.close(),
  };
}

/**
 * The real thing: the emulator on a random port (its own process, or this one: `placement`,
 * default BENCH_EMULATOR) + a Strapi app with the built plugin in this process, and the raw SDK
 * of the floor pointed at the same emulator.
 */
export async function openStack(placement: EmulatorPlacement = emulatorPlacement()): Promise<BenchStack> {
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  // snapshotCacheBytes 0: every GetSnapshot decodes, as at COS, so plugin and floor pay the same per frame
  const dataDir = path.join(BENCH_DIR, 'cos');
  const emulator = placement === 'process' ? await startEmulatorProcess(dataDir, { snapshotCacheBytes: 0 }) : await startEmulatorInProcess(dataDir, { snapshotCacheBytes: 0 });
  return appOn(BENCH_DIR, emulator);
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
  return appOn(dir, emulator);
}

/** openApp on `emulator`, closing both together; the emulator is stopped when the app fails to start. */
async function appOn<E extends { url: string; stop(): Promise<void> }>(dir: string, emulator: E): Promise<{ emulator: E; strapi: Core.Strapi; sdk: COS; close(): Promise<void> }> {
  try {
    const { strapi, sdk } = await openApp(dir, new URL(emulator.url).host);
    return {
      emulator,
      strapi,
      sdk,
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
