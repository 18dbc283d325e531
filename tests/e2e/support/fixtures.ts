import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import COS from 'cos-nodejs-sdk-v5';

import { EMULATOR_BUCKET, EMULATOR_REGION } from '../../../dev/app-kit';
import { ffmpegPath, makeIndexedVideo } from '../../../dev/media';

export const BUCKET = EMULATOR_BUCKET;
export const REGION = EMULATOR_REGION;

/** The frame-index video every picker assertion decodes: 100 frames at 25 fps = 4 s. */
export const INDEXED = { frames: 100, fps: 25, width: 320, height: 180, keyframeInterval: 25 } as const;

/**
 * The shared browser fixtures in `dir`, made once per machine. Suites in parallel jest workers
 * call this at the same time: each file is written under a name of this process and renamed into
 * place: no suite ever reads a half-written video (two writers at once just rename equal files).
 */
export async function makeFixtures(dir: string): Promise<{ indexed: string; large: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const once = async (file: string, make: (partial: string) => Promise<void> | void) => {
    if (fs.existsSync(file)) return;
    const partial = `${file}.${process.pid}.partial.mp4`;
    await make(partial);
    fs.renameSync(partial, file);
  };
  const indexed = path.join(dir, 'indexed.mp4');
  await once(indexed, (partial) => makeIndexedVideo({ file: partial, ...INDEXED }));
  // Noisy frames compress badly: a few MB, so the browser upload goes multipart (1 MB parts).
  const large = path.join(dir, 'upload-2s.mp4');
  await once(large, (partial) => {
    const r = spawnSync(ffmpegPath, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2',
      '-vf', 'noise=alls=60:allf=t', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20', '-pix_fmt', 'yuv420p',
      '-movflags', '+faststart', partial,
    ]);
    if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  });
  return { indexed, large };
}

/** Puts files into the emulator's bucket with the real Node SDK (as an operator would). */
export async function putObjects(emulatorPort: number, creds: { secretId: string; secretKey: string }, files: Record<string, string>) {
  const cos = new COS({ SecretId: creds.secretId, SecretKey: creds.secretKey, Domain: `127.0.0.1:${emulatorPort}`, Protocol: 'http:' });
  for (const [key, file] of Object.entries(files)) {
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: fs.readFileSync(file), ContentType: 'video/mp4' });
  }
}
