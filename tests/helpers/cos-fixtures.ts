/** Emulator + video fixtures shared by the SERVER-SAVE integration tests. */
import fs from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../../dev/emulator';
import { makeIndexedVideo } from '../../dev/media';
import { EMULATOR_BUCKET, EMULATOR_REGION, REPO_ROOT, emulatorBucketName, emulatorPluginConfig, emulatorSdk } from '../../dev/app-kit';

export const BUCKET = EMULATOR_BUCKET;
export const REGION = EMULATOR_REGION;
export const TMP = path.join(REPO_ROOT, '.tmp', 'server-save');

/** 4 s, 25 fps, keyframe every second: frame i shows index i, so time t → frame floor(25 t). */
export const VIDEO = { frames: 100, fps: 25, width: 320, height: 180, keyframeInterval: 25 } as const;

let fixture: Promise<string> | undefined;

/** The indexed test video (generated once per machine). */
export function indexedVideo(): Promise<string> {
  fixture ??= (async () => {
    const file = path.join(TMP, 'fixtures', `indexed-${VIDEO.frames}f-${VIDEO.fps}fps-${VIDEO.width}x${VIDEO.height}.mp4`);
    if (!fs.existsSync(file)) {
      const partial = `${file}.${process.pid}.partial.mp4`;
      await makeIndexedVideo({ file: partial, ...VIDEO });
      fs.renameSync(partial, file);
    }
    return file;
  })();
  return fixture;
}

/** A real SDK client for the test itself (uploads, reading thumbnails). */
export function sdk(emu: RunningEmulator): COS {
  return emulatorSdk(`127.0.0.1:${emu.port}`);
}

export async function upload(emu: RunningEmulator, key: string, body: Buffer, contentType: string): Promise<void> {
  await sdk(emu).putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: body, ContentType: contentType });
}

export async function uploadVideo(emu: RunningEmulator, key: string): Promise<void> {
  await upload(emu, key, fs.readFileSync(await indexedVideo()), 'video/mp4');
}

export async function download(emu: RunningEmulator, key: string): Promise<Buffer> {
  const data = await sdk(emu).getObject({ Bucket: BUCKET, Region: REGION, Key: key });
  return data.Body as Buffer;
}

/** The plugin config pointing at the emulator (signed URLs: the emulator's buckets are private). */
export function pluginConfig(emu: RunningEmulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return emulatorPluginConfig(`127.0.0.1:${emu.port}`, {
    buckets: [{ bucket: emulatorBucketName('extra'), region: 'ap-shanghai' }],
    signUrls: true,
    // Budgets, not timings under test: generous so a save on a loaded machine (CI runs two suites at
    // a time on two cores) still answers with the ready thumbnail; suites that test the budgets set their own.
    saveWaitMs: 20_000,
    requestTimeoutMs: 20_000,
    worker: { enabled: true, concurrency: 2, pollIntervalMs: 200, leaseMs: 4000, maxAttempts: 8, backoffBaseMs: 200, backoffMaxMs: 1000 },
    ...extra,
  });
}

/** GetSnapshot requests the emulator answered (ci-process=snapshot). */
export const snapshotRequests = (emu: RunningEmulator) => emu.requests().filter((r) => r.query['ci-process'] === 'snapshot');

export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
