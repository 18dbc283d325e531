/**
 * GetSnapshot (GET /<key>?ci-process=snapshot): a real frame decoded by ffmpeg.
 * time: seconds (decimals allowed, required); width/height: 0 keeps the size, one of them 0
 * follows the aspect ratio; format jpg|png; rotate auto (apply rotation metadata) | off;
 * mode exactframe (the frame at `time`) | keyframe (the last keyframe at or before it).
 * Which frame "the frame at `time`" is depends on the emulator's SnapshotSemantics.
 */
import { ffmpegPath, run } from '../media/ffmpeg';
import { Errors } from './errors';
import type { FrameCache } from './frame-cache';
import { limit } from './limit';
import type { FrameEntry, VideoFacts } from './probe';

/**
 * How `time` picks a frame. COS does not document it, so the emulator can answer either way:
 * - `on-screen` (default): `time` is on the file's own timeline (0 = the timeline origin,
 *   edit lists and start offsets applied: what a browser's `currentTime` shows), and the
 *   frame is the one on screen at `time` — the last frame presented at or before it, or the
 *   first frame when `time` comes before any frame. Times up to Format.StartTime +
 *   Format.Duration of `videoinfo` are inside the video.
 * - `at-or-after`: `time` counts from the first video frame, and the frame is the first one
 *   presented at or after it (the last frame when none is). Times up to Format.Duration are
 *   inside the video.
 */
export type SnapshotSemantics = 'on-screen' | 'at-or-after';
export const SNAPSHOT_SEMANTICS: readonly SnapshotSemantics[] = ['on-screen', 'at-or-after'];

/** Two times closer than this are the same instant (well below any real time base tick). */
const SAME_TIME = 1e-7;

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

/** The latest time inside the video under `semantics`, seconds. */
export function lastValidTime(v: VideoFacts, semantics: SnapshotSemantics): number {
  return semantics === 'on-screen' ? v.startTime + v.duration : v.duration;
}

/**
 * The frame `p` asks for, from the table of presented frames (sorted by pts). Exported for
 * the unit tests of the selection rule; `frames` must not be empty.
 */
export function chooseFrame(frames: readonly FrameEntry[], time: number, mode: SnapshotParams['mode'], semantics: SnapshotSemantics): FrameEntry {
  // on the file's timeline either way
  const at = semantics === 'on-screen' ? time : frames[0].pts + time;
  let exact: number;
  if (semantics === 'on-screen') {
    exact = 0;
    for (let i = 0; i < frames.length && frames[i].pts <= at + SAME_TIME; i++) exact = i;
  } else {
    exact = frames.findIndex((f) => f.pts >= at - SAME_TIME);
    if (exact < 0) exact = frames.length - 1;
  }
  if (mode === 'exactframe') return frames[exact];
  // keyframe: the last keyframe presented at or before `time` (the first frame if none is)
  let key = -1;
  for (let i = 0; i < frames.length && frames[i].pts <= at + SAME_TIME; i++) if (frames[i].keyframe) key = i;
  return frames[key < 0 ? 0 : key];
}

export async function takeSnapshot(
  file: string,
  v: VideoFacts,
  p: SnapshotParams,
  semantics: SnapshotSemantics = 'on-screen',
  cache?: FrameCache,
): Promise<{ body: Buffer; contentType: string }> {
  const end = lastValidTime(v, semantics);
  if (p.time > end + SAME_TIME) {
    throw Errors.invalidArgument(
      `Invalid time ${p.time}: it is beyond the video duration of ${end.toFixed(3)} seconds.`,
    );
  }
  const frames = await v.frameTable();
  if (!frames.length) throw Errors.invalidArgument('The object is not a video that media processing can read.');
  const target = chooseFrame(frames, p.time, p.mode, semantics);
  const contentType = p.format === 'png' ? 'image/png' : 'image/jpeg';
  // time and mode only pick the frame: the frame's pts stands for both
  const cacheKey = cache?.key(v, [target.pts, p.width, p.height, p.format, p.rotate]);
  const cached = cacheKey === undefined ? undefined : cache!.get(cacheKey);
  if (cached) return { body: cached, contentType };
  // The decoder must start at a keyframe at or before the target: seek to the last one the
  // table knows (a hair past it, so rounding cannot land on the keyframe before and decode
  // a whole extra GOP), then keep exactly the frame whose pts is the target's. -copyts keeps
  // the file's own timestamps in the filter; input -ss counts from the file's start_time.
  let seekFrom = frames[0].pts;
  for (const f of frames) {
    if (f.pts > target.pts + SAME_TIME) break;
    if (f.keyframe) seekFrom = f.pts;
  }
  const seek = Math.max(0, seekFrom - v.startTime + 1e-4);
  const filters = [`select='gte(t,${(target.pts - 1e-6).toFixed(7)})'`];
  if (p.width || p.height) filters.push(`scale=${p.width || -1}:${p.height || -1}`);
  const args = [
    '-hide_banner', '-loglevel', 'error',
    ...(p.rotate === 'off' ? ['-noautorotate'] : []),
    '-noaccurate_seek', '-ss', seek.toFixed(6), '-copyts', '-i', file,
    '-map', '0:v:0', '-vsync', '0', '-frames:v', '1',
    '-vf', filters.join(','),
    ...(p.format === 'png'
      ? ['-c:v', 'png', '-pix_fmt', 'rgb24']
      : ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '3']),
    '-f', 'image2pipe', 'pipe:1',
  ];
  const { stdout } = await limit(() => run(ffmpegPath, args));
  if (!stdout.length) throw Errors.internal();
  if (cacheKey !== undefined) cache!.set(cacheKey, stdout);
  return { body: stdout, contentType };
}
