/**
 * GetSnapshot (GET /<key>?ci-process=snapshot): a real frame decoded by ffmpeg.
 * time: seconds (decimals allowed, required); width/height: 0 keeps the size, one of them 0
 * follows the aspect ratio; format jpg|png; rotate auto (apply rotation metadata) | off;
 * mode exactframe (the frame shown at `time`) | keyframe (the last keyframe at or before it).
 */
import { ffmpegPath, run } from '../media/ffmpeg';
import { Errors } from './errors';
import { limit } from './limit';
import { keyframeTimes, type VideoFacts } from './probe';

export interface SnapshotParams {
  time: number;
  width: number;
  height: number;
  format: 'jpg' | 'png';
  rotate: 'auto' | 'off';
  mode: 'exactframe' | 'keyframe';
}

export const MAX_SNAPSHOT_DIMENSION = 4096;

const choice = <T extends string>(name: string, v: string | undefined, allowed: readonly T[], dflt: T): T => {
  if (v === undefined || v === '') return dflt;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw Errors.invalidArgument(`Invalid ${name} "${v}": allowed values are ${allowed.join(', ')}.`);
};

const dimension = (name: string, v: string | undefined): number => {
  if (v === undefined || v === '') return 0;
  if (!/^\d+$/.test(v) || Number(v) > MAX_SNAPSHOT_DIMENSION) {
    throw Errors.invalidArgument(`Invalid ${name} "${v}": must be an integer from 0 to ${MAX_SNAPSHOT_DIMENSION} (0 = keep).`);
  }
  return Number(v);
};

export function parseSnapshotParams(q: Record<string, string>): SnapshotParams {
  const t = q.time;
  if (t === undefined || t === '') throw Errors.invalidArgument('Missing time: the snapshot time in seconds is required.');
  if (!/^\d+(\.\d+)?$/.test(t)) {
    throw Errors.invalidArgument(`Invalid time "${t}": must be a non-negative number of seconds, e.g. 2 or 2.52.`);
  }
  return {
    time: Number(t),
    width: dimension('width', q.width),
    height: dimension('height', q.height),
    format: choice('format', q.format, ['jpg', 'png'] as const, 'jpg'),
    rotate: choice('rotate', q.rotate, ['auto', 'off'] as const, 'auto'),
    mode: choice('mode', q.mode, ['exactframe', 'keyframe'] as const, 'exactframe'),
  };
}

/** Presentation time of the frame to grab. */
async function frameTime(file: string, v: VideoFacts, p: SnapshotParams): Promise<number> {
  // Constant frame rate: frame i is shown from i/fps until (i+1)/fps. The epsilon absorbs
  // decimal input like 0.28 * 25 = 6.999999.
  const index = Math.min(v.frames - 1, Math.floor(p.time * v.fps + 1e-6));
  const exact = index / v.fps;
  if (p.mode === 'exactframe') return exact;
  // packet times are absolute; `time` counts from the start of the presentation
  const start = Number(v.probe.format.start_time ?? 0) || 0;
  const keys = (await keyframeTimes(file, start + p.time)).map((k) => k - start);
  const before = keys.filter((k) => k <= exact + 1e-6);
  return before.length ? before[before.length - 1] : 0;
}

export async function takeSnapshot(
  file: string,
  v: VideoFacts,
  p: SnapshotParams,
): Promise<{ body: Buffer; contentType: string }> {
  if (p.time > v.duration + 1e-6) {
    throw Errors.invalidArgument(
      `Invalid time ${p.time}: it is beyond the video duration of ${v.duration.toFixed(3)} seconds.`,
    );
  }
  const t = await frameTime(file, v, p);
  // Input seeking is frame-accurate here (ffmpeg decodes from the previous keyframe and
  // drops frames before the target); half a frame earlier avoids rounding past the frame.
  const seek = Math.max(0, t - 0.5 / v.fps);
  const filters: string[] = [];
  if (p.width || p.height) filters.push(`scale=${p.width || -1}:${p.height || -1}`);
  const args = [
    '-hide_banner', '-loglevel', 'error',
    ...(p.rotate === 'off' ? ['-noautorotate'] : []),
    '-ss', seek.toFixed(6), '-i', file,
    '-frames:v', '1',
    ...(filters.length ? ['-vf', filters.join(',')] : []),
    ...(p.format === 'png'
      ? ['-c:v', 'png', '-pix_fmt', 'rgb24']
      : ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '3']),
    '-f', 'image2pipe', 'pipe:1',
  ];
  const { stdout } = await limit(() => run(ffmpegPath, args));
  if (!stdout.length) throw Errors.internal();
  return { body: stdout, contentType: p.format === 'png' ? 'image/png' : 'image/jpeg' };
}
