import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type COS from 'cos-nodejs-sdk-v5';
import { ffmpegPath, run } from '../media/ffmpeg';
import { renderFrame } from '../media/frame-code';
import { DATA_DIR, SAMPLE_KEY } from './settings';

/** Bump when the sample's look changes, so existing demo data dirs get the new clip. */
const SAMPLE_VERSION = 2;
const SAMPLE_FILE = path.join(DATA_DIR, `sample-v${SAMPLE_VERSION}.mp4`);

/** The sample: 10 s, 25 fps, 640×360 H.264 with AAC sound. */
export const SAMPLE = { seconds: 10, fps: 25, width: 640, height: 360 } as const;

/**
 * Where the sample carries its frame index as a small frame-code tile (dev/media/frame-code.ts),
 * in pixels of the full-size picture: tests read which frame a thumbnail shows from this box.
 */
export const FRAME_CODE_BOX = { x: SAMPLE.width - 8 - 64, y: 8, width: 64, height: 48 } as const;

/** DejaVu ships with Debian (fonts-dejavu-core); without it the clip has no burned-in timecode. */
const FONT = ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].find((f) =>
  fs.existsSync(f),
);

/**
 * A clip editors can pick a frame from: a colour-cycling zoom into the Mandelbrot set (every
 * frame differs), a burned-in timecode and frame number, a beep every second, and the
 * frame-code tile in the top-right corner. All generated with the shipped ffmpeg.
 */
export async function ensureSampleFile(): Promise<{ file: string; created: boolean }> {
  if (fs.existsSync(SAMPLE_FILE) && fs.statSync(SAMPLE_FILE).size > 0) return { file: SAMPLE_FILE, created: false };
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const partial = `${SAMPLE_FILE}.partial.mp4`;
  const { seconds, fps, width, height } = SAMPLE;
  const frames = seconds * fps;
  const box = FRAME_CODE_BOX;
  let next = 0;
  const codes = new Readable({
    read() {
      this.push(next < frames ? renderFrame(next++, box.width, box.height) : null);
    },
  });
  const timecode = FONT
    ? `,drawtext=fontfile=${FONT}:text='%{pts\\:hms}   frame %{n}':x=16:y=h-th-16:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=8`
    : '';
  await run(
    ffmpegPath,
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i',
      `mandelbrot=s=${width}x${height}:r=${fps}:start_scale=2:end_scale=0.02:end_pts=400:maxiter=256:inner=black`,
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${box.width}x${box.height}`, '-r', String(fps), '-i', 'pipe:0',
      '-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=2:sample_rate=48000:duration=${seconds}`,
      '-filter_complex',
      `[0:v]hue=H=2*PI*t/${seconds}${timecode}[bg];[bg][1:v]overlay=x=${box.x}:y=${box.y}:eof_action=endall[v]`,
      '-map', '[v]', '-map', '2:a', '-frames:v', String(frames), '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-g', String(fps),
      '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart', '-f', 'mp4',
      partial,
    ],
    codes,
  );
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
