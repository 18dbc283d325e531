import fs from 'node:fs';
import path from 'node:path';
import type COS from 'cos-nodejs-sdk-v5';
import { makeIndexedVideo } from '../media';
import { DATA_DIR, SAMPLE_KEY } from './settings';

const SAMPLE_FILE = path.join(DATA_DIR, 'sample.mp4');

/** A 10 s, 25 fps, 640×360 H.264 clip whose frames show their own index (dev/media). */
export async function ensureSampleFile(): Promise<{ file: string; created: boolean }> {
  if (fs.existsSync(SAMPLE_FILE) && fs.statSync(SAMPLE_FILE).size > 0) return { file: SAMPLE_FILE, created: false };
  const partial = `${SAMPLE_FILE}.partial.mp4`;
  await makeIndexedVideo({ file: partial, frames: 250, fps: 25, width: 640, height: 360, keyframeInterval: 25 });
  fs.renameSync(partial, SAMPLE_FILE);
  return { file: SAMPLE_FILE, created: true };
}

/** Uploads the sample unless the bucket already has it (re-runs keep data). */
export async function ensureSampleUploaded(sdk: COS, bucket: string, region: string, file: string): Promise<{ uploaded: boolean }> {
  const exists = await sdk.headObject({ Bucket: bucket, Region: region, Key: SAMPLE_KEY }).then(
    () => true,
    (err: { statusCode?: number }) => {
      if (err.statusCode === 404) return false;
      throw err;
    },
  );
  if (exists) return { uploaded: false };
  await sdk.putObject({ Bucket: bucket, Region: region, Key: SAMPLE_KEY, Body: fs.readFileSync(file), ContentType: 'video/mp4' });
  return { uploaded: true };
}
